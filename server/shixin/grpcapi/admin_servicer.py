"""AdminService: who am I, tokens, and the audit trail (admin role only, except WhoAmI)."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from shixin.audit import query as audit_query
from shixin.auth import Role
from shixin.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from shixin.grpcapi.calls import Call, CallDeps, unary
from shixin.measures import Catalogue
from shixin.service.admin import create_token, list_tokens, revoke_token
from shixin.store import Store
from shixin.v1 import admin_service_pb2 as pb
from shixin.v1 import admin_service_pb2_grpc as pb_grpc

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 10_000


def _admin(call: Call) -> None:
    if call.principal.role != Role.ADMIN:
        raise PermissionDenied(f"{call.principal.describe()} is not an admin; only admins may "
                               "do this", reason="NOT_ADMIN")


def _time(text: str, field: str) -> datetime | None:
    if not text:
        return None
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidArgument(f"{text!r} is not an ISO timestamp", field=field,
                              reason="BAD_TIME") from None
    if t.tzinfo is None:
        raise InvalidArgument(f"{text!r} needs a time zone offset (e.g. +08:00)", field=field,
                              reason="BAD_TIME")
    return t


def _page_token(seq: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": seq}).encode()).decode().rstrip("=")


def _after(token: str) -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        after = data["after"]
    except (binascii.Error, ValueError, UnicodeDecodeError, TypeError, KeyError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise InvalidArgument("not a page token from a previous response", field="page_token",
                              reason="BAD_PAGE_TOKEN")
    return after


class AdminServicer(pb_grpc.AdminServiceServicer):
    """Credentials and audit."""

    def __init__(self, deps: CallDeps, store: Store, catalogue: Catalogue) -> None:
        self.deps = deps
        self.store = store
        self.catalogue = catalogue

    @unary("whoami", public_ok=True)
    def WhoAmI(self, request: pb.WhoAmIRequest, call: Call) -> pb.WhoAmIResponse:  # noqa: N802
        return pb.WhoAmIResponse(principal=call.principal.id, role=call.principal.role.value,
                                 method=call.method)

    @unary("admin.create_token", durable=True)
    def CreateToken(self, request: pb.CreateTokenRequest,  # noqa: N802
                    call: Call) -> pb.CreateTokenResponse:
        call.request = {"role": request.role, "principal": request.principal,
                        "note": request.note}
        _admin(call)
        issued = create_token(self.store, self.catalogue, request.role, request.principal,
                              request.note)
        call.outcome = {"token_id": issued.token_id}
        return pb.CreateTokenResponse(token_id=issued.token_id, token=issued.token)

    @unary("admin.revoke_token", durable=True)
    def RevokeToken(self, request: pb.RevokeTokenRequest,  # noqa: N802
                    call: Call) -> pb.RevokeTokenResponse:
        call.request = {"token_id": request.token_id}
        _admin(call)
        call.outcome = {"revoked_now": revoke_token(self.store, request.token_id)}
        return pb.RevokeTokenResponse(token_id=request.token_id)

    @unary("admin.list_tokens")
    def ListTokens(self, request: pb.ListTokensRequest,  # noqa: N802
                   call: Call) -> pb.ListTokensResponse:
        call.request = {"principal": request.principal}
        _admin(call)
        tokens = list_tokens(self.store, request.principal)
        call.outcome = {"tokens": len(tokens)}
        return pb.ListTokensResponse(tokens=[
            pb.TokenInfo(token_id=str(t["token_id"]), role=str(t["role"] or ""),
                         principal=str(t["principal"] or ""), created=str(t["created"] or ""),
                         revoked=bool(t["revoked"]), revoked_at=str(t["revoked_at"] or ""),
                         note=str(t["note"] or ""))
            for t in tokens])

    @unary("admin.list_audit")
    def ListAuditEntries(self, request: pb.ListAuditEntriesRequest,  # noqa: N802
                         call: Call) -> pb.ListAuditEntriesResponse:
        call.request = {"principal": request.principal, "subject": request.subject,
                        "since": request.since, "until": request.until,
                        "action": request.action, "page_token": request.page_token}
        _admin(call)
        since, until = _time(request.since, "since"), _time(request.until, "until")
        after = _after(request.page_token)
        if request.page_size < 0:
            raise InvalidArgument("must not be negative", field="page_size",
                                  reason="BAD_PAGE_SIZE")
        size = min(MAX_PAGE_SIZE, request.page_size or DEFAULT_PAGE_SIZE)
        audit = self.deps.audit
        if audit is None:
            raise FailedPrecondition("this server runs without an audit log",
                                     reason="AUDIT_OFF")
        audit.flush()
        out: list[str] = []
        last = after
        more = False
        for entry in audit_query(audit.path, unit=request.principal or None,
                                 subject=request.subject or None, since=since, until=until,
                                 action=request.action or None):
            seq = entry.get("seq")
            if not isinstance(seq, int) or seq <= after:
                continue
            if len(out) >= size:
                more = True
                break
            out.append(json.dumps(entry, ensure_ascii=False))
            last = seq
        call.outcome = {"entries": len(out)}
        return pb.ListAuditEntriesResponse(entries_json=out,
                                           next_page_token=_page_token(last) if more else "")

    @unary("admin.verify_audit")
    def VerifyAudit(self, request: pb.VerifyAuditRequest,  # noqa: N802
                    call: Call) -> pb.VerifyAuditResponse:
        _admin(call)
        audit = self.deps.audit
        if audit is None:
            raise FailedPrecondition("this server runs without an audit log",
                                     reason="AUDIT_OFF")
        result = audit.verify()
        head = result.head or audit.head()
        call.outcome = {"ok": result.ok, "entries": result.entries,
                        "problems": len(result.problems) + result.omitted,
                        "head_seq": head.seq}
        return pb.VerifyAuditResponse(
            ok=result.ok, entries=result.entries,
            problems=[p.message for p in result.problems],
            findings=[pb.AuditProblem(line=p.line or 0, sequence=p.seq or 0, kind=p.kind,
                                      message=p.message) for p in result.problems],
            head_sequence=head.seq, head_hash=head.hash, keyed=audit.keyed)
