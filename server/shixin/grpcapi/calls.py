"""One wrapper per RPC: authenticate, log one canonical line, audit, map errors.

Servicer methods receive a ``Call`` with the resolved principal and fill in
what the audit entry should say they were asked and answered.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

import grpc
import structlog

from shixin.audit import AuditLog
from shixin.auth import Principal, Role
from shixin.errors import ResourceExhausted, ShixinError, Unauthenticated
from shixin.grpcapi.errors import abort
from shixin.grpcapi.identity import Authenticator

log = structlog.get_logger("shixin.rpc")
Req = TypeVar("Req")
Resp = TypeVar("Resp")


@dataclass
class Call:
    """Per-call state shared between the wrapper and the servicer method."""

    principal: Principal
    method: str
    purpose: str = ""
    request: dict[str, Any] = field(default_factory=dict)
    outcome: dict[str, Any] = field(default_factory=dict)


@dataclass
class CallDeps:
    """What the wrapper needs: authentication, audit, public rate limiting."""

    auth: Authenticator
    audit: AuditLog | None
    public_limiter: Any | None = None


def _begin(deps: CallDeps, context: grpc.ServicerContext, request: Any, action: str,
           public_ok: bool) -> Call:
    unit = getattr(request, "unit", "") if request is not None else ""
    principal, method = deps.auth.resolve(context, unit if isinstance(unit, str) else "")
    if principal.role == Role.PUBLIC and not public_ok:
        raise Unauthenticated(f"{action} needs credentials (client certificate or token)",
                              reason="NO_CREDENTIALS")
    if principal.role == Role.PUBLIC and deps.public_limiter is not None \
            and not deps.public_limiter.acquire(principal.id)[0]:
        raise ResourceExhausted("public query rate limit exceeded; try again later",
                                reason="RATE_LIMITED")
    return Call(principal=principal, method=method)


def _finish(deps: CallDeps, call: Call | None, context: grpc.ServicerContext, action: str,
            code: str, started: float, error: str) -> None:
    ms = round((time.perf_counter() - started) * 1000, 3)
    who = call.principal if call else None
    log.info("rpc", action=action, code=code, ms=ms, peer=context.peer(),
             principal=who.id if who else "", role=who.role.value if who else "",
             auth=call.method if call else "", error=error or None)
    if deps.audit is not None:
        deps.audit.append({
            "actor": who.id if who else f"unauthenticated:{context.peer()}",
            "role": who.role.value if who else "",
            "action": action,
            "purpose": call.purpose if call else "",
            "request": call.request if call else {},
            "outcome": {"code": code, **({"error": error} if error else {}),
                        **(call.outcome if call else {})},
        })


def unary(action: str, *, public_ok: bool = False) -> Callable[..., Any]:
    """Wrap a unary servicer method ``fn(self, request, call) -> response``."""
    def deco(fn: Callable[[Any, Any, Call], Any]) -> Callable[[Any, Any, grpc.ServicerContext], Any]:
        @wraps(fn)
        def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
            started = time.perf_counter()
            call: Call | None = None
            try:
                call = _begin(self.deps, context, request, action, public_ok)
                response = fn(self, request, call)
            except ShixinError as exc:
                _finish(self.deps, call, context, action, exc.status.value, started, str(exc))
                abort(context, exc)
            _finish(self.deps, call, context, action, "OK", started, "")
            return response
        return wrapper
    return deco


def streaming(action: str, *, public_ok: bool = False) -> Callable[..., Any]:
    """Wrap a response-streaming servicer method ``fn(self, request, call, context)``."""
    def deco(fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        @wraps(fn)
        def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
            started = time.perf_counter()
            call: Call | None = None
            first = request
            if hasattr(request, "__next__"):
                # Client streams: the first message may name the unit (development mode).
                first = next(request, None)
                request = itertools.chain([first] if first is not None else [], request)
            try:
                call = _begin(self.deps, context, first, action, public_ok)
                yield from fn(self, request, call, context)
            except ShixinError as exc:
                _finish(self.deps, call, context, action, exc.status.value, started, str(exc))
                abort(context, exc)
            _finish(self.deps, call, context, action,
                    "OK" if context.is_active() else "CANCELLED", started, "")
        return wrapper
    return deco
