"""Authenticator details that keep the per-call cost down without changing who is who."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import grpc
import pytest

from shixin.auth import Role
from shixin.grpcapi.identity import DEV_HEADER, Authenticator, CredentialRefused
from shixin.measures import load_catalogue
from shixin.store import Store


class FakeContext:
    def __init__(self, metadata: tuple[tuple[str, str], ...] = (),
                 auth: dict[str, list[bytes]] | None = None) -> None:
        self.metadata = metadata
        self.auth = auth or {}
        self.auth_reads = 0

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        return self.metadata

    def auth_context(self) -> dict[str, list[bytes]]:
        self.auth_reads += 1
        return self.auth

    def peer(self) -> str:
        return "ipv4:127.0.0.1:5555"


@pytest.fixture()
def store(tmp_path: Path) -> Any:
    s = Store(tmp_path)
    yield s
    s.close()


def test_without_client_certificates_the_auth_context_is_not_read(store: Store) -> None:
    auth = Authenticator(store, load_catalogue(), dev_mode=True, client_certs=False)
    ctx = FakeContext(((DEV_HEADER, "unit:pbc-liuzhou"),))
    principal, method = auth.resolve(cast(grpc.ServicerContext, ctx), "")
    assert (principal.id, principal.role, method) == ("pbc-liuzhou", Role.UNIT, "dev")
    assert ctx.auth_reads == 0


def test_with_client_certificates_the_auth_context_is_read(store: Store) -> None:
    auth = Authenticator(store, load_catalogue(), dev_mode=True)
    ctx = FakeContext(((DEV_HEADER, "unit:pbc-liuzhou"),))
    auth.resolve(cast(grpc.ServicerContext, ctx), "")
    assert ctx.auth_reads == 1


def test_unit_principals_are_built_once_and_unknown_units_still_refused(store: Store) -> None:
    auth = Authenticator(store, load_catalogue(), dev_mode=True, client_certs=False)
    first = auth.principal_for(Role.UNIT, "pbc-liuzhou", {})
    assert auth.principal_for(Role.UNIT, "pbc-liuzhou", {}) is first
    assert first.measures  # the unit's measures, as before
    for _ in range(2):
        with pytest.raises(CredentialRefused) as err:
            auth.principal_for(Role.UNIT, "no-such-unit", {})
        assert err.value.reason == "UNKNOWN_UNIT"
