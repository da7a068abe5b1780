"""Who is calling: mutual TLS, bearer tokens, or (development only) a named unit.

Order: a verified client certificate names the principal; otherwise an
``authorization: Bearer sx_…`` token is looked up by its id and checked
against its stored hash; otherwise, in development mode, the request's
``unit`` field (or ``x-shixin-principal: role:id`` metadata) is trusted;
otherwise the caller is public (allowed only where a method says so).
"""

from __future__ import annotations

from urllib.parse import unquote

import grpc

from shixin.auth import AuthError, Principal, Role, identity_from_cert, token_id, verify_token
from shixin.errors import Unauthenticated
from shixin.measures import Catalogue
from shixin.store import ReadView, Store


class Authenticator:
    """Resolves the principal of a call."""

    def __init__(self, store: Store, catalogue: Catalogue, *, dev_mode: bool) -> None:
        self.store = store
        self.catalogue = catalogue
        self.dev_mode = dev_mode

    def principal_for(self, role: Role, ident: str) -> Principal:
        """A principal with the measures its role and unit give it."""
        if role == Role.UNIT:
            try:
                self.catalogue.unit(ident)
            except KeyError:
                raise Unauthenticated(f"unknown unit {ident!r}", reason="UNKNOWN_UNIT") from None
            measures = frozenset(m.code for m in self.catalogue.measures_for_unit(ident))
            return Principal(id=ident, role=role, court=None, measures=measures)
        if role == Role.COURT:
            return Principal(id=ident, role=role, court=ident, measures=frozenset())
        return Principal(id=ident, role=role, court=None, measures=frozenset())

    def resolve(self, context: grpc.ServicerContext, request_unit: str) -> tuple[Principal, str]:
        """(principal, method) for a call; raises Unauthenticated for bad credentials."""
        auth = context.auth_context()
        certs = auth.get("x509_pem_cert")
        if certs:
            try:
                ident = identity_from_cert(certs[0])
            except AuthError as exc:
                raise Unauthenticated(exc.reason, reason="BAD_CERTIFICATE") from None
            return self.principal_for(Role(ident.kind), ident.name), "mtls"
        metadata = dict(context.invocation_metadata() or ())
        header = str(metadata.get("authorization", ""))
        if header:
            return self._token(header), "token"
        if self.dev_mode:
            dev = unquote(str(metadata.get("x-shixin-principal", "")))
            if dev:
                role_text, _, ident = dev.partition(":")
                try:
                    return self.principal_for(Role(role_text), ident), "dev"
                except ValueError:
                    raise Unauthenticated(f"unknown role {role_text!r}",
                                          reason="UNKNOWN_ROLE") from None
            if request_unit:
                return self.principal_for(Role.UNIT, request_unit), "dev"
        peer = context.peer() or "unknown"
        host = peer.rsplit(":", 1)[0] if ":" in peer else peer
        return Principal(id=f"public:{host}", role=Role.PUBLIC, court=None,
                         measures=frozenset()), "none"

    def _token(self, header: str) -> Principal:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("malformed authorization header (expected 'Bearer sx_…')",
                                  reason="BAD_TOKEN")
        try:
            tid = token_id(token)
        except AuthError as exc:
            raise Unauthenticated(exc.reason, reason="BAD_TOKEN") from None
        with self.store.read_txn() as txn:
            stored = ReadView(self.store, txn).token(tid)
        if stored is None or stored.get("revoked") or not verify_token(token, stored["hash"]):
            raise Unauthenticated("unknown, revoked or forged token", reason="BAD_TOKEN")
        return self.principal_for(Role(stored["role"]), stored["principal"])
