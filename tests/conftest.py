"""Shared fixtures: a generated list, imported into a real LMDB, served on a loopback port."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from shixin.client import ClientConfig, ShixinClient
from shixin.demo import DEFAULT_TODAY, write_demo
from shixin.grpcapi.server import Running, create_server
from shixin.service.clock import fixed
from shixin.service.importer import import_files
from shixin.settings import Settings
from shixin.store import Store

N_RECORDS = 3000


@dataclass
class DemoList:
    """The generated list files and its ground truth."""

    records: Path
    events: Path
    truths: list[dict[str, Any]]


@pytest.fixture(scope="session")
def demo_list(tmp_path_factory: pytest.TempPathFactory) -> DemoList:
    """A deterministic list of N_RECORDS records with ground truth."""
    d = tmp_path_factory.mktemp("list")
    files = write_demo(d, N_RECORDS, truth=True)
    assert files.truth is not None
    truths = [json.loads(line)["debtor"]
              for line in files.truth.read_text(encoding="utf-8").splitlines()]
    return DemoList(files.records, files.events, truths)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory, demo_list: DemoList) -> Iterator[Running]:
    """The real server (development auth) over a real LMDB index of the demo list."""
    data = tmp_path_factory.mktemp("index")
    store = Store(data)
    report = import_files(store, [demo_list.records, demo_list.events],
                          clock=fixed(DEFAULT_TODAY))
    store.close()
    assert report.records_added > 0
    running = create_server(Settings(data=data, listen="127.0.0.1:0", dev_auth=True,
                                     today=DEFAULT_TODAY, public_rate=1000, public_burst=1000))
    yield running
    running.stop(0)


@pytest.fixture
def client(served: Running) -> Iterator[ShixinClient]:
    """A client acting for the bank regulator unit (development auth)."""
    c = ShixinClient(ClientConfig(server=f"127.0.0.1:{served.port}", unit="pbc-liuzhou",
                                  purpose="credit.grant"))
    yield c
    c.close()


def connect(served: Running, **config: str) -> ShixinClient:
    """A client with other credentials."""
    return ShixinClient(ClientConfig(server=f"127.0.0.1:{served.port}", **config))
