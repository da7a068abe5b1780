"""AdminService: who am I, tokens, and the audit trail."""

from __future__ import annotations

import json
from datetime import datetime

from shixin.audit import query as audit_query
from shixin.audit import verify as audit_verify
from shixin.auth import Role
from shixin.errors import InvalidArgument, PermissionDenied
from shixin.grpcapi.calls import Call, CallDeps, unary
from shixin.measures import Catalogue
from shixin.service.admin import create_token, revoke_token
from shixin.store import Store
from shixin.v1 import admin_service_pb2 as pb
from shixin.v1 import admin_service_pb2_grpc as pb_grpc


def _admin(call: Call) -> None:
    if call.principal.role != Role.ADMIN:
        raise PermissionDenied("only admins may do this", reason="NOT_ADMIN")


def _time(text: str, field: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidArgument(f"{text!r} is not an ISO timestamp", field=field,
                              reason="BAD_TIME") from None


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

    @unary("admin.create_token")
    def CreateToken(self, request: pb.CreateTokenRequest,  # noqa: N802
                    call: Call) -> pb.CreateTokenResponse:
        _admin(call)
        call.request = {"role": request.role, "principal": request.principal}
        issued = create_token(self.store, self.catalogue, request.role, request.principal,
                              request.note)
        call.outcome = {"token_id": issued.token_id}
        return pb.CreateTokenResponse(token_id=issued.token_id, token=issued.token)

    @unary("admin.revoke_token")
    def RevokeToken(self, request: pb.RevokeTokenRequest,  # noqa: N802
                    call: Call) -> pb.RevokeTokenResponse:
        _admin(call)
        call.request = {"token_id": request.token_id}
        revoke_token(self.store, request.token_id)
        return pb.RevokeTokenResponse(token_id=request.token_id)

    @unary("admin.list_audit")
    def ListAuditEntries(self, request: pb.ListAuditEntriesRequest,  # noqa: N802
                         call: Call) -> pb.ListAuditEntriesResponse:
        _admin(call)
        if self.deps.audit is None:
            return pb.ListAuditEntriesResponse()
        self.deps.audit.flush()
        size = max(1, min(10000, request.page_size or 100))
        out = []
        for entry in audit_query(self.deps.audit.path, unit=request.principal or None,
                                 subject=request.subject or None,
                                 since=_time(request.since, "since"),
                                 until=_time(request.until, "until")):
            out.append(json.dumps(entry, ensure_ascii=False))
            if len(out) >= size:
                break
        return pb.ListAuditEntriesResponse(entries_json=out)

    @unary("admin.verify_audit")
    def VerifyAudit(self, request: pb.VerifyAuditRequest,  # noqa: N802
                    call: Call) -> pb.VerifyAuditResponse:
        _admin(call)
        if self.deps.audit is None:
            return pb.VerifyAuditResponse(ok=True)
        self.deps.audit.flush()
        result = audit_verify(self.deps.audit.path, self.deps.audit.key)
        return pb.VerifyAuditResponse(ok=result.ok, entries=result.entries,
                                      problems=[p.message for p in result.problems])
