"""``shixin admin cert``: a private PKI whose certificates the server accepts for mutual TLS."""

from __future__ import annotations

from pathlib import Path

from shixin.client import ClientConfig, ShixinClient
from shixin.grpcapi.server import create_server
from shixin.settings import Settings
from tests.security.support import shixin


def test_cli_made_certificates_work_for_mutual_tls(tmp_path: Path) -> None:
    """ca, server and client certificates made by the CLI: the server presents its own, and
    the client certificate's court name becomes the caller."""
    pki = tmp_path / "pki"
    court = "柳州市中级人民法院"
    for args in (("ca", "--out", str(pki / "ca")),
                 ("server", "--out", str(pki / "server"), "--ca-dir", str(pki / "ca"),
                  "--host", "localhost"),
                 ("client", "--out", str(pki / "court"), "--ca-dir", str(pki / "ca"),
                  "--role", "court", "--principal-id", court)):
        made = shixin("admin", "cert", *args)
        assert made.returncode == 0, made.stderr
    assert (pki / "ca" / "ca-key.pem").stat().st_mode & 0o077 == 0
    running = create_server(Settings(
        data=tmp_path / "data", listen="127.0.0.1:0", tls_cert=pki / "server" / "server.pem",
        tls_key=pki / "server" / "server-key.pem", tls_client_ca=pki / "ca" / "ca.pem"))
    try:
        with ShixinClient(ClientConfig(
                server=f"localhost:{running.port}", ca=str(pki / "ca" / "ca.pem"),
                client_cert=str(pki / "court" / "client.pem"),
                client_key=str(pki / "court" / "client-key.pem"))) as client:
            me = client.whoami()
    finally:
        running.stop(0)
    assert (me.principal, me.role, me.method) == (court, "court", "mtls")


def test_cert_commands_never_overwrite(tmp_path: Path) -> None:
    """A second 'cert ca' into the same directory is refused and leaves the CA key alone."""
    assert shixin("admin", "cert", "ca", "--out", str(tmp_path)).returncode == 0
    key = (tmp_path / "ca-key.pem").read_bytes()
    again = shixin("admin", "cert", "ca", "--out", str(tmp_path))
    assert again.returncode == 2 and "nothing is overwritten" in again.stderr
    assert (tmp_path / "ca-key.pem").read_bytes() == key


def test_client_cert_for_unknown_unit_is_refused(tmp_path: Path) -> None:
    """A unit certificate is issued only for a unit code of the catalogue."""
    assert shixin("admin", "cert", "ca", "--out", str(tmp_path / "ca")).returncode == 0
    made = shixin("admin", "cert", "client", "--out", str(tmp_path / "c"), "--ca-dir",
                  str(tmp_path / "ca"), "--principal-id", "no-such-unit")
    assert made.returncode == 2 and "unknown unit" in made.stderr
    assert not (tmp_path / "c").exists()
