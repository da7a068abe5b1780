"""Tests for shixin.ids.parse: one canonical, explained record per written number."""

from __future__ import annotations

import dataclasses
import datetime
from random import Random

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from shixin.ids import IdKind, ParsedId, parse, ric, uscc
from shixin.ids._text import is_placeholder
from tests.ids.ids_strategies import legacy_ids, org_codes, resident_ids, usccs


def test_valid_resident_id() -> None:
    """A valid 18-character ID yields its birth date, gender and region."""
    p = parse("11010519491231002x")
    assert (p.kind, p.compact, p.valid, p.problem) == (
        IdKind.RESIDENT_ID,
        "11010519491231002X",
        True,
        None,
    )
    assert (p.birth_date, p.gender, p.region) == (datetime.date(1949, 12, 31), "F", "110105")
    assert not p.legacy and not p.masked and p.org_code is None and p.raw == "11010519491231002x"


def test_legacy_id_is_converted() -> None:
    """A 15-digit ID becomes its 18-character form with check character, flagged legacy."""
    p = parse("450202 800101 123")
    assert (p.compact, p.valid, p.legacy, p.birth_date) == (
        "450202198001011232",
        True,
        True,
        datetime.date(1980, 1, 1),
    )


def test_full_width_id() -> None:
    """Full-width digits and letters are read as ASCII."""
    assert parse("４５０２０２１９８００１０１１２３２").compact == "450202198001011232"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("450202198001011237", "check character should be 2, not 7"),
        ("45020219801301123X", "birth date 19801301 is not a date"),
        (
            "450202198013011236",
            "check character should be X, not 6; birth date 19801301 is not a date",
        ),
        ("45020219800101123", "length 17: a resident ID has 18 characters (or 15 legacy digits)"),
        ("450202801301123", "birth date 19801301 is not a date"),
    ],
)
def test_invalid_resident_ids_explain_themselves(raw: str, problem: str) -> None:
    """Every failure is reported precisely, and the number keeps its compact form."""
    p = parse(raw, "resident_id")
    assert (p.valid, p.problem, p.kind) == (False, problem, IdKind.RESIDENT_ID)
    assert p.compact.startswith(raw[:6])


def test_bad_check_keeps_what_can_be_read() -> None:
    """A wrong check character still leaves birth date, gender and region readable."""
    p = parse("450202198001011237")
    assert (p.birth_date, p.gender, p.region) == (datetime.date(1980, 1, 1), "M", "450202")


def test_masked_resident_id() -> None:
    """A national-platform mask is a masked resident ID with region and gender."""
    p = parse("4502021980＊＊＊＊＊＊1232")
    assert (p.kind, p.compact, p.valid, p.masked) == (
        IdKind.RESIDENT_ID,
        "4502021980****1232",
        True,
        True,
    )
    assert (p.region, p.gender, p.birth_date) == ("450202", "M", None)


def test_masked_with_impossible_year() -> None:
    """A masked ID whose visible birth year is before 1880 is invalid."""
    p = parse("4502021780****1232")
    assert (p.valid, p.problem, p.masked) == (False, "birth year 1780 is before 1880", True)


def test_unusual_mask_is_kept_but_flagged() -> None:
    """Masks other than the national one stay as written and are flagged."""
    p = parse("450202********1232")
    assert (p.kind, p.masked, p.valid, p.compact) == (
        IdKind.RESIDENT_ID,
        True,
        False,
        "450202********1232",
    )
    assert p.problem is not None and "national platform" in p.problem


def test_uscc() -> None:
    """A USCC yields its embedded organisation code and region."""
    p = parse("91110000600037341l")
    assert (p.kind, p.compact, p.valid, p.org_code, p.region) == (
        IdKind.USCC,
        "91110000600037341L",
        True,
        "600037341",
        "110000",
    )


def test_org_code() -> None:
    """An organisation code is compact without hyphen and is its own org_code."""
    p = parse("60003734-1")
    assert (p.kind, p.compact, p.valid, p.org_code) == (
        IdKind.ORG_CODE,
        "600037341",
        True,
        "600037341",
    )


def test_passport_and_other() -> None:
    """Chinese passport shapes are inferred; unknown shapes are 'other'."""
    assert parse("e12345678").kind is IdKind.PASSPORT
    p = parse("A123456(7)")
    assert (p.kind, p.compact, p.valid) == (IdKind.OTHER, "A1234567", True)


def test_hint_is_kept_when_the_number_is_plainly_another_kind() -> None:
    """A hint wins, but the problem says what the number looks like."""
    p = parse("450202198001011232", IdKind.PASSPORT)
    assert (p.kind, p.valid, p.problem) == (IdKind.PASSPORT, False, "this looks like a resident ID")
    p = parse("91110000600037341L", "resident_id")
    assert p.kind is IdKind.RESIDENT_ID and not p.valid
    assert p.problem == "check character 'L' should be a digit or X; this looks like a USCC"


def test_hint_strings() -> None:
    """Hints may be spec strings in any case; unknown hints fall back to inference."""
    assert parse("E12345678", " Passport ").kind is IdKind.PASSPORT
    assert parse("450202198001011232", "身份证").kind is IdKind.RESIDENT_ID
    assert parse("450202198001011232", "resident_id").valid


def test_opaque_hints_do_not_conflict() -> None:
    """A passport-shaped number hinted as an HK/Macao permit is not flagged."""
    p = parse("E12345678", "hk_macao_permit")
    assert (p.kind, p.valid) == (IdKind.HK_MACAO_PERMIT, True)


def test_blank_raises_value_error() -> None:
    """Only blank input (or None) raises; it is a missing value, not a bad number."""
    for blank in ("", "   ", "\u3000\t\n", "\u200b"):
        with pytest.raises(ValueError):
            parse(blank)
    with pytest.raises(ValueError):
        parse(None)


def test_separators_only_is_an_invalid_number() -> None:
    """A lone dash is content, not blank: it parses as invalid with no compact form."""
    p = parse("—")
    assert (p.valid, p.compact, p.problem) == (False, "", "nothing left after removing separators")


@pytest.mark.parametrize(
    "raw", ["无", "NULL", "none", "N/A", "000000000000000000", "000000000", "不详"]
)
def test_placeholders_are_invalid(raw: str) -> None:
    """Stand-ins like 无 or all zeros are never valid numbers."""
    p = parse(raw)
    assert not p.valid and p.problem is not None and "placeholder" in p.problem


def test_parsed_id_is_frozen() -> None:
    """Parsed numbers are immutable values."""
    p = parse("450202198001011232")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.valid = False  # type: ignore[misc]


JUNK = [
    "None", "null", "undefined", "NaN", "0", "-1", "1e18", "4.50202198001012E+17", "😀" * 18,
    "👨‍👩‍👧‍👦", "\x00" * 18, "\ud800\udfff", "\u202e450202198001011232", "ﷺ", "Ⅻ", "ß" * 18,
    "a\u0308" * 9, "\u0301" * 5, "1" * 1_000_000, "九" * 5000, "<script>alert(1)</script>",
    "'; DROP TABLE ids; --", "450202198001011232" * 3, "（）", "[]", "*" * 18, "\r\n-\r\n", "\\",
]  # fmt: skip


@pytest.mark.parametrize("raw", JUNK, ids=range(len(JUNK)))
def test_junk_never_raises(raw: str) -> None:
    """Emoji, control characters, surrogates, huge strings and injections parse as values."""
    p = parse(raw)
    assert isinstance(p, ParsedId) and p.raw == raw
    assert p.valid is (p.problem is None)


@given(st.text(), st.sampled_from([None, *IdKind, "junk"]))
def test_arbitrary_text_never_raises_except_for_blank(raw: str, hint: str | None) -> None:
    """Any string parses, except blank ones, which raise ValueError; valid iff no problem."""
    try:
        p = parse(raw, hint)
    except ValueError:
        assert not raw.strip() or all(not c.isprintable() or c.isspace() for c in raw)
        return
    assert p.valid is (p.problem is None)
    if p.compact:
        again = parse(p.compact, p.kind)
        assert again.compact == p.compact


@given(st.one_of(resident_ids(), legacy_ids(), usccs(), org_codes()))
def test_valid_numbers_parse_valid_and_compact_is_idempotent(number: str) -> None:
    """Generated valid numbers (bar placeholders) are valid unhinted; reparsing is stable."""
    assume(not is_placeholder(number))
    p = parse(number)
    assert p.valid, p.problem
    assert parse(p.compact, p.kind).compact == p.compact


@given(resident_ids())
def test_hinted_and_unhinted_agree_for_resident_ids(number: str) -> None:
    """The hot path (no hint) and the hinted path give the same record."""
    assert parse(number) == parse(number, IdKind.RESIDENT_ID)


@given(legacy_ids())
def test_legacy_round_trip_keeps_birth_date(number: str) -> None:
    """15 -> 18 conversion keeps the birth date and gender."""
    p, q = parse(number), parse(parse(number).compact)
    assert p.legacy and not q.legacy
    assert (p.birth_date, p.gender) == (q.birth_date, q.gender)


def test_mistyped_resident_id_that_is_a_valid_uscc_says_so() -> None:
    """450203196700061864 stays a valid USCC but notes it also reads as a mistyped resident ID."""
    p = parse("450203196700061864")
    assert (p.kind, p.valid, p.problem) == (IdKind.USCC, True, None)
    assert p.ambiguous is not None
    assert "mistyped resident ID" in p.ambiguous and "region 450203" in p.ambiguous
    assert "birth date 19670006 is not a date" in p.ambiguous


@pytest.mark.parametrize(
    "number",
    [
        "91110000600037341L",  # registration authority 9: no province starts with 9
        "91450200MA5K9TG39X",  # letters in the body
        "450202198001011232",  # a valid resident ID is not a USCC reading at all
    ],
)
def test_ordinary_numbers_are_not_ambiguous(number: str) -> None:
    """Company USCCs, USCCs with letters and valid resident IDs carry no ambiguity note."""
    assert parse(number).ambiguous is None


def test_uscc_reading_as_born_in_year_zero_is_not_ambiguous() -> None:
    """All-digit USCCs of 事业单位 (12…) 'born' in year 00xx are not taken for mistyped IDs."""
    checked = 0
    for last in "0123456789":
        body = "1245000000498502" + last  # 12 + region 450000 + organisation code 00498502?
        number = body + uscc.calc_check_digit(body)
        if number[17] in "0123456789X":
            p = parse(number)
            assert (p.kind, p.valid, p.ambiguous) == (IdKind.USCC, True, None)
            checked += 1
    assert checked


def _mistyped_resident_ids_that_pass_as_usccs(count: int) -> list[tuple[str, str]]:
    """(intended, written) pairs: one digit of a valid ID changed so that it is a valid USCC."""
    rng = Random(20191)
    found: list[tuple[str, str]] = []
    while len(found) < count:
        born = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(30000))
        body = f"4502{rng.randrange(100):02d}{born:%Y%m%d}{rng.randrange(1000):03d}"
        intended = body + ric.calc_check_digit(body)
        at = rng.randrange(17)
        digit = rng.choice([d for d in "0123456789" if d != intended[at]])
        written = intended[:at] + digit + intended[at + 1 :]
        if parse(written).kind is IdKind.USCC:
            found.append((intended, written))
    return found


def test_every_mistyped_resident_id_read_as_uscc_is_flagged() -> None:
    """Whenever a one-digit slip turns a resident ID into a valid USCC, ambiguous says so."""
    for intended, written in _mistyped_resident_ids_that_pass_as_usccs(60):
        p = parse(written)
        assert p.valid and p.problem is None, written
        assert p.ambiguous is not None, (intended, written)
        assert any(t.number == intended for t in ric.typos(written))


@given(usccs())
def test_ambiguity_never_invalidates_a_uscc(number: str) -> None:
    """A valid USCC stays valid; only one of 17 digits and a digit or X may be ambiguous."""
    assume(not is_placeholder(number))
    p = parse(number, IdKind.USCC)
    assert p.valid and p.problem is None
    if p.ambiguous is not None:
        assert number[:17].isdigit() and number[:2] != "91"


@given(resident_ids())
def test_valid_resident_ids_are_never_ambiguous(number: str) -> None:
    """A valid resident ID is read as one, with no note about other readings."""
    assert parse(number).ambiguous is None
