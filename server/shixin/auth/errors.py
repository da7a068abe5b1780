"""Errors of the auth layer; each carries a reason fit to show the caller.

The gRPC interceptors map them: :class:`PermissionDenied` to PERMISSION_DENIED,
:class:`InvalidTokenError` and :class:`CertificateIdentityError` to
UNAUTHENTICATED.
"""


class AuthError(Exception):
    """Base class; ``reason`` is the human-readable cause."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermissionDenied(AuthError):
    """An authenticated principal may not do what it asked."""


class InvalidTokenError(AuthError):
    """A bearer token is malformed, garbled or does not match."""


class CertificateIdentityError(AuthError):
    """A client certificate does not name a shixin identity."""
