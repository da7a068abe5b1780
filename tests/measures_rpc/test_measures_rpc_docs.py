"""docs/measures.md says what the shipped catalogue holds."""

from __future__ import annotations

import re
from pathlib import Path

from shixin.measures import RoleLink, load_catalogue

DOC = Path(__file__).resolve().parents[2] / "docs" / "measures.md"
CATALOGUE = load_catalogue()


def _codes(cell: str) -> list[str]:
    return re.findall(r"`([a-z.-]+)`", cell)


def test_category_table_matches_the_catalogue() -> None:
    """Each category row gives the measure count and codes, in order; the totals agree."""
    text = DOC.read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("二、") and cells[3].isdigit():
            rows[cells[0]] = (int(cells[3]), _codes(cells[4]))
    assert list(rows) == [c.clause for c in CATALOGUE.categories]
    for category in CATALOGUE.categories:
        codes = [m.code for m in CATALOGUE.measures if m.category == category]
        assert rows[category.clause] == (len(codes), codes)
    assert f"**{len(CATALOGUE.measures)} measures**" in text
    assert f"**{len(CATALOGUE.units)} units**" in text


def test_role_link_table_lists_the_measures_of_each_direction() -> None:
    """The role_link table names exactly the measures with each link."""
    text = DOC.read_text(encoding="utf-8")
    for link in RoleLink:
        line = next(ln for ln in text.splitlines() if ln.startswith(f"| `{link}` |"))
        listed = set(_codes(line.rsplit("|", 2)[-2]))
        wanted = {m.code for m in CATALOGUE.measures if m.role_link is link}
        consumption = {m.code for m in CATALOGUE.measures if m.category.code == "consumption"}
        if "all six `consumption.*`" in line:
            listed |= consumption
            assert len(consumption) == 6
        assert listed == wanted, link
