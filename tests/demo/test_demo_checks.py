"""Tests for shixin.demo.checks against python-stdnum and a real code."""

from stdnum.cn import ric, uscc

from shixin.demo.checks import legacy_id, org_code, resident_id, uscc_code


def test_org_code_check_of_a_real_uscc() -> None:
    """The organisation code embedded in a real USCC has the check we compute."""
    real = "91110000600037341L"
    assert org_code(real[8:16]) == real[8:17]


def test_org_code_check_values_x_and_zero() -> None:
    """Check 10 is written X and 11 is written 0 (GB 11714)."""
    checks = {org_code(f"{n:08d}")[-1] for n in range(0, 2000)}
    assert {"X", "0"} <= checks


def test_resident_id_and_uscc_agree_with_stdnum() -> None:
    """Built numbers validate with stdnum."""
    # calc_check_digit takes the full number and ignores its last character.
    assert resident_id("45020219800101123") == "450202198001011232"
    assert ric.calc_check_digit(resident_id("45020219750101104")) == "X"
    assert uscc.is_valid(uscc_code("91450200" + org_code("MA5K0000")))


def test_legacy_id_drops_century_and_check() -> None:
    """The 15-digit form is region + YYMMDD + sequence."""
    assert legacy_id("450202198001011232") == "450202800101123"
