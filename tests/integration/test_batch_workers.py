"""BatchMatch answered by worker processes: same answers, in order, audited, told.

The server's own fixture starts workers lazily and small batches never wait
for them; here a server is made to wait until its worker is ready, so that
messages really go to the other process, and is compared with a server that
has none.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from shixin.client import ClientConfig, ShixinClient
from shixin.demo import DEFAULT_TODAY
from shixin.grpcapi.server import Running, create_server
from shixin.settings import Settings
from shixin.v1 import match_service_pb2 as match_pb
from tests.conftest import DemoList

MESSAGES = 24


def _serve(data: Path, workers: int) -> Running:
    running = create_server(Settings(data=data, listen="127.0.0.1:0", dev_auth=True,
                                     today=DEFAULT_TODAY, batch_workers=workers))
    if workers:
        assert running.batch_workers is not None
        running.batch_workers.start()
        assert running.batch_workers.wait_ready(120), "batch worker did not start"
    return running


@pytest.fixture(scope="module")
def with_worker(index: Path) -> Iterator[Running]:
    running = _serve(index, 1)
    yield running
    running.stop(0)


def _messages(demo_list: DemoList) -> list[match_pb.BatchMatchRequest]:
    out = []
    truths = demo_list.truths
    for m in range(MESSAGES):
        rows = []
        for i in range(25):
            t = truths[(m * 25 + i) % len(truths)]
            rows.append(match_pb.BatchRow(ref=f"{m}-{i}", subject=match_pb.Subject(
                name=t["name"], id_number=t.get("id_number", "") if i % 3 else "")))
        rows.append(match_pb.BatchRow(ref=f"{m}-bad", subject=match_pb.Subject(
            id_number="4502021980")))
        out.append(match_pb.BatchMatchRequest(purpose="credit.grant", rows=rows))
    return out


def _batch(running: Running, messages: list[match_pb.BatchMatchRequest]) -> list[bytes]:
    with ShixinClient(ClientConfig(server=f"127.0.0.1:{running.port}", unit="pbc-liuzhou",
                                   purpose="credit.grant")) as client:
        return [r.SerializeToString() for r in client.batch_match(messages, timeout=120)]


def _audit_lines(running: Running, action: str) -> list[dict[str, object]]:
    assert running.audit is not None
    running.audit.flush()
    lines = running.audit.path.read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e.get("action") == action]


def test_workers_answer_like_the_serving_process(index: Path, with_worker: Running,
                                                 demo_list: DemoList) -> None:
    messages = _messages(demo_list)
    copy = index.parent / f"{index.name}-copy"  # one process opens an index once
    copy.mkdir()
    shutil.copy(index / "data.mdb", copy / "data.mdb")
    alone = _serve(copy, 0)
    try:
        expected = _batch(alone, messages)
    finally:
        alone.stop(0)
    before = len(_audit_lines(with_worker, "batch_match.rows"))
    assert with_worker.batch_workers is not None
    handed = with_worker.batch_workers.submitted
    got = _batch(with_worker, messages)
    # a ready worker always takes the first two messages: they really went elsewhere
    assert with_worker.batch_workers.submitted - handed >= 2
    assert got == expected  # same answers, same order, error rows included
    answers = [match_pb.BatchMatchResponse.FromString(b) for b in got]
    assert [r.ref for a in answers for r in a.results] == \
        [r.ref for m in messages for r in m.rows]
    assert sum(r.status == match_pb.MATCH_STATUS_ERROR for a in answers for r in a.results) \
        == MESSAGES
    # one audit entry per message, whoever answered it
    assert len(_audit_lines(with_worker, "batch_match.rows")) - before == MESSAGES


def test_a_killed_worker_loses_no_message(with_worker: Running, demo_list: DemoList) -> None:
    messages = _messages(demo_list) * 3
    workers = with_worker.batch_workers
    assert workers is not None and workers._pool is not None
    pids = list(workers._pool._processes)  # the pool's own bookkeeping: test only
    stream = ShixinClient(ClientConfig(server=f"127.0.0.1:{with_worker.port}",
                                       unit="pbc-liuzhou", purpose="credit.grant"))
    try:
        answers = []
        for n, response in enumerate(stream.batch_match(messages, timeout=120)):
            if n == 1:
                for pid in pids:
                    os.kill(pid, signal.SIGKILL)
            answers.append(response)
    finally:
        stream.close()
    refs = [r.ref for a in answers for r in a.results]
    assert refs == [r.ref for m in messages for r in m.rows]
