"""All settings in one place: SHIXIN_* environment variables, validated at start-up.

Command-line flags override these; tests pass a Settings object directly and
never mutate the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Server settings."""

    # Data directory holding the LMDB index and the audit log.
    data: Path = Path("data")
    # Address to listen on.
    listen: str = "127.0.0.1:50051"
    # PEM server certificate and key; TLS is on when both are set.
    tls_cert: Path | None = None
    tls_key: Path | None = None
    # PEM CA that signs client certificates; when set, clients may (and units should)
    # authenticate with mutual TLS.
    tls_client_ca: Path | None = None
    # Trust the request's `unit` field / x-shixin-principal metadata (development only).
    dev_auth: bool = False
    # HMAC key for the audit chain (hex or text); without it the chain is plain SHA-256.
    audit_key: bytes | None = None
    # gRPC worker threads (each open stream holds one).
    workers: int = 64
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


def _bool(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


def from_env(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from SHIXIN_* variables, then explicit overrides (None values ignored)."""
    e = os.environ if env is None else env
    s = Settings()
    values: dict[str, object] = {}
    if e.get("SHIXIN_DATA"):
        values["data"] = Path(e["SHIXIN_DATA"])
    if e.get("SHIXIN_LISTEN"):
        values["listen"] = e["SHIXIN_LISTEN"]
    for name in ("tls_cert", "tls_key", "tls_client_ca"):
        if e.get(f"SHIXIN_{name.upper()}"):
            values[name] = Path(e[f"SHIXIN_{name.upper()}"])
    if e.get("SHIXIN_DEV_AUTH"):
        values["dev_auth"] = _bool(e["SHIXIN_DEV_AUTH"])
    if e.get("SHIXIN_AUDIT_KEY"):
        values["audit_key"] = e["SHIXIN_AUDIT_KEY"].encode()
    if e.get("SHIXIN_WORKERS"):
        values["workers"] = int(e["SHIXIN_WORKERS"])
    if e.get("SHIXIN_PUBLIC_RATE"):
        values["public_rate"] = float(e["SHIXIN_PUBLIC_RATE"])
    if e.get("SHIXIN_TODAY"):
        values["today"] = date.fromisoformat(e["SHIXIN_TODAY"])
    if e.get("SHIXIN_LOG_FORMAT"):
        values["log_format"] = e["SHIXIN_LOG_FORMAT"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    s = replace(s, **values)  # type: ignore[arg-type]
    validate(s)
    return s


def validate(s: Settings) -> None:
    """Refuse inconsistent settings with a precise message."""
    if (s.tls_cert is None) != (s.tls_key is None):
        raise ValueError("SHIXIN_TLS_CERT and SHIXIN_TLS_KEY go together")
    if s.tls_client_ca is not None and not s.tls:
        raise ValueError("SHIXIN_TLS_CLIENT_CA needs SHIXIN_TLS_CERT and SHIXIN_TLS_KEY")
    if s.workers < 4:
        raise ValueError("SHIXIN_WORKERS must be at least 4")
    if s.log_format not in ("json", "console"):
        raise ValueError("SHIXIN_LOG_FORMAT is 'json' or 'console'")
