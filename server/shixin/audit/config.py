"""Reads the optional HMAC key for the audit chain from the environment."""

import os
from collections.abc import Mapping

KEY_ENV = "SHIXIN_AUDIT_KEY"
MIN_KEY_BYTES = 16


def key_from_env(environ: Mapping[str, str] | None = None) -> bytes | None:
    """Return ``SHIXIN_AUDIT_KEY`` as UTF-8 bytes, or None when unset or empty.

    A short key is refused rather than silently accepted: the key is what makes
    a rewrite of the whole chain detectable, a guessable one gives no such
    guarantee.

    >>> key_from_env({}) is None
    True
    >>> len(key_from_env({"SHIXIN_AUDIT_KEY": "x" * 32}) or b"")
    32
    """
    env = os.environ if environ is None else environ
    value = env.get(KEY_ENV, "")
    if not value:
        return None
    key = value.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(
            f"{KEY_ENV} is too short ({len(key)} bytes, need at least {MIN_KEY_BYTES}); "
            "use 32 random bytes, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return key
