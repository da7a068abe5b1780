"""Bearer tokens: round trip, and a clear reason for every bad token."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.auth import (
    InvalidTokenError,
    check_token,
    hash_token,
    new_token,
    parse_token,
    token_id,
    verify_token,
)

TOKEN = new_token()
STORED = hash_token(TOKEN)


def reason(token: str, stored: str = STORED) -> str:
    with pytest.raises(InvalidTokenError) as info:
        check_token(token, stored)
    assert not verify_token(token, stored)
    return info.value.reason


def test_format() -> None:
    assert re.fullmatch(r"sx_[0-9a-f]{16}_[A-Za-z0-9_-]{49}", TOKEN)
    parts = parse_token(TOKEN)
    assert f"sx_{parts.id}_{parts.secret}" == TOKEN and token_id(TOKEN) == parts.id


def test_round_trip() -> None:
    assert verify_token(TOKEN, STORED)
    check_token(f"  {TOKEN}\n", STORED)
    assert re.fullmatch(r"[0-9a-f]{64}", STORED) and TOKEN not in STORED


def test_tokens_and_hashes_are_unique() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200 and len({hash_token(t) for t in tokens}) == 200
    assert len({token_id(t) for t in tokens}) == 200


def test_forged_token_with_valid_form_does_not_match() -> None:
    other = new_token()
    forged = f"sx_{token_id(TOKEN)}_{parse_token(other).secret}"
    # the checksum covers the id too, so re-pairing an id and a secret reads as garbled
    assert "garbled" in reason(forged)
    assert reason(other) == (
        f"token {token_id(other)} does not match the stored credential: forged, or revoked "
        "and re-issued"
    )


def test_mistyped_token_is_garbled() -> None:
    i = 30
    typo = TOKEN[:i] + ("A" if TOKEN[i] != "A" else "B") + TOKEN[i + 1 :]
    assert reason(typo) == (
        f"token {token_id(TOKEN)} is garbled (checksum mismatch): it was mistyped or altered"
    )


@pytest.mark.parametrize(
    ("token", "text"),
    [
        ("", "no token given"),
        ("Bearer " + TOKEN, "still carries the 'Bearer ' scheme"),
        ("ghp_abcdef", "not a shixin token: it must start with 'sx_'"),
        ("sx_abc", "malformed token: expected sx_<id>_<secret>"),
        ("sx_ABCDEF0123456789_" + "a" * 49, "malformed token id 'ABCDEF0123456789'"),
        (TOKEN[:-5], "token secret has 44 characters, expected 49: truncated or extended"),
        (TOKEN + "x", "token secret has 50 characters"),
        (TOKEN[:-1] + "=", "characters outside base64url"),
    ],
)
def test_malformed_tokens(token: str, text: str) -> None:
    assert text in reason(token)


def test_stored_hash_of_another_form_never_matches() -> None:
    assert not verify_token(TOKEN, "")
    assert not verify_token(TOKEN, "é" * 64)
    assert not verify_token(TOKEN, STORED.upper())


def test_hash_refuses_malformed_tokens() -> None:
    with pytest.raises(InvalidTokenError):
        hash_token("sx_nope")


@given(pos=st.integers(min_value=0, max_value=68), char=st.sampled_from("aZ09_-x"))
def test_any_single_character_change_is_refused(pos: int, char: str) -> None:
    changed = TOKEN[:pos] + char + TOKEN[pos + 1 :]
    assert verify_token(changed, STORED) == (changed == TOKEN)
