"""Auth policy refusals as shixin errors, so one mapping turns them into gRPC status."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec

from shixin.auth import AuthError
from shixin.auth import PermissionDenied as PolicyDenied
from shixin.errors import PermissionDenied, ShixinError, Unauthenticated

P = ParamSpec("P")


def as_shixin(exc: AuthError) -> ShixinError:
    """PermissionDenied for policy refusals, Unauthenticated for bad credentials."""
    if isinstance(exc, PolicyDenied):
        return PermissionDenied(exc.reason, reason="POLICY_DENIED")
    return Unauthenticated(exc.reason, reason="BAD_CREDENTIALS")


def guarded(check: Callable[P, None], *args: P.args, **kwargs: P.kwargs) -> None:
    """Run a policy check, raising shixin errors."""
    try:
        check(*args, **kwargs)
    except AuthError as exc:
        raise as_shixin(exc) from None
