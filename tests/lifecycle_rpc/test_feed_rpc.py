"""FeedService.WatchChanges through the real server: order, resumption, many subscribers,
a slow one, and who sees which records."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import grpc
import pytest

from shixin.v1 import feed_service_pb2 as feed_pb
from tests.lifecycle_rpc.rpc_support import (
    OTHER_COURT,
    Harness,
    Rec,
    cancel,
    kinds_of,
    new_record,
    rpc_code,
)

DAY = timedelta(days=1)
STREAM_TIMEOUT = 60.0
"""Deadline of follow streams: only so that a broken server fails the test, not hangs it."""


def _busy_history(h: Harness, n: int) -> list[Rec]:
    """``n`` records pushed live, every third shielded the next day, every sixth restored."""
    recs = [new_record(published_on=h.clock.today - DAY) for _ in range(n)]
    h.accept(*(r.obj for r in recs))
    h.clock.advance(1)
    h.accept(*(r.event("shield", h.clock.today, reason="全部履行完毕") for r in recs[::3]))
    h.clock.advance(1)
    h.accept(*(r.event("restore", h.clock.today) for r in recs[::6]))
    return recs


def test_feed_delivers_every_change_once_in_order(harness: Harness) -> None:
    """Sequences are 1..head with no gap, and each record's changes follow its lifecycle."""
    h = harness
    recs = _busy_history(h, 12)
    changes = h.changes(h.court(), page_size=5)
    assert [c.sequence for c in changes] == list(range(1, len(changes) + 1))
    for i, rec in enumerate(recs):
        expected = ["activated"] + (["deactivated"] if i % 3 == 0 else []) + (
            ["activated"] if i % 6 == 0 else [])
        assert kinds_of(changes, rec) == expected
    reasons = {c.reason for c in changes}
    assert {"shield: 全部履行完毕", "restored"} <= reasons


def test_resuming_after_a_cancelled_stream_loses_and_repeats_nothing(harness: Harness) -> None:
    """A follower cancelled after k messages resumes from its last sequence and, over many
    cancellations with pushes in between, receives each change exactly once."""
    h = harness
    _busy_history(h, 30)  # 45 changes: more than the pages read below
    unit = h.unit()
    received: list[int] = []
    for k in (1, 3, 2, 5, 1, 4):
        call = unit.watch(received[-1] if received else 0, follow=True, page_size=2,
                          timeout=STREAM_TIMEOUT)
        for _ in range(k):
            page = next(call)
            received.extend(c.sequence for c in page.changes)
        cancel(call)
        assert rpc_code(call) == grpc.StatusCode.CANCELLED
        h.clock.advance(1)
        h.accept(new_record(published_on=h.clock.today).obj)
    received.extend(c.sequence for c in h.changes(unit, after=received[-1]))
    everything = [c.sequence for c in h.changes(h.court())]
    assert received == everything
    assert len(set(received)) == len(received) > 20


def test_many_followers_are_not_held_back_by_a_slow_one(harness: Harness) -> None:
    """Eight followers receive every new change while a ninth, subscribed first, reads
    nothing; the slow one then still receives all of them, in order."""
    h = harness
    court = h.court()
    slow_client = h.unit()
    slow = slow_client.watch(0, follow=True, page_size=1, timeout=STREAM_TIMEOUT)
    ready = threading.Barrier(9)
    results: dict[int, list[int]] = {}
    errors: list[BaseException] = []
    n_records = 300
    padding = "被执行人未按执行通知履行法律文书确定的义务。" * 60

    def follow(i: int) -> None:
        client = h.unit() if i % 2 else h.court()
        got: list[int] = []
        try:
            call = client.watch(0, follow=True, page_size=7, timeout=STREAM_TIMEOUT)
            ready.wait()
            for page in call:
                got.extend(c.sequence for c in page.changes)
                if len(got) >= n_records:
                    break
            cancel(call)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        results[i] = got

    threads = [threading.Thread(target=follow, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    ready.wait()
    recs = [new_record(published_on=h.clock.today) for _ in range(n_records)]
    for r in recs:
        r.obj["obligation"] = padding
    h.accept(*(r.obj for r in recs), client=court)
    for t in threads:
        t.join(STREAM_TIMEOUT)
    assert not errors
    expected = list(range(1, n_records + 1))
    assert sorted(results) == list(range(8))
    assert all(got == expected for got in results.values())
    slow_got: list[int] = []
    for page in slow:
        slow_got.extend(c.sequence for c in page.changes)
        if len(slow_got) >= n_records:
            break
    cancel(slow)
    assert slow_got == expected


def test_a_follower_receives_changes_pushed_after_it_subscribed(harness: Harness) -> None:
    """With follow set the stream stays open and delivers a later push, then a later expiry."""
    h = harness
    unit = h.unit()
    call = unit.watch(0, follow=True, page_size=10, timeout=STREAM_TIMEOUT)
    rec = new_record(published_on=h.clock.today, expires_on=h.clock.today + DAY)
    ack, = h.accept(rec.obj)
    first = next(call).changes
    assert [c.sequence for c in first] == [ack.feed_sequence]
    h.clock.advance(2)
    ended = next(call).changes
    cancel(call)
    assert [(c.kind, c.record.case_number) for c in ended] == [
        (feed_pb.CHANGE_KIND_DEACTIVATED, rec.case_number)]
    assert ended[0].reason.startswith("expired")


def test_public_callers_may_not_read_the_feed(harness: Harness) -> None:
    """Without credentials WatchChanges is refused (it would list the whole register)."""
    h = harness
    h.accept(new_record(published_on=h.clock.today).obj)
    assert rpc_code(h.client().watch(0)) == grpc.StatusCode.UNAUTHENTICATED
    assert rpc_code(h.client().watch(0, follow=True, timeout=STREAM_TIMEOUT)) == \
        grpc.StatusCode.UNAUTHENTICATED


def test_negative_sequence_is_invalid(harness: Harness) -> None:
    """after_sequence below zero is INVALID_ARGUMENT."""
    assert rpc_code(harness.unit().watch(-1)) == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize("config", [{"principal": "admin:ops"},
                                    {"principal": f"court:{OTHER_COURT}"}],
                         ids=["admin", "other-court"])
def test_non_public_records_stay_out_of_the_feed(harness: Harness,
                                                 config: dict[str, str]) -> None:
    """Changes of a non-public record reach its own court, never a caller that may not see
    it, nor another court."""
    h = harness
    hidden = new_record(published_on=h.clock.today - DAY, public=False)
    shown = new_record(published_on=h.clock.today - DAY)
    h.accept(hidden.obj, shown.obj)
    h.clock.advance(1)
    h.accept(hidden.event("shield", h.clock.today), shown.event("shield", h.clock.today))
    assert kinds_of(h.changes(h.court()), hidden) == ["activated", "deactivated"]
    seen: list[Any] = h.changes(h.client(**config))
    assert kinds_of(seen, hidden) == []
    assert kinds_of(seen, shown) == ["activated", "deactivated"]


def test_units_see_non_public_records_in_the_feed(harness: Harness) -> None:
    """Non-public records are visible to the authorised units (list-record.md), feed included."""
    h = harness
    hidden = new_record(published_on=h.clock.today - DAY, public=False)
    h.accept(hidden.obj)
    h.clock.advance(1)
    h.accept(hidden.event("shield", h.clock.today))
    assert kinds_of(h.changes(h.unit()), hidden) == ["activated", "deactivated"]


def test_a_told_unit_hears_of_the_end_even_if_the_record_was_made_non_public(
        harness: Harness) -> None:
    """A unit shown a record gets its deactivation, marked told, although the court hid the
    record since; a unit never told sees it unmarked."""
    h = harness
    rec = new_record(published_on=h.clock.today - DAY)
    h.accept(rec.obj)
    told = h.unit()
    assert h.live_hit(told, rec)
    h.running.ledger.flush()
    h.clock.advance(1)
    h.accept({**rec.obj, "public": False}, rec.event("revoke", h.clock.today))
    mine = [c for c in h.changes(told) if c.record.case_number == rec.case_number]
    assert (feed_pb.CHANGE_KIND_DEACTIVATED, True) in [(c.kind, c.unit_was_told) for c in mine]
    other = [c for c in h.changes(h.unit("customs-liuzhou", "customs.certification"))
             if c.record.case_number == rec.case_number]
    assert other and not any(c.unit_was_told for c in other)
