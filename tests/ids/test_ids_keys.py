"""Tests for shixin.ids.keys: index and query keys for the LMDB index."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shixin.ids import ID_KEY_PREFIXES, IdKind, QueryKey, index_keys, parse, query_keys
from shixin.ids.keys import MAX_KEY_BYTES
from tests.ids.ids_strategies import org_codes, resident_ids, usccs

VALID = "450202198001011232"


def _keys(raw: str, kind: str | None = None) -> set[str]:
    return {k.key for k in query_keys(parse(raw, kind))}


def _by_key(raw: str, kind: str | None = None) -> dict[str, QueryKey]:
    return {k.key: k for k in query_keys(parse(raw, kind))}


def test_resident_index_keys() -> None:
    """A resident ID is stored under its 18 characters and its masked form."""
    assert index_keys(parse(VALID)) == ["ric:450202198001011232", "ricm:45020219801232"]


def test_legacy_record_is_stored_as_18() -> None:
    """A 15-digit record is indexed exactly like its 18-character form."""
    assert index_keys(parse("450202800101123")) == index_keys(parse(VALID))


def test_legacy_query_matches_as_legacy() -> None:
    """A 15-digit query meets the 18-character record, reported as a legacy match."""
    key = _by_key("450202800101123")["ric:450202198001011232"]
    assert (key.match, key.exact) == ("legacy", True)


def test_valid_query_keys() -> None:
    """A valid ID gets its exact key, the masked key and one typo-link key, nothing else."""
    keys = query_keys(parse(VALID))
    assert [(k.key, k.match, k.exact) for k in keys] == [
        ("ric:450202198001011232", "exact", True),
        ("ricm:45020219801232", "masked", False),
        ("rict:450202198001011232", "typo", False),
    ]


def test_masked_query_meets_full_record_and_back() -> None:
    """A masked query finds a full record and a full query finds a masked record."""
    masked, full = parse("4502021980****1232"), parse(VALID)
    assert [(k.key, k.match, k.exact) for k in query_keys(masked)] == [
        ("ricm:45020219801232", "masked", False)
    ]
    assert set(index_keys(full)) & {k.key for k in query_keys(masked)}
    assert index_keys(masked) == ["ricm:45020219801232"]
    assert _by_key(VALID)["ricm:45020219801232"].match == "masked"


def test_bad_check_query_gets_explained_typo_candidates() -> None:
    """A failed check yields the identical key plus valid one-typo candidates with reasons."""
    keys = _by_key("450202198001011223")
    own = keys["ric:450202198001011223"]
    assert (own.match, own.exact) == ("exact", True)
    assert keys["ric:450202198001011232"].reason == "digits 17 and 18 swapped"
    typos = [k for k in keys.values() if k.match == "typo"]
    assert typos and all(not k.exact for k in typos)
    assert all(parse(k.key.removeprefix("ric:")).valid for k in typos)


def test_digit_substitution_reason() -> None:
    """A substituted digit is described by position and change."""
    keys = _by_key("450202198301011232")  # 4th digit of the year mistyped 0 -> 3
    assert keys["ric:450202198001011232"].reason == "one digit differs at position 10 (3→0)"


def test_missing_check_character_is_a_typo_candidate() -> None:
    """Seventeen digits with a plausible date suggest the check character was dropped."""
    key = _by_key("45020219800101123")["ric:450202198001011232"]
    assert (key.match, key.reason) == ("typo", "check character missing (it would be 2)")


def test_invalid_record_is_indexed_as_written_and_linked_to_its_typos() -> None:
    """A listed ID whose check fails is found by an identical query and by the valid one."""
    listed = parse("450202198001011223")
    stored = index_keys(listed)
    assert stored[:2] == ["ric:450202198001011223", "ricm:45020219801223"]
    assert "rict:450202198001011232" in stored
    assert "rict:450202198001011232" in _keys(VALID)
    assert "ric:450202198001011223" in _keys("450202198001011223")


def test_uscc_and_org_code_meet_each_other() -> None:
    """A USCC record is found by its org code and an org-code record by a USCC containing it."""
    uscc_record = index_keys(parse("91110000600037341L"))
    assert uscc_record == ["uscc:91110000600037341L", "oc:600037341"]
    org_query = _by_key("60003734-1")["oc:600037341"]
    assert (org_query.match, org_query.exact) == ("org_code", True)
    assert "oc:600037341" in uscc_record
    org_record = index_keys(parse("60003734-1"))
    uscc_query = _by_key("91110000600037341L")["oc:600037341"]
    assert uscc_query.match == "org_code" and "oc:600037341" in org_record


def test_uscc_typos() -> None:
    """A USCC whose check fails gets the valid USCCs one typo away."""
    keys = _by_key("91110000600073341L")
    assert keys["uscc:91110000600037341L"].match == "typo"


def test_org_code_typos() -> None:
    """An organisation code whose check fails gets valid codes one typo away."""
    assert _by_key("60003734-7")["oc:600037341"].match == "typo"


def test_opaque_numbers_match_across_opaque_kinds() -> None:
    """A passport query also looks for the same characters recorded as a permit or other."""
    keys = _by_key("E12345678", "passport")
    assert (keys["passport:E12345678"].exact, keys["other:E12345678"].exact) == (True, False)
    assert {"hk_macao_permit:E12345678", "taiwan_permit:E12345678"} <= set(keys)
    assert index_keys(parse("E12345678", "passport")) == ["passport:E12345678"]


def test_number_plainly_of_another_kind_gets_both_kinds_keys() -> None:
    """A resident ID recorded as 'other' is still indexed and queried as a resident ID."""
    p = parse(VALID, IdKind.OTHER)
    assert index_keys(p) == ["other:450202198001011232", *index_keys(parse(VALID))]
    assert "ric:450202198001011232" in {k.key for k in query_keys(p)}
    keys = _by_key(VALID, "uscc")
    assert keys["uscc:450202198001011232"].exact  # the identical number, as given
    other_reading = keys["ric:450202198001011232"]
    assert not other_reading.exact and other_reading.reason.startswith("read as a resident ID")


def test_placeholders_and_empty_numbers_get_no_keys() -> None:
    """无, NULL, all zeros and separator-only values would join unrelated records."""
    for raw in ("无", "NULL", "000000000000000000", "000000000", "-"):
        p = parse(raw)
        assert index_keys(p) == [] and query_keys(p) == []


def test_long_and_unencodable_values_are_hashed() -> None:
    """Keys stay within LMDB's limit and encodable, yet identical values still meet."""
    for raw in ("AB" * 5_000, "ab\ud800cd"):
        p = parse(raw)
        stored = index_keys(p)
        assert stored and all(len(k.encode()) <= MAX_KEY_BYTES for k in stored)
        assert set(stored) <= {k.key for k in query_keys(p)}


def test_prefixes_are_documented() -> None:
    """ID_KEY_PREFIXES lists every prefix, with a description."""
    assert set(ID_KEY_PREFIXES) == {
        "ric:", "ricm:", "rict:", "uscc:", "uscct:", "oc:", "oct:",
        "passport:", "hk_macao_permit:", "taiwan_permit:", "other:",
    }  # fmt: skip
    assert all(ID_KEY_PREFIXES.values())


@given(st.text(min_size=1), st.sampled_from([None, *IdKind]))
def test_every_number_finds_itself_and_keys_are_well_formed(raw: str, kind: str | None) -> None:
    """Whatever was indexed, an identical query meets it; keys use documented prefixes."""
    try:
        p = parse(raw, kind)
    except ValueError:
        return
    stored, asked = index_keys(p), query_keys(p)
    if stored:
        assert set(stored) & {k.key for k in asked}
    for key in [*stored, *(k.key for k in asked)]:
        assert key.startswith(tuple(ID_KEY_PREFIXES))
        assert len(key.encode()) <= MAX_KEY_BYTES
    assert all(k.match in ("exact", "legacy", "org_code", "masked", "typo") for k in asked)


@given(st.one_of(resident_ids(), usccs(), org_codes()))
def test_valid_numbers_get_no_typo_candidates(number: str) -> None:
    """Only failed checks produce typo-candidate keys; a valid number asks only its typo link."""
    for key in query_keys(parse(number)):
        if key.match == "typo":
            assert key.key.split(":", 1)[1] == parse(number).compact
            assert key.key.split(":", 1)[0] in ("rict", "uscct", "oct")


@given(resident_ids(), st.integers(0, 16), st.sampled_from("0123456789"))
def test_a_mistyped_query_finds_the_listed_id(number: str, position: int, digit: str) -> None:
    """Substituting one digit of a listed ID leaves a query that still reaches the record."""
    if number[position] == digit:
        return
    corrupted = number[:position] + digit + number[position + 1 :]
    found = {k.key: k for k in query_keys(parse(corrupted, IdKind.RESIDENT_ID))}
    assert found[f"ric:{number}"].match == "typo"
    assert f"ric:{number}" in index_keys(parse(number))


def test_hinted_resident_typo_keys_survive_a_chance_uscc_reading() -> None:
    """A hinted resident ID mistyped so that it passes the USCC check still finds the ID."""
    listed, query = "604542200001170806", "904542200001170806"
    assert parse(query).kind is IdKind.USCC  # unhinted: region codes never start with 9
    found = _by_key(query, "resident_id")
    assert found[f"ric:{listed}"].match == "typo"
    assert not found[f"uscc:{query}"].exact  # the plain reading is searched, not trusted


def test_unhinted_all_digit_uscc_also_gets_resident_typos() -> None:
    """Unhinted, that mistyped ID reads as a USCC, yet its resident typo keys are searched."""
    found = _by_key("904542200001170806")
    assert found["uscc:904542200001170806"].exact
    typo = found["ric:604542200001170806"]
    assert (typo.match, typo.exact) == ("typo", False)
    assert typo.reason == "read as a resident ID: one digit differs at position 1 (9→6)"
