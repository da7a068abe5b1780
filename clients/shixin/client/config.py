"""Client credentials from flags, the environment, or a config file — in that order.

Environment: SHIXIN_SERVER, SHIXIN_TOKEN, SHIXIN_CA (server CA, turns TLS on),
SHIXIN_CLIENT_CERT and SHIXIN_CLIENT_KEY (mutual TLS), SHIXIN_UNIT (development
servers only), SHIXIN_PURPOSE. Config file: TOML with the same names in lower
case (``server = "…"``, ``token = "…"``), at SHIXIN_CONFIG or
``~/.config/shixin/client.toml``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("server", "token", "ca", "client_cert", "client_key", "unit", "purpose", "principal")


@dataclass(frozen=True)
class ClientConfig:
    """Where the server is and how to prove who we are."""

    server: str = "127.0.0.1:50051"
    token: str = ""
    ca: str = ""
    client_cert: str = ""
    client_key: str = ""
    unit: str = ""
    purpose: str = ""
    principal: str = ""


def load_config(flags: Mapping[str, str | None] | None = None,
                env: Mapping[str, str] | None = None,
                config_file: str | None = None) -> ClientConfig:
    """Merge config file < environment < flags."""
    e = os.environ if env is None else env
    values: dict[str, str] = {}
    path = Path(config_file or e.get("SHIXIN_CONFIG") or
                Path.home() / ".config" / "shixin" / "client.toml")
    if path.is_file():
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        values.update({k: str(v) for k, v in data.items() if k in FIELDS})
    for name in FIELDS:
        if e.get(f"SHIXIN_{name.upper()}"):
            values[name] = e[f"SHIXIN_{name.upper()}"]
    for name, value in (flags or {}).items():
        if value and name in FIELDS:
            values[name] = value
    return ClientConfig(**values)
