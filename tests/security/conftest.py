"""Fixtures of the security tests: a real PKI and a mutual-TLS server over a real index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shixin.demo import DEFAULT_TODAY
from shixin.grpcapi.server import Running, create_server
from shixin.service.clock import fixed
from shixin.service.importer import import_files
from shixin.settings import Settings
from shixin.store import Store
from shixin.v1 import match_service_pb2 as match_pb
from tests.conftest import DemoList
from tests.security.support import Pki, make_pki, public_client

AUDIT_KEY = b"security-tests-audit-key-0123456789"


@pytest.fixture(scope="package")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """CA, server, unit, court, admin, expired and foreign certificates made for this run."""
    return make_pki(tmp_path_factory.mktemp("pki"))


def index_of(demo: DemoList, data: Path) -> Path:
    """Import the demo list into a fresh LMDB index in ``data``."""
    store = Store(data)
    report = import_files(store, [demo.records, demo.events], clock=fixed(DEFAULT_TODAY))
    store.close()
    assert report.records_added > 0
    return data


def secure_settings(data: Path, pki: Pki, **overrides: Any) -> Settings:
    """Production-shaped settings: mutual TLS on the main port, TLS on the public port."""
    values: dict[str, Any] = dict(
        data=data, listen="127.0.0.1:0", public_listen="127.0.0.1:0",
        tls_cert=pki.server.cert, tls_key=pki.server.key, tls_client_ca=pki.ca,
        audit_key=AUDIT_KEY, today=DEFAULT_TODAY, public_rate=1000, public_burst=1000)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="package")
def secure(tmp_path_factory: pytest.TempPathFactory, demo_list: DemoList,
           pki: Pki) -> Iterator[Running]:
    """The real server with mutual TLS, tokens and an HMAC-keyed audit log."""
    data = index_of(demo_list, tmp_path_factory.mktemp("secure"))
    running = create_server(secure_settings(data, pki))
    yield running
    running.stop(0)


@pytest.fixture(scope="package")
def listed(secure: Running, pki: Pki, demo_list: DemoList) -> list[dict[str, Any]]:
    """Five people on the list with an active, public record, found as the public finds
    them (so that no unit has been told of them yet)."""
    found = []
    with public_client(secure, pki) as client:
        for t in demo_list.truths:
            if t["kind"] != "person" or not t.get("id_listed"):
                continue
            resp = client.match(t["name"], t["id_number"])
            if resp.status == match_pb.MATCH_STATUS_HIT and resp.hits[0].active:
                found.append(t)
                if len(found) == 5:
                    return found
    raise AssertionError("fewer than five active listed people in the demo list")


@pytest.fixture(scope="package")
def court_records(demo_list: DemoList) -> list[dict[str, Any]]:
    """The demo list's records as pushed (interchange format)."""
    return [json.loads(line) for line in
            demo_list.records.read_text(encoding="utf-8").splitlines() if line.strip()]
