"""Hypothesis strategies for valid identity numbers, shared by the ids tests."""

from __future__ import annotations

import datetime

from hypothesis import strategies as st

from shixin.ids import orgcode, ric, uscc

birth_dates = st.dates(
    min_value=datetime.date(ric.MIN_BIRTH_YEAR, 1, 1),
    max_value=datetime.date.today() - datetime.timedelta(days=1),
)
region_codes = st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)
sequence_numbers = st.from_regex(r"[0-9]{3}", fullmatch=True)


@st.composite
def resident_bodies(draw: st.DrawFn) -> str:
    """17-digit bodies: region, a plausible birth date, a sequence number."""
    born = draw(birth_dates)
    return f"{draw(region_codes)}{born:%Y%m%d}{draw(sequence_numbers)}"


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    """Valid 18-character resident IDs."""
    body = draw(resident_bodies())
    return body + ric.calc_check_digit(body)


@st.composite
def legacy_ids(draw: st.DrawFn) -> str:
    """Valid 15-digit legacy resident IDs (births 1900-1999)."""
    born = draw(st.dates(datetime.date(1900, 1, 1), datetime.date(1999, 12, 31)))
    return f"{draw(region_codes)}{born:%y%m%d}{draw(sequence_numbers)}"


@st.composite
def usccs(draw: st.DrawFn) -> str:
    """Valid USCCs over the whole GB 32100 alphabet."""
    head = draw(st.sampled_from(uscc.AUTHORITIES)) + draw(st.sampled_from("123456789"))
    region = draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
    code = "".join(draw(st.lists(st.sampled_from(uscc.ALPHABET), min_size=9, max_size=9)))
    body = head + region + code
    return body + uscc.calc_check_digit(body)


@st.composite
def org_codes(draw: st.DrawFn) -> str:
    """Valid organisation codes (compact, 9 characters)."""
    body = draw(st.from_regex(r"[0-9A-Z]{8}", fullmatch=True))
    return body + orgcode.calc_check_digit(body)
