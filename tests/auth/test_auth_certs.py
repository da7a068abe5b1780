"""Certificates: issue, read back the identity, and let a real TLS stack accept or refuse them."""

import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from shixin.auth import (
    CertIdentity,
    CertificateIdentityError,
    CertKey,
    create_ca,
    identity_from_cert,
    issue_client_cert,
    issue_server_cert,
    load_cert_key,
    unit_from_cert,
)

COURT_NAME = "北京市第一中级人民法院"


@pytest.fixture(scope="module")
def ca() -> CertKey:
    return create_ca("shixin test CA")


@pytest.fixture(scope="module")
def server(ca: CertKey) -> CertKey:
    return issue_server_cert(ca)


def test_chain_and_extensions(ca: CertKey, server: CertKey) -> None:
    client = issue_client_cert(ca, "bank-x")
    for leaf in (server, client):
        leaf.cert.verify_directly_issued_by(ca.cert)
    assert ca.cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    san = server.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    uris = client.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert uris.get_values_for_type(x509.UniformResourceIdentifier) == ["shixin:unit:bank-x"]


def test_unit_round_trip_pem_der_and_parsed(ca: CertKey) -> None:
    client = issue_client_cert(ca, "bank-x")
    der = client.cert.public_bytes(serialization.Encoding.DER)
    for form in (client.cert_pem(), client.cert_pem().decode(), der, client.cert):
        assert unit_from_cert(form) == "bank-x"
    cn = client.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert cn == "bank-x"


def test_court_with_chinese_name(ca: CertKey) -> None:
    court = issue_client_cert(ca, COURT_NAME, kind="court")
    assert identity_from_cert(court.cert_pem()) == CertIdentity("court", COURT_NAME)
    with pytest.raises(CertificateIdentityError, match=f"names court '{COURT_NAME}', not a unit"):
        unit_from_cert(court.cert_pem())


def test_invalid_names_are_refused(ca: CertKey) -> None:
    for bad in ("", " bank", "a:b"):
        with pytest.raises(ValueError, match="invalid unit name"):
            issue_client_cert(ca, bad)
    with pytest.raises(ValueError, match="kind must be one of"):
        issue_client_cert(ca, "x", kind="public")  # type: ignore[arg-type]


def test_expired_and_future_certificates(ca: CertKey) -> None:
    now = datetime.now(UTC)
    expired = issue_client_cert(
        ca, "bank-x", not_before=now - timedelta(days=10), valid_for=timedelta(days=1)
    )
    assert expired.cert.not_valid_after_utc < now
    future = issue_client_cert(ca, "bank-x", not_before=now + timedelta(days=1))
    assert future.cert.not_valid_before_utc > now
    assert unit_from_cert(expired.cert) == "bank-x"  # reading is not validating
    with pytest.raises(ValueError, match="timezone-aware"):
        issue_client_cert(ca, "bank-x", not_before=datetime(2025, 1, 1))


def test_write_and_load_pem_files(ca: CertKey, tmp_path: Path) -> None:
    ca.write(tmp_path / "ca.pem", tmp_path / "ca.key", password=b"secret passphrase")
    assert (tmp_path / "ca.key").stat().st_mode & 0o777 == 0o600
    assert b"ENCRYPTED" in (tmp_path / "ca.key").read_bytes()
    loaded = load_cert_key(tmp_path / "ca.pem", tmp_path / "ca.key", b"secret passphrase")
    assert loaded.cert == ca.cert
    issue_client_cert(loaded, "customs").cert.verify_directly_issued_by(ca.cert)


def custom_cert(ca: CertKey, subject: list[x509.NameAttribute[str]], uris: list[str]) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(subject))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
    )
    if uris:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(u) for u in uris]),
            critical=False,
        )
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def cn(name: str) -> x509.NameAttribute[str]:
    return x509.NameAttribute(NameOID.COMMON_NAME, name)


def ou(name: str) -> x509.NameAttribute[str]:
    return x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, name)


def test_cn_only_certificates_from_another_ca(ca: CertKey) -> None:
    assert unit_from_cert(custom_cert(ca, [cn("bank-y")], [])) == "bank-y"
    other_uri = custom_cert(ca, [cn("bank-y")], ["https://example.org/x"])
    assert unit_from_cert(other_uri) == "bank-y"
    assert identity_from_cert(custom_cert(ca, [ou("admin"), cn("ops")], [])) == ("admin", "ops")


@pytest.mark.parametrize(
    ("subject", "uris", "text"),
    [
        ([cn("bank-x")], ["shixin:unit:bank-y"], "CN 'bank-x' disagrees with its SAN URI"),
        ([], ["shixin:unit:a", "shixin:unit:b"], "names 2 shixin identities"),
        ([], ["shixin:bank-x"], "malformed shixin URI"),
        ([], ["shixin:public:x"], "malformed shixin URI"),
        ([], [], "neither a shixin SAN URI nor a CN"),
        ([ou("sales"), cn("x")], [], "OU 'sales' is not a shixin kind"),
        ([cn("a"), cn("b")], [], "subject has 2 CN fields"),
    ],
)
def test_identity_errors(
    ca: CertKey, subject: list[x509.NameAttribute[str]], uris: list[str], text: str
) -> None:
    with pytest.raises(CertificateIdentityError, match=text):
        identity_from_cert(custom_cert(ca, subject, uris))


def test_garbage_is_not_a_certificate() -> None:
    with pytest.raises(CertificateIdentityError, match=r"not a readable X\.509 certificate"):
        unit_from_cert(b"\x30\x03garbage")


def handshake(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext, host: str) -> Any:
    """Run a TLS handshake in memory; return the certificate the server saw from the client."""
    s_in, s_out, c_in, c_out = (ssl.MemoryBIO() for _ in range(4))
    srv = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    cli = client_ctx.wrap_bio(c_in, c_out, server_hostname=host)
    done = {"srv": False, "cli": False}
    for _ in range(10):
        for name, end in (("cli", cli), ("srv", srv)):
            if not done[name]:
                try:
                    end.do_handshake()
                    done[name] = True
                except ssl.SSLWantReadError:
                    pass
            s_in.write(c_out.read())
            c_in.write(s_out.read())
        if all(done.values()):
            # TLS 1.3: the server judges the client certificate after the client is done
            cli.write(b"ping")
            s_in.write(c_out.read())
            assert srv.read(4) == b"ping"
            peer = srv.getpeercert()
            assert peer is not None
            return peer
    raise AssertionError("handshake did not finish")


def contexts(
    ca: CertKey, server: CertKey, client: CertKey, tmp_path: Path
) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    for name, ck in (("server", server), ("client", client)):
        ck.write(tmp_path / f"{name}.pem", tmp_path / f"{name}.key")
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(tmp_path / "server.pem", tmp_path / "server.key")
    server_ctx.verify_mode = ssl.CERT_REQUIRED
    server_ctx.load_verify_locations(cadata=ca.cert_pem().decode())
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_ctx.load_verify_locations(cadata=ca.cert_pem().decode())
    client_ctx.load_cert_chain(tmp_path / "client.pem", tmp_path / "client.key")
    return server_ctx, client_ctx


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_tls_accepts_the_issued_certificates(
    ca: CertKey, server: CertKey, tmp_path: Path, host: str
) -> None:
    client = issue_client_cert(ca, "bank-x")
    peer = handshake(*contexts(ca, server, client, tmp_path), host)
    assert ((("commonName", "bank-x"),)) in peer["subject"]
    assert ("URI", "shixin:unit:bank-x") in peer["subjectAltName"]


def test_tls_refuses_an_expired_client_certificate(
    ca: CertKey, server: CertKey, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    expired = issue_client_cert(
        ca, "bank-x", not_before=now - timedelta(days=10), valid_for=timedelta(days=1)
    )
    with pytest.raises(ssl.SSLError, match="expired"):
        handshake(*contexts(ca, server, expired, tmp_path), "localhost")


def test_tls_refuses_a_certificate_from_another_ca(
    ca: CertKey, server: CertKey, tmp_path: Path
) -> None:
    stranger = issue_client_cert(create_ca("other CA"), "bank-x")
    with pytest.raises(ssl.SSLError):
        handshake(*contexts(ca, server, stranger, tmp_path), "localhost")
