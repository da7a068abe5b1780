"""A small private PKI for mutual TLS: a CA, the server's certificate, client certificates.

A client certificate names its holder twice: the Subject CN is the unit code
(or court name) for people reading it, and a SAN URI
``shixin:<kind>:<percent-encoded name>`` (kind: unit, court, admin) is what
:func:`identity_from_cert` trusts — typed, and free of the CN's 64-character
and free-text ambiguities. A certificate without that URI falls back to its CN
(``OU`` giving the kind, unit by default) so certificates from an existing
organisational CA still work.

Keys are ECDSA P-256: fast to generate in tests and supported by gRPC's TLS.
Validity is explicit (``not_before``, ``valid_for``) so tests can issue
expired and not-yet-valid certificates; checking validity and the chain is
the TLS stack's job, not :func:`identity_from_cert`'s.
"""

import ipaddress
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, NamedTuple, cast, get_args
from urllib.parse import quote, unquote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from shixin.auth.errors import CertificateIdentityError

Kind = Literal["unit", "court", "admin"]
URI_SCHEME = "shixin"
CLOCK_SKEW = timedelta(minutes=5)


class CertIdentity(NamedTuple):
    kind: Kind
    name: str


@dataclass(frozen=True, slots=True)
class CertKey:
    """A certificate with its private key."""

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self, password: bytes | None = None) -> bytes:
        """PKCS#8 PEM; encrypted when ``password`` is given (advisable for the CA key)."""
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def write(
        self,
        cert_path: str | os.PathLike[str],
        key_path: str | os.PathLike[str],
        password: bytes | None = None,
    ) -> None:
        """Write the PEM files; the key file is created readable by its owner only."""
        Path(cert_path).write_bytes(self.cert_pem())
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(self.key_pem(password))
        os.chmod(key_path, 0o600)  # O_CREAT's mode does not apply to an existing file


def load_cert_key(
    cert_path: str | os.PathLike[str],
    key_path: str | os.PathLike[str],
    password: bytes | None = None,
) -> CertKey:
    """Read a certificate and its EC key back (e.g. the CA, to issue more)."""
    cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    key = serialization.load_pem_private_key(Path(key_path).read_bytes(), password)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{key_path}: expected an EC private key, got {type(key).__name__}")
    return CertKey(cert, key)


def _window(not_before: datetime | None, valid_for: timedelta) -> tuple[datetime, datetime]:
    start = not_before if not_before is not None else datetime.now(UTC) - CLOCK_SKEW
    if start.tzinfo is None:
        raise ValueError("not_before must be timezone-aware")
    return start, start + valid_for


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    not_before: datetime | None,
    valid_for: timedelta,
) -> x509.CertificateBuilder:
    start, end = _window(not_before, valid_for)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _leaf_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _issue(
    ca: CertKey,
    subject: x509.Name,
    san: list[x509.GeneralName],
    usage: x509.ObjectIdentifier,
    not_before: datetime | None,
    valid_for: timedelta,
) -> CertKey:
    key = ec.generate_private_key(ec.SECP256R1())
    ski = ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        _builder(subject, ca.cert.subject, key, not_before, valid_for)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_leaf_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return CertKey(cert, key)


def create_ca(
    common_name: str = "shixin CA",
    *,
    not_before: datetime | None = None,
    valid_for: timedelta = timedelta(days=3650),
) -> CertKey:
    """A self-signed CA that may sign leaf certificates only (path length 0)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        _builder(name, name, key, not_before, valid_for)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return CertKey(cert, key)


def _host_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def issue_server_cert(
    ca: CertKey,
    hosts: Iterable[str] = ("localhost", "127.0.0.1"),
    *,
    common_name: str = "shixin server",
    not_before: datetime | None = None,
    valid_for: timedelta = timedelta(days=397),
) -> CertKey:
    """The server's certificate; ``hosts`` (DNS names or IP addresses) go into the SAN."""
    san = [_host_name(h) for h in hosts]
    if not san:
        raise ValueError("a server certificate needs at least one host")
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    return _issue(ca, subject, san, ExtendedKeyUsageOID.SERVER_AUTH, not_before, valid_for)


def identity_uri(kind: Kind, name: str) -> str:
    """``shixin:unit:bank-x``; non-ASCII names (courts) are percent-encoded (SAN URIs are ASCII)."""
    return f"{URI_SCHEME}:{kind}:{quote(name, safe='')}"


def issue_client_cert(
    ca: CertKey,
    name: str,
    *,
    kind: Kind = "unit",
    not_before: datetime | None = None,
    valid_for: timedelta = timedelta(days=365),
) -> CertKey:
    """A client certificate for unit code (or court, admin) ``name``: CN, OU=kind, SAN URI."""
    if kind not in get_args(Kind):
        raise ValueError(f"kind must be one of {get_args(Kind)}, not {kind!r}")
    if not name or name != name.strip() or ":" in name:
        raise ValueError(f"invalid {kind} name {name!r}: empty, padded, or containing ':'")
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, kind),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    san: list[x509.GeneralName] = [x509.UniformResourceIdentifier(identity_uri(kind, name))]
    return _issue(ca, subject, san, ExtendedKeyUsageOID.CLIENT_AUTH, not_before, valid_for)


def _load(data: bytes | str | x509.Certificate) -> x509.Certificate:
    if isinstance(data, x509.Certificate):
        return data
    raw = data.encode("ascii") if isinstance(data, str) else data
    try:
        if raw.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(raw)
        return x509.load_der_x509_certificate(raw)
    except ValueError as exc:
        raise CertificateIdentityError(f"not a readable X.509 certificate: {exc}") from exc


def _attr(cert: x509.Certificate, oid: x509.ObjectIdentifier, label: str) -> str | None:
    values = cert.subject.get_attributes_for_oid(oid)
    if len(values) > 1:
        raise CertificateIdentityError(f"certificate subject has {len(values)} {label} fields")
    if not values:
        return None
    value = values[0].value
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _uri_identities(cert: x509.Certificate) -> list[CertIdentity]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    found = []
    for uri in san.get_values_for_type(x509.UniformResourceIdentifier):
        scheme, _, rest = uri.partition(":")
        if scheme != URI_SCHEME:
            continue
        kind, sep, name = rest.partition(":")
        if not sep or kind not in get_args(Kind) or not name:
            raise CertificateIdentityError(f"malformed shixin URI {uri!r} in certificate SAN")
        found.append(CertIdentity(cast(Kind, kind), unquote(name)))
    return found


def identity_from_cert(data: bytes | str | x509.Certificate) -> CertIdentity:
    """Who a client certificate (PEM, DER or parsed) names.

    The ``shixin:`` SAN URI decides; the CN must agree with it if present.
    Without such a URI the CN is the name and the OU the kind (unit if absent).
    """
    cert = _load(data)
    cn = _attr(cert, NameOID.COMMON_NAME, "CN")
    uris = _uri_identities(cert)
    if len(uris) > 1:
        raise CertificateIdentityError(f"certificate names {len(uris)} shixin identities: {uris}")
    if uris:
        identity = uris[0]
        if cn is not None and cn != identity.name:
            raise CertificateIdentityError(
                f"certificate CN {cn!r} disagrees with its SAN URI name {identity.name!r}"
            )
        return identity
    if not cn:
        raise CertificateIdentityError("certificate has neither a shixin SAN URI nor a CN")
    ou = _attr(cert, NameOID.ORGANIZATIONAL_UNIT_NAME, "OU") or "unit"
    if ou not in get_args(Kind):
        raise CertificateIdentityError(
            f"certificate OU {ou!r} is not a shixin kind {get_args(Kind)}"
        )
    return CertIdentity(cast(Kind, ou), cn)


def unit_from_cert(data: bytes | str | x509.Certificate) -> str:
    """The unit code a client certificate names; refuses court and admin certificates."""
    identity = identity_from_cert(data)
    if identity.kind != "unit":
        raise CertificateIdentityError(
            f"certificate names {identity.kind} {identity.name!r}, not a unit"
        )
    return identity.name
