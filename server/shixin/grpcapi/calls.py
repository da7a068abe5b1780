"""One wrapper per RPC: authenticate, log one canonical line, audit, map errors.

Servicer methods receive a ``Call`` with the resolved principal and fill in
what the audit entry should say they were asked (``call.request``) and
answered (``call.outcome``). Every call ends in exactly one entry under its
action — answered, refused (with the refusal and the credential it claimed),
cancelled or failed. Streams add an entry per message on top
(:meth:`Call.audit`): a long batch or feed must not be recorded only at its
end, nor not at all when the server dies halfway.

Fail closed: when the audit log cannot take the entry
(:class:`~shixin.audit.AuditUnavailableError`) the answer is withheld and the
caller gets UNAVAILABLE. Admin actions (``durable=True``) first check the log
is writable and wait until their entry is on disk.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, NoReturn

import grpc
import structlog

from shixin.audit import AuditLog, AuditUnavailableError
from shixin.auth import Principal, RateLimiter, Role
from shixin.errors import ShixinError, Unauthenticated
from shixin.grpcapi.errors import RateLimited, abort, abort_code
from shixin.grpcapi.identity import DEV_HEADER, Authenticator, CredentialRefused, peer_host

log = structlog.get_logger("shixin.rpc")


@dataclass
class Call:
    """Per-call state shared between the wrapper and the servicer method."""

    principal: Principal
    method: str
    purpose: str = ""
    request: dict[str, Any] = field(default_factory=dict)
    outcome: dict[str, Any] = field(default_factory=dict)
    log: AuditLog | None = field(default=None, repr=False)

    def audit(self, action: str, request: Mapping[str, object],
              outcome: Mapping[str, object]) -> None:
        """Record one part of a call now (a batch message, a feed page, a pushed item).

        Call it *before* sending what the entry describes: it raises
        :class:`~shixin.audit.AuditUnavailableError` when the entry cannot be
        recorded, and the wrapper then ends the call with UNAVAILABLE. Build
        ``request`` and ``outcome`` fresh: the log takes them over.
        """
        if self.log is not None:
            self.log.append({"actor": self.principal.id, "role": self.principal.role.value,
                             "action": action, "purpose": self.purpose,
                             "request": request, "outcome": outcome})


@dataclass
class CallDeps:
    """What the wrapper needs: authentication, audit, public rate limiting."""

    auth: Authenticator
    audit: AuditLog | None
    public_limiter: RateLimiter | None = None


CALLER_UNIT_REQUESTS = frozenset({"MatchRequest", "BatchMatchRequest", "WatchChangesRequest",
                                  "AcknowledgeChangeRequest"})


def _begin(deps: CallDeps, context: grpc.ServicerContext, request: Any, action: str,
           public_ok: bool, durable: bool) -> Call:
    if deps.audit is not None:
        # Fail closed before any work: a call whose entry cannot be written has no effect.
        if durable:
            deps.audit.flush()  # admin actions: the log must also be writing to disk
        else:
            deps.audit.ensure_available()
    # Development servers trust `unit` where it names the caller (match, batch, feed);
    # elsewhere (ListMeasuresRequest.unit, ListUnacknowledgedRequest.unit) it is a filter.
    names_caller = type(request).__name__ in CALLER_UNIT_REQUESTS
    unit = getattr(request, "unit", "") if request is not None and names_caller else ""
    principal, method = deps.auth.resolve(context, unit if isinstance(unit, str) else "")
    if principal.role == Role.PUBLIC and not public_ok:
        hint = (f"; {DEV_HEADER} is honoured by development servers only"
                if method == "dev-header-ignored" else "")
        raise Unauthenticated(f"{action} needs credentials (client certificate or bearer "
                              f"token){hint}", reason="NO_CREDENTIALS")
    if principal.role == Role.PUBLIC and deps.public_limiter is not None:
        decision = deps.public_limiter.acquire(principal.id)
        if not decision.allowed:
            raise RateLimited(f"public query rate limit exceeded; retry in "
                              f"{decision.retry_after:.1f} s", retry_after=decision.retry_after)
    return Call(principal=principal, method=method, log=deps.audit)


def _finish(deps: CallDeps, call: Call | None, context: grpc.ServicerContext, action: str,
            code: str, started: float, error: ShixinError | str | None = None,
            durable: bool = False) -> None:
    """Log the canonical line and append the call's audit entry (may raise AuditUnavailable)."""
    ms = round((time.perf_counter() - started) * 1000, 3)
    who = call.principal if call else None
    message = str(error) if error else ""
    # No peer address here: context.peer() is a call into gRPC core on every RPC; the
    # principal names the caller, and a public or unauthenticated caller's address is
    # in its principal id and its audit entry.
    log.info("rpc", action=action, code=code, ms=ms,
             principal=who.id if who else "", role=who.role.value if who else "",
             auth=call.method if call else "", error=message or None)
    if deps.audit is None:
        return
    outcome: dict[str, Any] = dict(call.outcome) if call is not None else {}
    outcome["code"] = code  # the wrapper's facts win over what the servicer noted
    if message:
        outcome["error"] = message
    if isinstance(error, ShixinError):
        outcome["reason"] = error.reason
    if isinstance(error, CredentialRefused):
        outcome["credential"] = error.claimed
    deps.audit.append({
        "actor": who.id if who else f"unauthenticated:{peer_host(context)}",
        "role": who.role.value if who else "",
        "action": action,
        "purpose": call.purpose if call else "",
        "request": dict(call.request) if call else {},
        "outcome": outcome,
    })
    if durable:
        deps.audit.flush()


def _close(deps: CallDeps, call: Call | None, context: grpc.ServicerContext, action: str,
           code: str, started: float, error: ShixinError | str | None = None,
           durable: bool = False) -> None:
    """:func:`_finish`, aborting with UNAVAILABLE when the entry cannot be recorded."""
    try:
        _finish(deps, call, context, action, code, started, error, durable)
    except AuditUnavailableError as exc:
        log.error("audit_unavailable", action=action, error=str(exc))
        abort_code(context, "UNAVAILABLE", "the audit log cannot record this call, so it is "
                   "not answered; try again later", "AUDIT_UNAVAILABLE")


def _fail(deps: CallDeps, call: Call | None, context: grpc.ServicerContext, action: str,
          started: float, exc: BaseException, durable: bool) -> NoReturn:
    """Record and abort a call that raised ``exc`` (never returns)."""
    if isinstance(exc, ShixinError):
        _close(deps, call, context, action, exc.status.value, started, exc, durable)
        abort(context, exc)
    if isinstance(exc, AuditUnavailableError):
        _close(deps, call, context, action, "UNAVAILABLE", started, str(exc), durable)
        abort_code(context, "UNAVAILABLE", "the audit log cannot record this call, so it is "
                   "not answered; try again later", "AUDIT_UNAVAILABLE")
    log.exception("rpc_internal_error", action=action)
    _close(deps, call, context, action, "INTERNAL", started, repr(exc), durable)
    abort_code(context, "INTERNAL", "internal error", "INTERNAL")


def unary(action: str, *, public_ok: bool = False,
          durable: bool = False) -> Callable[..., Any]:
    """Wrap a unary servicer method ``fn(self, request, call) -> response``.

    ``public_ok``: public (unauthenticated) callers may call it. ``durable``:
    an admin action; the log must be writable before and its entry on disk after.
    """
    def deco(fn: Callable[[Any, Any, Call], Any]) -> Callable[[Any, Any, grpc.ServicerContext],
                                                               Any]:
        @wraps(fn)
        def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
            started = time.perf_counter()
            call: Call | None = None
            try:
                call = _begin(self.deps, context, request, action, public_ok, durable)
                response = fn(self, request, call)
            except Exception as exc:  # every failure is recorded, then mapped
                _fail(self.deps, call, context, action, started, exc, durable)
            _close(self.deps, call, context, action, "OK", started, durable=durable)
            return response
        return wrapper
    return deco


def streaming(action: str, *, public_ok: bool = False) -> Callable[..., Any]:
    """Wrap a response-streaming servicer method ``fn(self, request, call, context)``.

    A client that goes away mid-stream is recorded as CANCELLED with what the
    servicer had noted so far.
    """
    def deco(fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        @wraps(fn)
        def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
            started = time.perf_counter()
            call: Call | None = None
            first = request
            if hasattr(request, "__next__"):
                first = None
                if self.deps.auth.dev_mode:
                    # Development servers take the unit from the first message; others
                    # authenticate before reading anything from the client.
                    first = next(request, None)
                    request = itertools.chain([first] if first is not None else [], request)
            try:
                call = _begin(self.deps, context, first, action, public_ok, False)
                yield from fn(self, request, call, context)
            except GeneratorExit:
                try:
                    _finish(self.deps, call, context, action, "CANCELLED", started)
                except AuditUnavailableError as exc:
                    log.error("audit_unavailable", action=action, error=str(exc))
                raise
            except Exception as exc:  # every failure is recorded, then mapped
                _fail(self.deps, call, context, action, started, exc, False)
            _close(self.deps, call, context, action,
                   "OK" if context.is_active() else "CANCELLED", started)
        return wrapper
    return deco
