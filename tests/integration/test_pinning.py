"""The server keeps its Python threads on one CPU, and its batch workers off it.

``shixin.grpcapi.pinning`` says why (GIL hand-overs between CPUs). These tests
start the real server and read the threads' and processes' CPU masks from
the kernel.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from shixin.client import ClientConfig, ShixinClient
from shixin.demo import DEFAULT_TODAY
from shixin.grpcapi.pinning import available_cpus, choose_cpu
from shixin.grpcapi.server import Running, create_server
from shixin.settings import Settings, from_env, validate
from shixin.v1 import match_service_pb2 as match_pb
from tests.conftest import DemoList

CPUS = available_cpus()
needs_two_cpus = pytest.mark.skipif(len(CPUS) < 2, reason="pinning needs two CPUs or more")


def _serve(data: Path, pin_cpu: str, batch_workers: int = 0) -> Running:
    return create_server(Settings(data=data, listen="127.0.0.1:0", dev_auth=True,
                                  today=DEFAULT_TODAY, batch_workers=batch_workers,
                                  pin_cpu=pin_cpu))


@pytest.fixture
def pinned(index: Path) -> Iterator[tuple[Running, set[threading.Thread]]]:
    before = _threads()
    running = _serve(index, "auto", batch_workers=1)
    yield running, before
    running.stop(0)


def _client(running: Running) -> ShixinClient:
    return ShixinClient(ClientConfig(server=f"127.0.0.1:{running.port}", unit="pbc-liuzhou",
                                     purpose="credit.grant"))


def _masks(before: set[threading.Thread]) -> dict[str, set[int]]:
    """Thread name → CPU mask, for the Python threads started since ``before`` was taken
    (other tests' servers may leave gRPC worker threads behind)."""
    return {t.name: os.sched_getaffinity(t.native_id) for t in threading.enumerate()
            if t.native_id is not None and t not in before}


def _threads() -> set[threading.Thread]:
    """The threads now running, as objects: a new thread may reuse a finished one's ident."""
    return set(threading.enumerate())


@needs_two_cpus
def test_rpc_threads_and_writers_run_on_one_cpu(
        pinned: tuple[Running, set[threading.Thread]], demo_list: DemoList) -> None:
    running, before = pinned
    truth = demo_list.truths[0]
    with _client(running) as client:
        answer = client.match(truth["name"], truth.get("id_number", ""))
    assert answer.hits  # a real answer came back through the pinned threads
    masks = _masks(before)
    rpc = {name: mask for name, mask in masks.items() if name.startswith("rpc")}
    assert rpc, "no gRPC worker thread found"
    expected = {max(CPUS)}
    assert all(mask == expected for mask in rpc.values()), rpc
    writer = masks.get("shixin-audit-writer")
    assert writer == expected, masks
    # The embedding process's own thread is left alone.
    assert os.sched_getaffinity(threading.main_thread().native_id or 0) == CPUS


@needs_two_cpus
def test_batch_workers_get_every_cpu_back(pinned: tuple[Running, set[threading.Thread]],
                                          demo_list: DemoList) -> None:
    running, _ = pinned
    workers = running.batch_workers
    assert workers is not None
    rows = [match_pb.BatchRow(ref=str(i), subject=match_pb.Subject(name=t["name"]))
            for i, t in enumerate(demo_list.truths[:20])]
    with _client(running) as client:  # the first batch starts the workers, from a pinned thread
        out = list(client.batch_match([match_pb.BatchMatchRequest(
            purpose="credit.grant", rows=rows)], timeout=120))
    assert len(out[0].results) == len(rows)
    assert workers.wait_ready(120), "batch worker did not start"
    pids = list(workers._pool._processes)  # type: ignore[union-attr]  # the pool's own bookkeeping: test only
    assert pids
    assert all(os.sched_getaffinity(pid) == CPUS for pid in pids)


def test_pinning_off_leaves_threads_free(index: Path) -> None:
    before = _threads()
    running = _serve(index, "off")
    try:
        with _client(running) as client:
            client.match("张伟", "")
        rpc = [mask for name, mask in _masks(before).items() if name.startswith("rpc")]
        assert rpc and all(mask == CPUS for mask in rpc)
    finally:
        running.stop(0)


def test_choose_cpu_refuses_a_cpu_the_process_cannot_use() -> None:
    with pytest.raises(ValueError, match="not one this process may run on"):
        choose_cpu("4096", {0, 1})


@pytest.mark.parametrize("value", ["two", "-1", "1.5"])
def test_bad_pin_cpu_setting_is_refused(value: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SHIXIN_PIN_CPU"):
        validate(from_env({"SHIXIN_PIN_CPU": value}, data=tmp_path))
