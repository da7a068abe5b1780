"""Matching quality per query variant, through the real server (see docs/matching-quality.md)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from shixin.client import ClientConfig, ShixinClient
from shixin.grpcapi.server import create_server
from shixin.settings import Settings
from tests.quality.evaluate import Score, evaluate, run_cases, score_variant, text_table
from tests.quality.variants import VARIANTS, build_cases
from tests.quality.world import World, build_world

N_RECORDS = 5000
PER_VARIANT = 200
SEED = 7
# Fewer cases than this and a variant's figure says little (minority names are ~2 %).
MIN_CASES = 20


@pytest.fixture(scope="module")
def quality_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The demo list of N_RECORDS records, imported, with its ground truth."""
    return build_world(Path(tmp_path_factory.mktemp("quality")), N_RECORDS)


@pytest.fixture(scope="module")
def quality_client(quality_world: World) -> Iterator[ShixinClient]:
    """A unit's client of a real server over that list."""
    running = create_server(Settings(data=quality_world.index, listen="127.0.0.1:0",
                                     dev_auth=True, today=quality_world.today))
    try:
        with ShixinClient(ClientConfig(server=f"127.0.0.1:{running.port}",
                                       unit="pbc-liuzhou")) as client:
            yield client
    finally:
        running.stop(0)


@pytest.fixture(scope="module")
def scores(quality_world: World, quality_client: ShixinClient) -> dict[str, Score]:
    """Every variant's figures, from one pass of all queries through the server."""
    result = evaluate(quality_client, quality_world,
                      build_cases(quality_world, PER_VARIANT, SEED))
    print("\nmatching quality (percentages)\n" + text_table(result))
    return {s.variant.key: s for s in result}


def test_every_variant_has_enough_cases(scores: dict[str, Score]) -> None:
    """Each variant is measured on enough queries for its figure to mean something."""
    thin = {key: s.n for key, s in scores.items() if s.n < MIN_CASES}
    assert not thin, f"variants with fewer than {MIN_CASES} cases: {thin}"


@pytest.mark.parametrize("key", [v.key for v in VARIANTS])
def test_variant_meets_its_floor(scores: dict[str, Score], key: str) -> None:
    """The variant reaches its recall floor and never gives a definitive hit it must not."""
    assert scores[key].failures() == []


def test_scoring_counts_another_identity_as_a_miss(quality_world: World,
                                                   quality_client: ShixinClient) -> None:
    """The yardstick is not lenient: exact queries scored against the wrong debtor all miss."""
    variant = VARIANTS[0]
    cases = build_cases(quality_world, 50, SEED)[variant.key]
    shifted = [dataclasses.replace(c, target=cases[i - 1].target) for i, c in enumerate(cases)]
    score = score_variant(quality_world, variant, run_cases(quality_client, shifted))
    assert score.recall_10 == 0.0
    assert score.wrong_definitive == 1.0
