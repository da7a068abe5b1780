"""Fixtures shared by the integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from shixin.demo import DEFAULT_TODAY
from shixin.service.clock import fixed
from shixin.service.importer import import_files
from shixin.store import Store
from tests.conftest import DemoList


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, demo_list: DemoList) -> Path:
    """A data directory with the demo list imported (one per test module)."""
    data = tmp_path_factory.mktemp("index")
    store = Store(data)
    import_files(store, [demo_list.records, demo_list.events], clock=fixed(DEFAULT_TODAY))
    store.close()
    return data
