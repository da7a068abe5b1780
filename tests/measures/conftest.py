"""Fixtures: the shipped catalogue, and section 二 of the seed plan parsed independently.

The seed (柳办〔2019〕90号 as plain text) sits outside the repository, in
``../shared/seed/*.txt``; the cross-checks skip, saying why, where it is absent.
"""

from __future__ import annotations

import pytest

from shixin.measures import Catalogue, load_catalogue
from tests.measures.seed_plan import SEED_DIR, SEED_MARK, SeedClause, find_seed, parse_section_two


@pytest.fixture(scope="session")
def seed_clauses() -> dict[str, SeedClause]:
    """Section 二 of the seed, parsed; a skip naming where it was looked for when absent."""
    text = find_seed()
    if text is None:
        pytest.skip(f"seed text of {SEED_MARK} not found in {SEED_DIR}; cross-checks need it")
    return parse_section_two(text)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The shipped catalogue."""
    return load_catalogue()
