"""Per-unit bearer tokens: ``sx_<id>_<secret>``, stored only as a hash.

* ``id``: 16 hex chars (64 random bits), not secret — the key under which the
  hash is stored, so a token is checked with one lookup instead of comparing
  it against every stored hash.
* ``secret``: 32 random bytes as base64url (43 chars) followed by a 6-char
  CRC-32 of everything before it. The checksum lets a garbled (mistyped,
  truncated) token be told apart from a forged one without touching storage,
  and lets secret scanners recognise leaked tokens. It adds no security.

Why SHA-256 and no slow KDF (bcrypt, scrypt, Argon2): those protect
low-entropy passwords from guessing after the hashes leak. A token has 256
bits from the OS CSPRNG; inverting its SHA-256 takes ~2^256 work however fast
one hash is. A slow KDF would only add milliseconds to every RPC and hand
attackers a cheap way to burn server CPU.

Comparison is constant-time (:func:`hmac.compare_digest`).
"""

import base64
import hashlib
import hmac
import re
import secrets
import zlib
from typing import NamedTuple

from shixin.auth.errors import InvalidTokenError

PREFIX = "sx_"
ID_HEX = 16
SECRET_BYTES = 32
_RANDOM_CHARS = 43  # base64url of 32 bytes, unpadded
_CHECK_CHARS = 6  # base64url of a 4-byte CRC-32, unpadded
SECRET_CHARS = _RANDOM_CHARS + _CHECK_CHARS
_HASH_DOMAIN = b"shixin-token-v1:"
_ID_RE = re.compile(rf"[0-9a-f]{{{ID_HEX}}}")
_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*")


class TokenParts(NamedTuple):
    id: str
    secret: str


def _check(body: str) -> str:
    crc = zlib.crc32(body.encode("ascii")).to_bytes(4, "big")
    return base64.urlsafe_b64encode(crc).rstrip(b"=").decode("ascii")


def new_token() -> str:
    """A fresh token; show it once to the unit, store only :func:`hash_token` of it."""
    body = f"{PREFIX}{secrets.token_hex(ID_HEX // 2)}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return body + _check(body)


def parse_token(token: str) -> TokenParts:
    """Split and check a token's form; :class:`InvalidTokenError` says what is wrong."""
    token = token.strip()
    if token.lower().startswith("bearer "):
        raise InvalidTokenError("token still carries the 'Bearer ' scheme; pass the token alone")
    if not token:
        raise InvalidTokenError("no token given")
    if not token.startswith(PREFIX):
        raise InvalidTokenError(f"not a shixin token: it must start with {PREFIX!r}")
    parts = token.split("_", 2)
    if len(parts) != 3:
        raise InvalidTokenError("malformed token: expected sx_<id>_<secret>")
    _, token_id, secret = parts
    if not _ID_RE.fullmatch(token_id):
        raise InvalidTokenError(
            f"malformed token id {token_id[: ID_HEX + 4]!r}: expected {ID_HEX} lowercase hex chars"
        )
    if not _B64URL_RE.fullmatch(secret):
        raise InvalidTokenError(
            "token secret contains characters outside base64url (A-Z a-z 0-9 _ -)"
        )
    if len(secret) != SECRET_CHARS:
        raise InvalidTokenError(
            f"token secret has {len(secret)} characters, expected {SECRET_CHARS}: "
            "truncated or extended when copied?"
        )
    body = token[:-_CHECK_CHARS]
    if not hmac.compare_digest(_check(body), secret[-_CHECK_CHARS:]):
        raise InvalidTokenError(
            f"token {token_id} is garbled (checksum mismatch): it was mistyped or altered"
        )
    return TokenParts(token_id, secret)


def token_id(token: str) -> str:
    """The storage key of a token (raises :class:`InvalidTokenError` if malformed)."""
    return parse_token(token).id


def hash_token(token: str) -> str:
    """SHA-256 hex of a well-formed token, domain-separated; what storage keeps."""
    parse_token(token)
    return hashlib.sha256(_HASH_DOMAIN + token.strip().encode("ascii")).hexdigest()


def check_token(token: str, stored_hash: str) -> None:
    """Raise :class:`InvalidTokenError` with the reason unless ``token`` matches ``stored_hash``."""
    parts = parse_token(token)
    if not (stored_hash.isascii() and hmac.compare_digest(hash_token(token), stored_hash)):
        raise InvalidTokenError(
            f"token {parts.id} does not match the stored credential: forged, or revoked and "
            "re-issued"
        )


def verify_token(token: str, stored_hash: str) -> bool:
    """Whether ``token`` matches ``stored_hash``; False (never an exception) when malformed."""
    try:
        check_token(token, stored_hash)
    except InvalidTokenError:
        return False
    return True
