"""Auth policy refusals as shixin errors, so one mapping turns them into gRPC status.

Each policy check refuses with its own stable ``reason`` (google.rpc.ErrorInfo),
so that a client can tell a wrong purpose from a push for another court
without parsing the message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec

from shixin.auth import AuthError, check_match, check_public_query, check_push
from shixin.auth import PermissionDenied as PolicyDenied
from shixin.errors import PermissionDenied, ShixinError, Unauthenticated

P = ParamSpec("P")

REASONS: dict[Callable[..., None], str] = {
    check_match: "PURPOSE_NOT_ALLOWED",
    check_push: "OTHER_COURT",
    check_public_query: "PUBLIC_QUERY_INCOMPLETE",
}
"""ErrorInfo reason of each policy check's refusal; others say POLICY_DENIED."""


def as_shixin(exc: AuthError, reason: str = "POLICY_DENIED") -> ShixinError:
    """PermissionDenied for policy refusals, Unauthenticated for bad credentials."""
    if isinstance(exc, PolicyDenied):
        return PermissionDenied(exc.reason, reason=reason)
    return Unauthenticated(exc.reason, reason="BAD_CREDENTIALS")


def guarded(check: Callable[P, None], *args: P.args, **kwargs: P.kwargs) -> None:
    """Run a policy check, raising shixin errors."""
    try:
        check(*args, **kwargs)
    except AuthError as exc:
        raise as_shixin(exc, REASONS.get(check, "POLICY_DENIED")) from None
