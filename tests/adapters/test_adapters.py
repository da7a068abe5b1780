"""Adapters against the real server: decisions from answers, liftings from the feed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from shixin.adapters import create, decide, follow_feed
from shixin.client import ClientConfig, ShixinClient
from shixin.grpcapi.server import Running, create_server
from shixin.settings import Settings
from shixin.v1 import record_service_pb2 as record_pb

COURT = "柳州市城中区人民法院"
RECORD = {
    "case_number": "(2024)桂0202执88号",
    "debtor": {"kind": "person", "name": "韦小宝", "id_type": "resident_id",
               "id_number": "11010519491231002X", "gender": "男"},
    "court": COURT, "published_on": "2024-03-01", "expires_on": "2027-03-01",
}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    """A fresh server with one record pushed by its court."""
    running = create_server(Settings(data=tmp_path / "data", listen="127.0.0.1:0",
                                     dev_auth=True, today=date(2026, 11, 24)))
    with _client(running, principal=f"court:{COURT}") as court:
        acks = list(court.push([record_pb.PushRecordsRequest(sequence=1,
                                                             json_line=json.dumps(RECORD))]))
        assert acks[0].accepted, acks[0].error
    yield running
    running.stop(0)


def _client(running: Running, **config: str) -> ShixinClient:
    return ShixinClient(ClientConfig(server=f"127.0.0.1:{running.port}", **config))


def test_decision_from_a_definitive_hit(server: Running) -> None:
    """A definitive hit whose purpose measure applies decides the unit's action."""
    with _client(server, unit="pbc-liuzhou", purpose="credit.grant") as bank:
        answer = bank.match("韦小宝", "11010519491231002x")
    decision = decide(answer)
    assert decision.action == "strict_review"
    assert decision.record_ids == (answer.hits[0].record_id,)


def test_no_hit_means_proceed(server: Running) -> None:
    """A subject that is not listed lets the unit proceed."""
    with _client(server, unit="pbc-liuzhou", purpose="credit.grant") as bank:
        assert decide(bank.match("陈近南", "110105194912310038")).action == "proceed"


def test_follower_lifts_and_acknowledges(server: Running, tmp_path: Path) -> None:
    """A unit told of a record lifts its measures when the record is shielded, and says so."""
    journal = tmp_path / "journal.jsonl"
    adapter = create("journal", unit="pbc-liuzhou", purpose="credit.grant", path=journal)
    with _client(server, unit="pbc-liuzhou", purpose="credit.grant") as bank:
        answer = bank.match("韦小宝", "11010519491231002X")
        adapter.apply(bank.subject("韦小宝", "11010519491231002X"), decide(answer))
        server.ledger.flush()
        with _client(server, principal=f"court:{COURT}") as court:
            shield = {"event": "shield", "case_number": RECORD["case_number"],
                      "id_number": "11010519491231002X", "effective_on": "2026-11-20",
                      "reason": "全部履行完毕"}
            ack = list(court.push([record_pb.PushRecordsRequest(sequence=2,
                                                                json_line=json.dumps(shield))]))
            assert ack[0].accepted, ack[0].error
        last = follow_feed(bank, adapter, 0)
        assert last > 0
        entries = [json.loads(line) for line in journal.read_text().splitlines()]
        assert [e["kind"] for e in entries] == ["decision", "lifted"]
        assert entries[1]["record_id"] == answer.hits[0].record_id
        missing = bank.unacknowledged(grace_days=0, as_of="2026-12-31")
        assert not [m for m in missing.missing if m.unit == "pbc-liuzhou"]


def test_unknown_adapter_is_refused() -> None:
    """Asking for an adapter that does not exist names the available ones."""
    with pytest.raises(ValueError, match="journal"):
        create("telex", unit="x", purpose="y")
