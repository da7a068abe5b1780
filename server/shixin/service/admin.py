"""Credentials: per-principal bearer tokens, stored only as hashes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from shixin.auth import Role, hash_token, new_token, token_id
from shixin.errors import InvalidArgument, NotFound
from shixin.measures import Catalogue
from shixin.store import ReadView, Store


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
            "created": datetime.now(UTC).isoformat(timespec="seconds"), "revoked": False,
        }, ensure_ascii=False).encode(), db=store.dbs["tokens"])
    return IssuedToken(tid, token)


def revoke_token(store: Store, token_id: str) -> None:
    """Revoke a token by id."""
    with store.write_txn() as txn:
        raw = txn.get(token_id.encode(), db=store.dbs["tokens"])
        if raw is None:
            raise NotFound(f"no token {token_id!r}", reason="TOKEN_NOT_FOUND")
        doc = json.loads(raw)
        doc["revoked"] = True
        txn.put(token_id.encode(), json.dumps(doc, ensure_ascii=False).encode(),
                db=store.dbs["tokens"])


def list_tokens(store: Store) -> list[dict[str, object]]:
    """Token ids with their role and principal (never the hash)."""
    out = []
    with store.read_txn() as txn:
        view = ReadView(store, txn)
        with txn.cursor(db=store.dbs["tokens"]) as cur:
            for key in cur.iternext(keys=True, values=False):
                doc = view.token(bytes(key).decode()) or {}
                out.append({"token_id": bytes(key).decode(), "role": doc.get("role"),
                            "principal": doc.get("principal"), "revoked": doc.get("revoked"),
                            "created": doc.get("created"), "note": doc.get("note")})
    return out
