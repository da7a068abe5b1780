"""Court deadlines (ListOverdue) and record histories (GetRecordHistory) through the server,
and the CLI commands ``overdue``, ``history`` and ``feed`` against it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import grpc
import pytest

from shixin.cli.main import main
from shixin.v1 import types_pb2
from tests.lifecycle_rpc.rpc_support import (
    COURT,
    OTHER_COURT,
    UNIT,
    UNIT_PURPOSE,
    Harness,
    new_record,
)

DAY = timedelta(days=1)


_LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\S* +\[|\{\")")


def _printed(capsys: pytest.CaptureFixture[str]) -> tuple[list[str], str]:
    """The CLI's stdout lines (the in-process server's log lines left out), and stderr."""
    out, err = capsys.readouterr()
    return [line for line in out.splitlines() if not _LOG_LINE.match(line)], err


def _overdue(h: Harness, court: str = COURT) -> list[tuple[str, str, str, int]]:
    """(case number, kind, due on, days overdue) a court sees."""
    return [(a.case_number, a.kind, a.due_on, a.days_overdue)
            for a in h.court(court).overdue().actions]


def test_correction_decision_is_due_three_days_after_the_request(harness: Harness) -> None:
    """An undecided correction is overdue from the fourth day, and no longer once decided."""
    h = harness
    rec = new_record(published_on=h.clock.today - DAY)
    h.accept(rec.obj)
    h.clock.advance(1)
    asked = h.clock.today
    h.accept(rec.event("correction_requested", asked))
    h.clock.advance(3)
    assert _overdue(h) == []
    h.clock.advance(1)
    assert _overdue(h) == [(rec.case_number, "correction_decision",
                            (asked + 3 * DAY).isoformat(), 1)]
    h.accept(rec.event("correction_rejected", h.clock.today, reason="理由不成立"))
    assert _overdue(h) == []


def test_shield_is_due_three_days_after_performance(harness: Harness) -> None:
    """After a reported performance the court must shield or revoke within 3 days."""
    h = harness
    rec = new_record(published_on=h.clock.today - DAY)
    h.accept(rec.obj)
    paid = h.clock.today
    h.accept(rec.event("performed", paid, reason="全部履行完毕"))
    h.clock.advance(5)
    (case, kind, due, late), = _overdue(h)
    assert (case, kind, due, late) == (rec.case_number, "shield", (paid + 3 * DAY).isoformat(), 2)
    assert h.record(rec).active
    h.accept(rec.event("shield", h.clock.today, reason="全部履行完毕"))
    assert _overdue(h) == []


def test_each_court_sees_only_its_own_overdue_actions(harness: Harness) -> None:
    """A court lists its own overdue actions and may not ask for another's; an admin sees
    both; units and anonymous callers may not list them."""
    h = harness
    ours = new_record(published_on=h.clock.today - DAY)
    theirs = new_record(published_on=h.clock.today - DAY, court=OTHER_COURT)
    h.accept(ours.obj)
    h.accept(theirs.obj, client=h.court(OTHER_COURT))
    h.accept(ours.event("performed", h.clock.today))
    h.accept(theirs.event("correction_requested", h.clock.today), client=h.court(OTHER_COURT))
    h.clock.advance(4)
    assert [x[0] for x in _overdue(h)] == [ours.case_number]
    assert [x[0] for x in _overdue(h, OTHER_COURT)] == [theirs.case_number]
    admin = h.client(principal="admin:ops")
    assert {a.case_number for a in admin.overdue().actions} == {ours.case_number,
                                                               theirs.case_number}
    assert [a.court for a in admin.overdue(court=OTHER_COURT).actions] == [OTHER_COURT]
    refused: list[tuple[Callable[[], Any], grpc.StatusCode]] = [
        (lambda: h.court().overdue(court=OTHER_COURT), grpc.StatusCode.PERMISSION_DENIED),
        (lambda: h.unit().overdue(), grpc.StatusCode.PERMISSION_DENIED),
        (lambda: h.client().overdue(), grpc.StatusCode.UNAUTHENTICATED)]
    for call, code in refused:
        with pytest.raises(grpc.RpcError) as info:
            call()
        assert info.value.code() == code


def test_expiry_ends_a_pending_duty(harness: Harness) -> None:
    """A record that expires while a decision is pending leaves nothing overdue."""
    h = harness
    rec = new_record(published_on=h.clock.today - DAY, expires_on=h.clock.today + DAY)
    h.accept(rec.obj, rec.event("correction_requested", h.clock.today))
    h.clock.advance(1)
    assert h.record(rec).state == types_pb2.RECORD_STATE_CORRECTION_PENDING
    h.clock.advance(6)
    assert _overdue(h) == []
    assert h.record(rec).state == types_pb2.RECORD_STATE_EXPIRED


def test_history_keeps_every_version_and_event(harness: Harness) -> None:
    """GetRecordHistory returns each accepted version and event in push order; unchanged and
    rejected pushes add nothing, and nothing is ever removed."""
    h = harness
    rec = new_record(published_on=h.clock.today - DAY, expires_on=h.clock.today + 100 * DAY)
    h.accept(rec.obj, rec.obj)
    h.clock.advance(1)
    h.accept({**rec.obj, "performance": "部分履行"},
             rec.event("extend", h.clock.today,
                       expires_on=(h.clock.today + 300 * DAY).isoformat()))
    h.push(rec.event("restore", h.clock.today))
    h.clock.advance(1)
    h.accept(rec.event("shield", h.clock.today, reason="全部履行完毕"))
    resp = h.court().history(case_number=rec.case_number, debtor_id_number=rec.id_number)
    assert [json.loads(v.record_json)["performance"] for v in resp.versions] == [
        "全部未履行", "部分履行"]
    assert [e.event_type for e in resp.events] == [types_pb2.EVENT_TYPE_EXTEND,
                                                   types_pb2.EVENT_TYPE_SHIELD]
    order = sorted([*(v.sequence for v in resp.versions), *(e.sequence for e in resp.events)])
    assert order == [resp.versions[0].sequence, resp.versions[1].sequence,
                     resp.events[0].sequence, resp.events[1].sequence]
    assert {e.pushed_by for e in resp.events} == {COURT}
    assert resp.record.state == types_pb2.RECORD_STATE_SHIELDED


def test_history_masks_ids_for_callers_without_whole_ids(harness: Harness) -> None:
    """An admin reads histories with the resident ID masked in every version; anonymous
    callers may not read them."""
    h = harness
    rec = new_record(published_on=h.clock.today)
    h.accept(rec.obj)
    admin = h.client(principal="admin:ops").history(case_number=rec.case_number,
                                                    debtor_id_number=rec.id_number)
    shown = json.loads(admin.versions[0].record_json)["debtor"]["id_number"]
    assert shown != rec.id_number and "*" in shown and shown[-4:] == rec.id_number[-4:]
    court = h.court().history(case_number=rec.case_number, debtor_id_number=rec.id_number)
    assert json.loads(court.versions[0].record_json)["debtor"]["id_number"] == rec.id_number
    with pytest.raises(grpc.RpcError) as info:
        h.client().history(case_number=rec.case_number, debtor_id_number=rec.id_number)
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_cli_overdue_history_and_feed(harness: Harness, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    """``shixin overdue``, ``history`` and ``feed watch/ack/missing`` print what the server
    says, for the caller the flags name."""
    h = harness
    rec = new_record(published_on=h.clock.today - DAY)
    h.accept(rec.obj, rec.event("performed", h.clock.today, reason="全部履行完毕"))
    court = ["--server", h.address, "--principal", f"court:{COURT}"]
    unit = ["--server", h.address, "--unit", UNIT]
    h.clock.advance(4)
    assert main(["overdue", *court]) == 0
    out, _ = _printed(capsys)
    assert out[0] == COURT and rec.case_number in out[1] and "shield due" in out[1]
    assert out[2] == "1 overdue actions"
    assert main(["overdue", "--court", OTHER_COURT, *court]) == 1
    assert "PERMISSION_DENIED" in _printed(capsys)[1]
    assert h.live_hit(h.unit(UNIT, UNIT_PURPOSE), rec)
    h.running.ledger.flush()
    shield, = h.accept(rec.event("shield", h.clock.today, reason="全部履行完毕"))
    assert main(["history", rec.case_number, "--id-number", rec.id_number, *court]) == 0
    out, _ = _printed(capsys)
    assert "shielded since" in out[0]
    assert [line.split()[1] for line in out[1:-1]] == ["version:", "performed", "shield"]
    assert out[-1].startswith("1 versions, 2 events")
    assert main(["feed", "watch", *unit]) == 0
    lines, _ = _printed(capsys)
    assert [line.split("\t")[1] for line in lines] == ["activated", "deactivated"]
    assert "you were told" in lines[1] and "you were told" not in lines[0]
    h.clock.advance(4)
    assert main(["feed", "missing", *unit]) == 0
    (missing,), _ = _printed(capsys)
    assert missing.startswith(f"{UNIT}\t{shield.feed_sequence}\t")
    until = (h.clock.today + 90 * DAY).isoformat()
    assert main(["feed", "ack", str(shield.feed_sequence), "--retain",
                 f"{UNIT_PURPOSE}:《征信业管理条例》第十六条: 不良信息保存期限:{until}",
                 *unit]) == 0
    assert "keeping 1 measures" in _printed(capsys)[0][0]
    assert main(["feed", "missing", *unit]) == 0
    assert _printed(capsys)[0] == ["every told unit acknowledged in time"]
