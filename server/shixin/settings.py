"""All settings in one place: SHIXIN_* environment variables, validated at start-up.

Command-line flags override these; tests pass a Settings object directly and
never mutate the environment.

Listeners (docs/security.md explains why there are two): ``listen`` is the main
port. With ``tls_client_ca`` it *requires* a client certificate from that CA
(mutual TLS: units, courts, admins); gRPC cannot ask for a certificate and
accept its absence, so callers without one — public callers, and units whose
TLS ends at a proxy and who present a bearer token — use ``public_listen``,
served with the same server certificate and no client certificate.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from shixin.audit.config import KEY_ENV, MIN_KEY_BYTES, key_from_env


@dataclass(frozen=True)
class Settings:
    """Server settings."""

    # Data directory holding the LMDB index and the audit log.
    data: Path = Path("data")
    # Address of the main port (mutual TLS when tls_client_ca is set).
    listen: str = "127.0.0.1:50051"
    # Address of a second port for callers without a client certificate (public queries,
    # bearer tokens); None: no second port.
    public_listen: str | None = None
    # PEM server certificate and key; TLS is on when both are set.
    tls_cert: Path | None = None
    tls_key: Path | None = None
    # PEM CA that signs client certificates; when set, the main port requires one.
    tls_client_ca: Path | None = None
    # Trust the request's `unit` field / x-shixin-principal metadata (development only).
    dev_auth: bool = False
    # HMAC key for the audit chain (at least 16 bytes); without it the chain is plain SHA-256.
    audit_key: bytes | None = None
    # Audit every call. Only bench/audit_overhead.py turns this off to measure the cost;
    # no environment variable or command-line flag can: a look-up must never go unrecorded.
    audit: bool = True
    # gRPC worker threads (each open stream holds one).
    workers: int = 64
    # Processes that match BatchMatch messages beside the serving process (started on the
    # first batch); 0 keeps batches in the serving process. Default: one per spare CPU.
    batch_workers: int = field(default_factory=lambda: default_batch_workers())
    # CPU for the serving process's Python threads: "auto" (the last CPU, when there are
    # two or more), "off", or a CPU number (shixin.grpcapi.pinning says why).
    pin_cpu: str = "auto"
    # Public queries per second allowed per client address, and the burst.
    public_rate: float = 1.0
    public_burst: int = 5
    # Fixed "today" for reproducible demos and tests; None means the date in China.
    today: date | None = None
    # "json" (production) or "console" (development) logs.
    log_format: str = "json"

    @property
    def tls(self) -> bool:
        """Whether the server terminates TLS itself."""
        return self.tls_cert is not None and self.tls_key is not None

    @property
    def mutual_tls(self) -> bool:
        """Whether the main port requires client certificates."""
        return self.tls and self.tls_client_ca is not None


def default_batch_workers() -> int:
    """One batch worker per CPU beyond the serving process's, at least one, at most 8."""
    return max(1, min(8, (os.cpu_count() or 2) - 1))


def _bool(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


def from_env(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from SHIXIN_* variables, then explicit overrides (None values ignored)."""
    e = os.environ if env is None else env
    values: dict[str, object] = {}
    if e.get("SHIXIN_DATA"):
        values["data"] = Path(e["SHIXIN_DATA"])
    for name in ("listen", "public_listen"):
        if e.get(f"SHIXIN_{name.upper()}"):
            values[name] = e[f"SHIXIN_{name.upper()}"]
    for name in ("tls_cert", "tls_key", "tls_client_ca"):
        if e.get(f"SHIXIN_{name.upper()}"):
            values[name] = Path(e[f"SHIXIN_{name.upper()}"])
    if e.get("SHIXIN_DEV_AUTH"):
        values["dev_auth"] = _bool(e["SHIXIN_DEV_AUTH"])
    values["audit_key"] = key_from_env(e)
    if e.get("SHIXIN_WORKERS"):
        values["workers"] = int(e["SHIXIN_WORKERS"])
    if e.get("SHIXIN_BATCH_WORKERS"):
        values["batch_workers"] = int(e["SHIXIN_BATCH_WORKERS"])
    if e.get("SHIXIN_PIN_CPU"):
        values["pin_cpu"] = e["SHIXIN_PIN_CPU"]
    if e.get("SHIXIN_PUBLIC_RATE"):
        values["public_rate"] = float(e["SHIXIN_PUBLIC_RATE"])
    if e.get("SHIXIN_PUBLIC_BURST"):
        values["public_burst"] = int(e["SHIXIN_PUBLIC_BURST"])
    if e.get("SHIXIN_TODAY"):
        values["today"] = date.fromisoformat(e["SHIXIN_TODAY"])
    if e.get("SHIXIN_LOG_FORMAT"):
        values["log_format"] = e["SHIXIN_LOG_FORMAT"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    s = replace(Settings(), **values)  # type: ignore[arg-type]
    validate(s)
    return s


def validate(s: Settings) -> None:
    """Refuse inconsistent settings with a precise message."""
    if (s.tls_cert is None) != (s.tls_key is None):
        raise ValueError("SHIXIN_TLS_CERT and SHIXIN_TLS_KEY go together")
    if s.tls_client_ca is not None and not s.tls:
        raise ValueError("SHIXIN_TLS_CLIENT_CA needs SHIXIN_TLS_CERT and SHIXIN_TLS_KEY")
    for path in (s.tls_cert, s.tls_key, s.tls_client_ca):
        if path is not None and not path.is_file():
            raise ValueError(f"{path}: no such file (TLS certificate, key or CA)")
    if s.public_listen == s.listen and not s.listen.endswith(":0"):
        raise ValueError("SHIXIN_PUBLIC_LISTEN must differ from SHIXIN_LISTEN")
    if s.audit_key is not None and len(s.audit_key) < MIN_KEY_BYTES:
        raise ValueError(f"{KEY_ENV} is too short ({len(s.audit_key)} bytes, need at least "
                         f"{MIN_KEY_BYTES})")
    if s.workers < 4:
        raise ValueError("SHIXIN_WORKERS must be at least 4")
    if s.batch_workers < 0:
        raise ValueError("SHIXIN_BATCH_WORKERS must be 0 or more")
    if s.public_rate <= 0 or s.public_burst < 1:
        raise ValueError("SHIXIN_PUBLIC_RATE must be positive and SHIXIN_PUBLIC_BURST at least 1")
    if s.log_format not in ("json", "console"):
        raise ValueError("SHIXIN_LOG_FORMAT is 'json' or 'console'")
    _check_pin_cpu(s.pin_cpu)


def _check_pin_cpu(text: str) -> None:
    from shixin.grpcapi.pinning import choose_cpu

    if text.strip().lower() not in ("auto", "off") and not text.strip().isdigit():
        raise ValueError(f"SHIXIN_PIN_CPU is 'auto', 'off' or a CPU number, not {text!r}")
    choose_cpu(text)  # a CPU this process may not run on is refused here
