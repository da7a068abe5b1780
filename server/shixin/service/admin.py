"""Credentials: per-principal bearer tokens, stored only as hashes.

The ``tokens`` database maps a token id to ``{hash, role, principal, note,
created, revoked, revoked_at}``; the token itself is returned once and never
stored (``shixin.auth.tokens`` explains the format and the hash). A revoked
token is kept, so that the audit trail's token ids stay resolvable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from shixin.auth import Role, hash_token, new_token, token_id
from shixin.errors import InvalidArgument, NotFound
from shixin.measures import Catalogue
from shixin.store import ReadView, Store


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: shown once."""

    token_id: str
    token: str


def create_token(store: Store, catalogue: Catalogue, role: str, principal: str,
                 note: str = "") -> IssuedToken:
    """Issue a bearer token for a unit, court or admin; only its hash is stored."""
    try:
        r = Role(role)
    except ValueError:
        raise InvalidArgument(f"{role!r} is not one of court, unit, admin", field="role",
                              reason="UNKNOWN_ROLE") from None
    if r == Role.PUBLIC:
        raise InvalidArgument("public callers need no token", field="role",
                              reason="UNKNOWN_ROLE")
    if not principal.strip():
        raise InvalidArgument("is required (unit code, court name or admin id)",
                              field="principal", reason="FIELD_REQUIRED")
    if principal != principal.strip() or ":" in principal:
        raise InvalidArgument(f"{principal!r}: no surrounding spaces or ':' in a principal id",
                              field="principal", reason="BAD_PRINCIPAL")
    if r == Role.UNIT:
        try:
            catalogue.unit(principal)
        except KeyError:
            raise InvalidArgument(f"unknown unit {principal!r}", field="principal",
                                  reason="UNKNOWN_UNIT") from None
    token = new_token()
    tid = token_id(token)
    with store.write_txn() as txn:
        txn.put(tid.encode(), json.dumps({
            "hash": hash_token(token), "role": r.value, "principal": principal, "note": note,
            "created": _now(), "revoked": False,
        }, ensure_ascii=False).encode(), db=store.dbs["tokens"])
    return IssuedToken(tid, token)


def revoke_token(store: Store, token_id: str) -> bool:
    """Revoke a token by id; False when it was already revoked (the first time stays)."""
    if not token_id.strip():
        raise InvalidArgument("is required", field="token_id", reason="FIELD_REQUIRED")
    with store.write_txn() as txn:
        raw = txn.get(token_id.encode(), db=store.dbs["tokens"])
        if raw is None:
            raise NotFound(f"no token {token_id!r}", reason="TOKEN_NOT_FOUND")
        doc = json.loads(raw)
        if doc.get("revoked"):
            return False
        doc["revoked"] = True
        doc["revoked_at"] = _now()
        txn.put(token_id.encode(), json.dumps(doc, ensure_ascii=False).encode(),
                db=store.dbs["tokens"])
    return True


def list_tokens(store: Store, principal: str = "") -> list[dict[str, object]]:
    """Token ids with their role and principal (never the hash), by id."""
    out = []
    with store.read_txn() as txn:
        view = ReadView(store, txn)
        with txn.cursor(db=store.dbs["tokens"]) as cur:
            for key in cur.iternext(keys=True, values=False):
                doc = view.token(bytes(key).decode()) or {}
                if principal and doc.get("principal") != principal:
                    continue
                out.append({"token_id": bytes(key).decode(), "role": doc.get("role"),
                            "principal": doc.get("principal"),
                            "revoked": bool(doc.get("revoked")),
                            "revoked_at": doc.get("revoked_at", ""),
                            "created": doc.get("created"), "note": doc.get("note", "")})
    return out
