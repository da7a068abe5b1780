"""Fixtures: a fresh server per test with a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lifecycle_rpc.rpc_support import Clock, Harness, start


@pytest.fixture
def clock() -> Clock:
    """Today for the server under test (starts on rpc_support.START)."""
    return Clock()


@pytest.fixture
def harness(tmp_path: Path, clock: Clock) -> Iterator[Harness]:
    """The real server over a fresh LMDB in a temp dir, development auth, injected clock."""
    h = start(tmp_path / "index", clock)
    yield h
    h.close()


@pytest.fixture
def quiet_harness(tmp_path: Path, clock: Clock) -> Iterator[Harness]:
    """As ``harness`` but without the audit log, whose anchor commits LMDB transactions of
    its own: for the tests that count the transactions a push commits."""
    h = start(tmp_path / "index", clock, audit=False)
    yield h
    h.close()
