"""Bearer tokens (where TLS ends at a proxy): stored hashed; forged and revoked ones refused."""

from __future__ import annotations

import base64
import secrets
import zlib

import grpc
import pytest

from shixin.auth import hash_token
from shixin.grpcapi.server import Running
from shixin.measures import load_catalogue
from shixin.service.admin import create_token
from shixin.store import ReadView
from tests.security.support import (
    Pki,
    audit_seq,
    entries_after,
    error_reason,
    mtls_client,
    public_client,
    state_digest,
)

HPF = "hpf-centre"
HPF_PURPOSE = "assist.housing-provident-fund"


def _forge(token_id: str) -> str:
    """A token of the documented shape for ``token_id`` with a secret of our own."""
    body = f"sx_{token_id}_{secrets.token_urlsafe(32)}"
    check = base64.urlsafe_b64encode(zlib.crc32(body.encode()).to_bytes(4, "big"))
    return body + check.rstrip(b"=").decode()


def test_token_authenticates_a_unit_on_the_public_port(secure: Running, pki: Pki) -> None:
    """A unit's token makes the caller that unit without a client certificate."""
    issued = create_token(secure.store, load_catalogue(), "unit", HPF)
    with public_client(secure, pki, token=issued.token) as client:
        me = client.whoami()
    assert (me.principal, me.role, me.method) == (HPF, "unit", "token")


def test_store_keeps_only_the_hash(secure: Running) -> None:
    """The tokens database holds the token's hash and never the token."""
    issued = create_token(secure.store, load_catalogue(), "unit", HPF)
    with secure.store.read_txn() as txn:
        stored = ReadView(secure.store, txn).token(issued.token_id)
        raw = txn.get(issued.token_id.encode(), db=secure.store.dbs["tokens"])
    assert stored is not None and stored["hash"] == hash_token(issued.token)
    secret = issued.token.split("_", 2)[2]
    assert secret.encode() not in bytes(raw)


@pytest.mark.parametrize("kind", ["forged", "unknown", "garbled"])
def test_bad_tokens_are_refused(secure: Running, pki: Pki, listed: list[dict[str, str]],
                                kind: str) -> None:
    """A forged secret for a real token id, an unknown id, or a garbled token: UNAUTHENTICATED
    with its reason; the refusal is recorded with the claimed token id, nothing else changes."""
    issued = create_token(secure.store, load_catalogue(), "unit", HPF)
    token, reason = {
        "forged": (_forge(issued.token_id), "TOKEN_MISMATCH"),
        "unknown": (_forge(secrets.token_hex(8)), "TOKEN_UNKNOWN"),
        "garbled": (issued.token[:-3] + "xyz", "BAD_TOKEN"),
    }[kind]
    person = listed[1]
    before, seq = state_digest(secure), audit_seq(secure)
    with public_client(secure, pki, token=token) as client, pytest.raises(grpc.RpcError) as err:
        client.match(person["name"], person["id_number"], purpose=HPF_PURPOSE)
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error_reason(err.value) == reason
    [entry] = entries_after(secure, seq)
    assert (entry["action"], entry["outcome"]["code"]) == ("match", "UNAUTHENTICATED")
    assert entry["outcome"]["reason"] == reason
    assert entry["outcome"]["credential"]["method"] == "token"
    if kind == "forged":
        assert entry["outcome"]["credential"]["token_id"] == issued.token_id
    assert state_digest(secure) == before


def test_revoked_token_is_refused(secure: Running, pki: Pki,
                                  listed: list[dict[str, str]]) -> None:
    """A token works until an admin revokes it; then it is UNAUTHENTICATED TOKEN_REVOKED, and
    both the revocation and the refusal are in the audit log."""
    issued = create_token(secure.store, load_catalogue(), "unit", HPF)
    person = listed[1]
    with public_client(secure, pki, token=issued.token) as client:
        assert client.match(person["name"], person["id_number"], purpose=HPF_PURPOSE).hits
    seq = audit_seq(secure)
    with mtls_client(secure, pki, pki.admin) as admin:
        admin.revoke_token(issued.token_id)
        listed_tokens = {t.token_id: t for t in admin.list_tokens(HPF)}
    assert listed_tokens[issued.token_id].revoked
    before = state_digest(secure)
    with public_client(secure, pki, token=issued.token) as client, \
            pytest.raises(grpc.RpcError) as err:
        client.match(person["name"], person["id_number"], purpose=HPF_PURPOSE)
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error_reason(err.value) == "TOKEN_REVOKED"
    entries = entries_after(secure, seq)
    assert [(e["actor"], e["action"]) for e in entries] == [
        ("ops-1", "admin.revoke_token"), ("ops-1", "admin.list_tokens"),
        (entries[2]["actor"], "match")]
    assert entries[0]["request"] == {"token_id": issued.token_id}
    assert entries[2]["outcome"]["reason"] == "TOKEN_REVOKED"
    assert state_digest(secure) == before


def test_only_admins_issue_tokens(secure: Running, pki: Pki) -> None:
    """A unit asking for a token is PERMISSION_DENIED; the attempt is recorded with what it
    asked for, and no token is stored."""
    seq = audit_seq(secure)
    before = state_digest(secure)
    with mtls_client(secure, pki, pki.unit) as client, pytest.raises(grpc.RpcError) as err:
        client.create_token("admin", "me-too")
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error_reason(err.value) == "NOT_ADMIN"
    [entry] = entries_after(secure, seq)
    assert entry["action"] == "admin.create_token"
    assert entry["request"]["principal"] == "me-too"
    assert state_digest(secure) == before


def test_admin_issues_a_working_token(secure: Running, pki: Pki) -> None:
    """An admin's CreateToken returns a token that authenticates its principal; the entry
    names the token id and never the token."""
    seq = audit_seq(secure)
    with mtls_client(secure, pki, pki.admin) as admin:
        resp = admin.create_token("court", "鹿寨县人民法院", note="pilot")
    with public_client(secure, pki, token=resp.token) as client:
        me = client.whoami()
    assert (me.principal, me.role) == ("鹿寨县人民法院", "court")
    [entry, _] = entries_after(secure, seq)
    assert entry["outcome"]["token_id"] == resp.token_id
    assert resp.token not in str(entry)


def test_client_refuses_a_token_in_clear_text_to_another_host() -> None:
    """The client library does not send a bearer token over plaintext beyond this host."""
    from shixin.client import ClientConfig, ShixinClient

    with pytest.raises(ValueError, match="clear text"):
        ShixinClient(ClientConfig(server="10.20.30.40:50051", token="sx_x"))
