"""Who is calling: mutual TLS, bearer tokens, or (development only) a named principal.

Order (docs/security.md):

1. A client certificate verified by the TLS handshake against the client CA
   names the principal (``shixin.auth.identity_from_cert``). Only the mutual-TLS
   port asks for one, and there the handshake refuses a missing, expired or
   foreign certificate before any RPC runs.
2. Otherwise an ``authorization: Bearer sx_…`` token is looked up by its id and
   checked against its stored hash (and must not be revoked).
3. Otherwise, on a development server only, ``x-shixin-principal: role:id``
   metadata (the id percent-encoded) or the request's ``unit`` field is trusted.
4. Otherwise the caller is public, ``public:<peer address>``; methods that are
   not public refuse it with UNAUTHENTICATED.

A certificate *and* a token on one call is refused: one call, one identity.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import unquote

import grpc

from shixin.auth import (
    AuthError,
    InvalidTokenError,
    Principal,
    Role,
    check_token,
    identity_from_cert,
    token_id,
)
from shixin.errors import Unauthenticated
from shixin.measures import Catalogue
from shixin.store import ReadView, Store

DEV_HEADER = "x-shixin-principal"


class CredentialRefused(Unauthenticated):
    """Credentials were presented and refused; ``claimed`` says what they claimed (for audit)."""

    def __init__(self, message: str, *, reason: str, claimed: dict[str, Any]) -> None:
        super().__init__(message, reason=reason)
        self.claimed = claimed


def peer_host(context: grpc.ServicerContext) -> str:
    """The caller's address without its port: ``ipv4:10.0.0.7``, ``ipv6:[::1]``."""
    peer = context.peer() or "unknown"
    return peer.rsplit(":", 1)[0] if peer.count(":") >= 2 else peer


class Authenticator:
    """Resolves the principal of a call."""

    def __init__(self, store: Store, catalogue: Catalogue, *, dev_mode: bool,
                 client_certs: bool = True) -> None:
        """``client_certs=False`` when no port asks for client certificates (no
        mutual TLS): then no call can carry one, and the auth context is not read."""
        self.store = store
        self.catalogue = catalogue
        self.dev_mode = dev_mode
        self.client_certs = client_certs
        # Unit principals by unit code: bounded by the catalogue (unknown units are
        # refused, not cached) and immutable, so one per unit is built, not one per call.
        self._units: dict[str, Principal] = {}

    def principal_for(self, role: Role, ident: str, claimed: dict[str, Any]) -> Principal:
        """A principal with the measures its role and unit give it."""
        ident = ident.strip()
        if not ident:
            raise CredentialRefused(f"the credential names a {role.value} without an id",
                                    reason="NO_PRINCIPAL_ID", claimed=claimed)
        if role == Role.PUBLIC:
            return Principal.public(ident)
        if role == Role.UNIT:
            known = self._units.get(ident)
            if known is not None:
                return known
            try:
                self.catalogue.unit(ident)
            except KeyError:
                raise CredentialRefused(f"unknown unit {ident!r}", reason="UNKNOWN_UNIT",
                                        claimed=claimed) from None
            measures = frozenset(m.code for m in self.catalogue.measures_for_unit(ident))
            principal = Principal(id=ident, role=role, measures=measures)
            self._units[ident] = principal
            return principal
        if role == Role.COURT:
            return Principal(id=ident, role=role, court=ident)
        return Principal(id=ident, role=role)

    def resolve(self, context: grpc.ServicerContext, request_unit: str) -> tuple[Principal, str]:
        """(principal, method) for a call; raises Unauthenticated for refused credentials."""
        metadata = tuple(context.invocation_metadata() or ())
        headers = [str(v) for k, v in metadata if k == "authorization"]
        certs: list[bytes] = []
        if self.client_certs:
            # The stubs say Mapping[str, bytes]; at run time each value is a list of bytes.
            auth = cast(Mapping[str, list[bytes]], context.auth_context())
            certs = auth.get("x509_pem_cert") or []
        if certs:
            if headers:
                raise CredentialRefused(
                    "both a client certificate and a bearer token were presented; use one",
                    reason="CONFLICTING_CREDENTIALS", claimed={"method": "mtls+token"})
            return self._cert(certs[0]), "mtls"
        if headers:
            if len(headers) > 1:
                raise CredentialRefused("more than one authorization header",
                                        reason="BAD_TOKEN", claimed={"method": "token"})
            return self._token(headers[0]), "token"
        # Metadata is ASCII, so clients percent-encode the id (court names are Chinese).
        dev = unquote(next((str(v) for k, v in metadata if k == DEV_HEADER), ""))
        if self.dev_mode:
            if dev:
                role_text, _, ident = dev.partition(":")
                claimed = {"method": "dev", "principal": dev}
                try:
                    role = Role(role_text)
                except ValueError:
                    raise CredentialRefused(
                        f"unknown role {role_text!r} in {DEV_HEADER} (court, unit, public, "
                        "admin)", reason="UNKNOWN_ROLE", claimed=claimed) from None
                return self.principal_for(role, ident, claimed), "dev"
            if request_unit:
                claimed = {"method": "dev", "unit": request_unit}
                return self.principal_for(Role.UNIT, request_unit, claimed), "dev"
        return Principal.public(peer_host(context)), "dev-header-ignored" if dev else "none"

    def _cert(self, pem: bytes) -> Principal:
        try:
            ident = identity_from_cert(pem)
        except AuthError as exc:
            raise CredentialRefused(exc.reason, reason="BAD_CERTIFICATE",
                                    claimed={"method": "mtls"}) from None
        claimed = {"method": "mtls", "kind": ident.kind, "name": ident.name}
        return self.principal_for(Role(ident.kind), ident.name, claimed)

    def _token(self, header: str) -> Principal:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise CredentialRefused("malformed authorization header (expected 'Bearer sx_…')",
                                    reason="BAD_TOKEN", claimed={"method": "token"})
        try:
            tid = token_id(token)
        except InvalidTokenError as exc:
            raise CredentialRefused(exc.reason, reason="BAD_TOKEN",
                                    claimed={"method": "token"}) from None
        claimed: dict[str, Any] = {"method": "token", "token_id": tid}
        with self.store.read_txn() as txn:
            stored = ReadView(self.store, txn).token(tid)
        if stored is None:
            raise CredentialRefused(f"token {tid} is not known to this server",
                                    reason="TOKEN_UNKNOWN", claimed=claimed)
        claimed["principal"] = stored.get("principal", "")
        try:
            check_token(token, str(stored.get("hash", "")))
        except InvalidTokenError as exc:
            raise CredentialRefused(exc.reason, reason="TOKEN_MISMATCH",
                                    claimed=claimed) from None
        if stored.get("revoked"):
            raise CredentialRefused(f"token {tid} was revoked", reason="TOKEN_REVOKED",
                                    claimed=claimed)
        return self.principal_for(Role(stored["role"]), str(stored["principal"]), claimed)
