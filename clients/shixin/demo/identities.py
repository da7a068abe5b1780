"""Invent the people and organisations of the demo list, with valid numbers."""

from __future__ import annotations

import datetime as dt

from . import tables as t
from .checks import ORG_CODE_CHARS, org_code, resident_id, uscc_code
from .rand import DemoRandom
from .truth import Org, Person

__all__ = ["Identities"]


class Identities:
    """Draws identities from a seeded ``Random`` (the caller's, so order matters)."""

    def __init__(self, rng: DemoRandom) -> None:
        self._rng = rng

    def person(self, *, id_listed: bool = True) -> Person:
        """A person born 1950–2003, 70 % men (as on the real list), ~2 % minority names."""
        rng = self._rng
        male = rng.random() < 0.7
        name = self._minority_name() if rng.random() < 0.02 else self._han_name(male)
        year = min(int(rng.triangular(1950, 2004, 1978)), 2003)
        start = dt.date(year, 1, 1).toordinal()
        birth = dt.date.fromordinal(rng.between(start, dt.date(year, 12, 31).toordinal()))
        sequence = rng.below(500) * 2 + (1 if male else 0)
        day = f"{birth.year}{birth.month:02d}{birth.day:02d}"
        first17 = f"{t.ID_REGIONS.pick(rng)}{day}{sequence:03d}"
        return Person(name, resident_id(first17), "男" if male else "女", birth, id_listed)

    def _han_name(self, male: bool) -> str:
        rng = self._rng
        surname = t.SURNAMES.pick(rng)
        if rng.random() < 0.35:
            popular = t.POPULAR_MALE if male else t.POPULAR_FEMALE
            return surname + popular.pick(rng)
        chars = t.MALE_CHARS if male else t.FEMALE_CHARS
        if rng.random() < 0.3:
            return surname + rng.item(chars)
        return surname + rng.item(chars) + rng.item(chars)

    def _minority_name(self) -> str:
        first, last = self._rng.sample(t.MINORITY_PARTS, 2)
        return f"{first}·{last}"

    def org(self, legal_representative: Person) -> Org:
        """A company registered in Guangxi, mostly Liuzhou; ~10 % known by org code only."""
        rng = self._rng
        region = t.ORG_REGIONS.pick(rng)
        if rng.random() < 0.3:
            body = "MA5" + "".join(rng.item(ORG_CODE_CHARS) for _ in range(5))
        else:
            body = str(rng.between(10**7, 10**8 - 1))
        code = org_code(body)
        uscc = uscc_code(f"91{region}{code}")
        roll = rng.random()
        listed = "uscc" if roll < 0.88 else "org_code" if roll < 0.98 else ""
        return Org(self._org_name(region), uscc, code, listed, legal_representative)

    def _org_name(self, region: str) -> str:
        rng = self._rng
        brand = "".join(rng.sample(t.BRAND_CHARS, 2))
        industry = t.INDUSTRIES.pick(rng)
        form = t.LEGAL_FORMS.pick(rng)
        city = t.CITY_OF_REGION.get(region[:4], "")
        if form == "分公司":
            parent = "广西" + brand + industry + "有限公司"
            return parent + (city or "柳州") + "分公司"
        roll = rng.random()
        if region == "450000" or not city:
            prefix = "广西壮族自治区" if roll < 0.1 else "广西" if roll < 0.8 else ""
        elif roll < 0.42:
            prefix = city + "市"
        elif roll < 0.54:
            prefix = city
        elif roll < 0.68:
            prefix = "广西"
        elif roll < 0.71:
            prefix = "广西壮族自治区"
        elif roll < 0.81 and region in t.DISTRICT_OF_REGION:
            prefix = city + "市" + t.DISTRICT_OF_REGION[region]
        else:
            prefix = ""
        if not prefix and city and rng.random() < 0.4:
            return f"{brand}（{city}）{industry}{form}"
        return prefix + brand + industry + form
