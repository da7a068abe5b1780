"""The writer's spliced encoding must equal the verifier's canonical encoding."""

import json
import math
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shixin.audit.entry import (
    GENESIS,
    Prepared,
    canonical_bytes,
    check_fields,
    compute_hash,
    encode_fields,
    format_ts,
    prepare,
    seal,
)

TS = "2025-03-01T08:00:00.123456+00:00"

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def fields(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "actor": "bank-x",
        "role": "unit",
        "action": "match",
        "purpose": "bank.loan",
        "request": {"name": "张三", "id_number": "11010119900307123X"},
        "outcome": {"status": "OK", "hits": [{"id": "r1", "level": "exact"}]},
    }
    base.update(over)
    return base


@settings(max_examples=300, deadline=None)
@given(
    actor=st.text(min_size=1),
    purpose=st.text(),
    request=st.dictionaries(st.text(), json_values, max_size=5),
    outcome=st.dictionaries(st.text(), json_values, max_size=5),
    seq=st.integers(min_value=1, max_value=10**12),
    keyed=st.booleans(),
)
def test_spliced_encoding_is_canonical(
    actor: str,
    purpose: str,
    request: dict[str, Any],
    outcome: dict[str, Any],
    seq: int,
    keyed: bool,
) -> None:
    key = b"k" * 32 if keyed else None
    prepared = prepare(fields(actor=actor, purpose=purpose, request=request, outcome=outcome), TS)
    line, digest = seal(prepared, seq, "ab" * 32, key)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    entry = json.loads(line)
    assert list(entry)[:2] == ["seq", "ts"] and list(entry)[-1] == "hash"
    assert entry["hash"] == digest == compute_hash(canonical_bytes(entry), key)
    assert entry["request"] == request and entry["seq"] == seq and entry["ts"] == TS


def test_nul_in_a_field_takes_the_exact_fallback() -> None:
    for value in ("a\x00b", "\x00prev\x00", "\\u0000", "\x00seq\x00"):
        line, digest = seal(prepare(fields(request={"name": value}), TS), 1, GENESIS, None)
        entry = json.loads(line)
        assert entry["request"]["name"] == value
        assert compute_hash(canonical_bytes(entry), None) == digest


def test_hmac_differs_from_plain_hash() -> None:
    p = prepare(fields(), TS)
    assert seal(p, 1, GENESIS, None)[1] != seal(p, 1, GENESIS, b"k" * 32)[1]


@pytest.mark.parametrize(
    ("over", "error", "text"),
    [
        ({"seq": 5}, ValueError, "assigned by the log"),
        ({"hash": "x"}, ValueError, "assigned by the log"),
        ({"colour": "red"}, ValueError, "unknown audit fields ['colour']"),
        ({"actor": ""}, ValueError, "'actor' must not be empty"),
        ({"action": None}, TypeError, "'action' must be a str"),
        ({"role": 3}, TypeError, "'role' must be a str"),
        ({"request": ["x"]}, TypeError, "'request' must be a mapping"),
    ],
)
def test_bad_shape_fails_on_the_callers_thread(
    over: dict[str, Any], error: type[Exception], text: str
) -> None:
    with pytest.raises(error) as info:
        check_fields(fields(**over))
    assert text in str(info.value)


@pytest.mark.parametrize(
    ("outcome", "stored", "sanitized"),
    [
        ({"hits": [{1: "r1"}]}, {"hits": [{"1": "r1"}]}, True),
        ({"score": math.nan, "big": math.inf}, {"score": "nan", "big": "inf"}, True),
        ({"obj": Decimal("1.5")}, {"obj": "Decimal('1.5')"}, True),
        ({"name": "a\ud800b"}, {"name": "a\ufffdb"}, True),
        ({"ids": ("r1", "r2")}, {"ids": ["r1", "r2"]}, False),
    ],
)
def test_values_json_cannot_carry_are_sanitized_not_lost(
    outcome: dict[str, Any], stored: dict[str, Any], sanitized: bool
) -> None:
    head, middle, flagged = encode_fields(check_fields(fields(outcome=outcome)))
    line, digest = seal(Prepared(head, middle, TS.encode()), 1, GENESIS, None)
    entry = json.loads(line)
    assert entry["outcome"] == stored
    assert compute_hash(canonical_bytes(entry), None) == digest
    assert flagged == sanitized


def test_purpose_request_outcome_are_optional() -> None:
    minimal = {"actor": "a", "role": "admin", "action": "admin.x"}
    line, _ = seal(prepare(minimal, TS), 1, GENESIS, None)
    entry = json.loads(line)
    assert (entry["purpose"], entry["request"], entry["outcome"]) == ("", {}, {})


def test_format_ts_matches_datetime() -> None:
    for ns in (0, 1_700_000_000_123_456_789, 1_700_000_001_000_000_000):
        expected = datetime.fromtimestamp(ns // 1000 / 1e6, UTC).isoformat(timespec="microseconds")
        assert format_ts(ns) == expected
