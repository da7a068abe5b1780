"""Policy: every refusal names who, what and why."""

import pytest

from shixin.auth import (
    PermissionDenied,
    Principal,
    Role,
    can_see_full_ids,
    can_see_nonpublic,
    check_match,
    check_public_query,
    check_push,
)

BANK = Principal("bank-x", Role.UNIT, measures=frozenset({"bank.loan", "bank.card"}))
BARE_UNIT = Principal("newcomer", Role.UNIT)
COURT = Principal("bj1", Role.COURT, court="北京市第一中级人民法院")
PUBLIC = Principal.public("203.0.113.9")
ADMIN = Principal("ops", Role.ADMIN)


def denied(fn: object, *args: object) -> str:
    with pytest.raises(PermissionDenied) as info:
        fn(*args)  # type: ignore[operator]
    assert str(info.value) == info.value.reason
    return info.value.reason


def test_unit_matches_for_its_own_measures() -> None:
    check_match(BANK, "bank.loan")
    check_match(BANK, " bank.card ")


def test_unit_refused_for_another_measure() -> None:
    assert denied(check_match, BANK, "customs.cert") == (
        "unit 'bank-x' may not query for purpose 'customs.cert': "
        "its measures are bank.card, bank.loan"
    )


@pytest.mark.parametrize("purpose", [None, "", "  "])
def test_unit_must_state_a_purpose(purpose: str | None) -> None:
    assert denied(check_match, BANK, purpose) == (
        "unit 'bank-x' must give the purpose of the look-up: one of its measures "
        "(bank.card, bank.loan)"
    )


def test_unit_without_measures_may_not_query() -> None:
    assert denied(check_match, BARE_UNIT, "bank.loan") == (
        "unit 'newcomer' may not look people up: it has no measures assigned"
    )


def test_public_and_court_may_match_without_purpose() -> None:
    check_match(PUBLIC, None)
    check_match(PUBLIC, "anything")
    check_match(COURT, None)


def test_admin_may_not_look_people_up() -> None:
    assert denied(check_match, ADMIN, "bank.loan") == (
        "admin 'ops' may not look people up: administration is not a purpose; "
        "use a unit credential whose measures cover the look-up"
    )


def test_court_pushes_its_own_records() -> None:
    check_push(COURT, "北京市第一中级人民法院")
    check_push(COURT, " 北京市第一中级人民法院 ")


def test_court_may_not_push_another_courts_record() -> None:
    assert denied(check_push, COURT, "上海市高级人民法院") == (
        "court 'bj1' may push only records of '北京市第一中级人民法院', not of '上海市高级人民法院'"
    )


def test_record_without_court_is_refused() -> None:
    assert denied(check_push, COURT, " ") == "the record names no court, so no court may push it"


@pytest.mark.parametrize(
    ("who", "text"),
    [(BANK, "unit 'bank-x'"), (PUBLIC, "public 'public:203.0.113.9'"), (ADMIN, "admin 'ops'")],
)
def test_only_courts_push(who: Principal, text: str) -> None:
    assert denied(check_push, who, "北京市第一中级人民法院") == (
        f"{text} may not push records: only courts publish to the list"
    )


def test_public_query_with_name_and_full_id() -> None:
    check_public_query("张三", True)


def test_public_query_name_only_is_refused() -> None:
    assert denied(check_public_query, "张三", False) == (
        "public queries need both the full name and the full ID number, as on the national "
        "query platform; missing: a full, valid 18-digit ID number (partial or masked numbers "
        "do not count)"
    )


def test_public_query_without_name_is_refused() -> None:
    assert denied(check_public_query, " ", True).endswith("missing: the name")
    assert "missing: the name and a full, valid" in denied(check_public_query, "", False)


def test_visibility() -> None:
    assert [can_see_full_ids(p) for p in (COURT, BANK, PUBLIC, ADMIN)] == [
        True,
        True,
        False,
        False,
    ]
    # list-record.md: non-public records are visible to the authorised units, never public.
    assert [can_see_nonpublic(p) for p in (COURT, BANK, PUBLIC, ADMIN)] == [
        True,
        True,
        False,
        False,
    ]
    assert can_see_nonpublic(COURT, "北京市第一中级人民法院")
    assert not can_see_nonpublic(COURT, "上海市高级人民法院")


def test_principal_checks_its_fields() -> None:
    assert Principal("bank-x", "unit").role is Role.UNIT  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs the court"):
        Principal("bj1", Role.COURT)
    with pytest.raises(ValueError, match="only court principals have a court"):
        Principal("bank-x", Role.UNIT, court="x")
    with pytest.raises(ValueError, match="starting 'public:'"):
        Principal("203.0.113.9", Role.PUBLIC)
    with pytest.raises(ValueError, match="starting 'public:'"):
        Principal("public:x", Role.UNIT)
    with pytest.raises(ValueError, match="must not be empty"):
        Principal(" ", Role.ADMIN)
    with pytest.raises(ValueError):
        Principal("x", "superuser")  # type: ignore[arg-type]
