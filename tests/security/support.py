"""Helpers of the security tests: certificates on disk, state digests, audit entries."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from shixin.audit.anchor import META_KEY
from shixin.auth import CertKey, create_ca, issue_client_cert, issue_server_cert
from shixin.client import ClientConfig, ShixinClient
from shixin.grpcapi.server import Running

COURT = "柳州市柳南区人民法院"
OTHER_COURT = "柳城县人民法院"
UNIT = "pbc-liuzhou"
UNIT_PURPOSE = "credit.grant"
OTHER_UNITS_PURPOSE = "customs.certification"  # customs-liuzhou's, not the bank's


@dataclass(frozen=True)
class Pair:
    """A certificate and key written to disk."""

    cert: Path
    key: Path


@dataclass(frozen=True)
class Pki:
    """A CA, the server's certificate and the clients' certificates, as PEM files."""

    ca: Path
    server: Pair
    unit: Pair
    court: Pair
    admin: Pair
    expired_unit: Pair
    foreign_unit: Pair


def _write(made: CertKey, directory: Path, name: str) -> Pair:
    pair = Pair(directory / f"{name}.pem", directory / f"{name}-key.pem")
    made.write(pair.cert, pair.key)
    return pair


def make_pki(directory: Path) -> Pki:
    """Real certificates made now: the expired one's validity ended yesterday."""
    directory.mkdir(parents=True, exist_ok=True)
    ca = create_ca()
    ca_path = directory / "ca.pem"
    ca_path.write_bytes(ca.cert_pem())
    month_ago = datetime.now(UTC) - timedelta(days=30)
    return Pki(
        ca=ca_path,
        server=_write(issue_server_cert(ca), directory, "server"),
        unit=_write(issue_client_cert(ca, UNIT), directory, "unit"),
        court=_write(issue_client_cert(ca, COURT, kind="court"), directory, "court"),
        admin=_write(issue_client_cert(ca, "ops-1", kind="admin"), directory, "admin"),
        expired_unit=_write(issue_client_cert(ca, UNIT, not_before=month_ago,
                                              valid_for=timedelta(days=29)),
                            directory, "expired"),
        foreign_unit=_write(issue_client_cert(create_ca("another CA"), UNIT), directory,
                            "foreign"),
    )


def mtls_client(running: Running, pki: Pki, pair: Pair | None, **config: Any) -> ShixinClient:
    """A client of the mutual-TLS port presenting ``pair`` (or no certificate)."""
    return ShixinClient(ClientConfig(
        server=f"localhost:{running.port}", ca=str(pki.ca),
        client_cert=str(pair.cert) if pair else "", client_key=str(pair.key) if pair else "",
        **config), timeout=10)


def public_client(running: Running, pki: Pki | None = None, **config: Any) -> ShixinClient:
    """A client of the port without client certificates (TLS when ``pki`` is given)."""
    port = running.public_port if running.public_port is not None else running.port
    return ShixinClient(ClientConfig(server=f"localhost:{port}",
                                     ca=str(pki.ca) if pki else "", **config), timeout=10)


def state_digest(running: Running) -> str:
    """SHA-256 over every key and value of the index (told ledger included), except the
    audit anchor, after the told ledger's queue is committed."""
    running.ledger.flush()
    store = running.store
    h = hashlib.sha256()
    with store.read_txn() as txn:
        for name, db in sorted(store.dbs.items()):
            with txn.cursor(db=db) as cur:
                for key, value in cur.iternext():
                    if name == "meta" and bytes(key) == META_KEY:
                        continue
                    h.update(name.encode() + b"\0" + bytes(key) + b"\0" + bytes(value) + b"\n")
    return h.hexdigest()


def audit_seq(running: Running) -> int:
    """The audit log's head seq once everything appended so far is on disk."""
    assert running.audit is not None
    running.audit.flush()
    return running.audit.head().seq


def entries_after(running: Running, seq: int) -> list[dict[str, Any]]:
    """Audit entries with a seq greater than ``seq``, read back from the file."""
    assert running.audit is not None
    running.audit.flush()
    return [e for e in read_log(running.audit.path) if e["seq"] > seq]


def read_log(path: Path) -> Iterator[dict[str, Any]]:
    """Every entry of an audit file."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def error_reason(exc: grpc.RpcError) -> str:
    """The ErrorInfo reason of a failed call."""
    status = rpc_status.from_call(exc)
    assert status is not None, f"no rich status: {exc}"
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return str(info.reason)
    raise AssertionError(f"no ErrorInfo in {status}")


def shixin(*args: str, audit_key: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """Run the ``shixin`` command in a child process (its own logging, env and exit code)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHIXIN_")}
    if audit_key is not None:
        env["SHIXIN_AUDIT_KEY"] = audit_key.decode()
    return subprocess.run([sys.executable, "-m", "shixin.cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
