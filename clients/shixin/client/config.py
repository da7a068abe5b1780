"""Client credentials from flags, the environment, or a config file — in that order.

Environment: SHIXIN_SERVER, SHIXIN_TOKEN (bearer token), SHIXIN_CA (CA of the
server's certificate, or ``system`` for the system's CAs; turns TLS on),
SHIXIN_SERVER_NAME (name to check the server's certificate against, when the
address is not in it), SHIXIN_CLIENT_CERT and SHIXIN_CLIENT_KEY (mutual TLS),
SHIXIN_UNIT and SHIXIN_PRINCIPAL (development servers only), SHIXIN_PURPOSE.
Config file: TOML with the same names in lower case (``server = "…"``,
``token = "…"``), at SHIXIN_CONFIG or ``~/.config/shixin/client.toml``; keep it
readable by its owner only when it holds a token.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("server", "token", "ca", "server_name", "client_cert", "client_key", "unit", "purpose",
          "principal")
SYSTEM_CA = "system"
"""``ca`` value meaning: TLS, trusting the system's root CAs."""


@dataclass(frozen=True)
class ClientConfig:
    """Where the server is and how to prove who we are."""

    server: str = "127.0.0.1:50051"
    token: str = ""
    ca: str = ""
    server_name: str = ""
    client_cert: str = ""
    client_key: str = ""
    unit: str = ""
    purpose: str = ""
    principal: str = ""

    def __post_init__(self) -> None:
        if bool(self.client_cert) != bool(self.client_key):
            raise ValueError("a client certificate and its key go together "
                             "(--client-cert with --client-key)")

    @property
    def secure(self) -> bool:
        """Whether the channel uses TLS."""
        return bool(self.ca or self.client_cert)


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
