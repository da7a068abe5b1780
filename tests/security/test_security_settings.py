"""Settings that would weaken security are refused at start-up with a precise message."""

from __future__ import annotations

from pathlib import Path

import pytest

from shixin.grpcapi.server import create_server
from shixin.settings import Settings, from_env


def test_short_audit_key_from_the_environment_is_refused() -> None:
    """SHIXIN_AUDIT_KEY under 16 bytes is an error naming the length, not a weak chain."""
    with pytest.raises(ValueError, match=r"too short \(7 bytes, need at least 16\)"):
        from_env({"SHIXIN_AUDIT_KEY": "abcdefg"})


def test_audit_key_and_public_port_come_from_the_environment() -> None:
    """SHIXIN_AUDIT_KEY and SHIXIN_PUBLIC_LISTEN reach the settings."""
    s = from_env({"SHIXIN_AUDIT_KEY": "k" * 32, "SHIXIN_PUBLIC_LISTEN": "0.0.0.0:50052"})
    assert s.audit_key == b"k" * 32 and s.public_listen == "0.0.0.0:50052"
    assert s.audit  # no variable turns the audit off


def test_short_audit_key_given_directly_is_refused(tmp_path: Path) -> None:
    """The server refuses a short key passed in Settings too."""
    with pytest.raises(ValueError, match="too short"):
        create_server(Settings(data=tmp_path, listen="127.0.0.1:0", audit_key=b"short"))


def test_client_ca_without_server_certificate_is_refused(tmp_path: Path) -> None:
    """Mutual TLS needs the server's own certificate and key."""
    ca = tmp_path / "ca.pem"
    ca.write_text("not used")
    with pytest.raises(ValueError, match="needs SHIXIN_TLS_CERT"):
        create_server(Settings(data=tmp_path, listen="127.0.0.1:0", tls_client_ca=ca))


def test_missing_certificate_file_is_named(tmp_path: Path) -> None:
    """A TLS file that does not exist is named in the error."""
    missing = tmp_path / "server.pem"
    with pytest.raises(ValueError, match=r"server\.pem: no such file"):
        create_server(Settings(data=tmp_path, listen="127.0.0.1:0", tls_cert=missing,
                               tls_key=missing))
