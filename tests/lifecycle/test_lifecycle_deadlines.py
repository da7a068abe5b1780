"""Court deadlines: open, overdue, and met late."""

from __future__ import annotations

from collections.abc import Iterable

from shixin.lifecycle import late_actions, open_deadlines, overdue
from shixin.lifecycle.deadlines import CORRECTION_DECISION, REVIEW_DECISION, SHIELD, Deadline
from tests.lifecycle.lifecycle_support import FAR, T, d, ev

P = d("2020-01-04")
INC = ev(T.INCLUDE, "2020-01-04")
REQ = ev(T.CORRECTION_REQUESTED, "2020-01-05")


def kinds(deadlines: Iterable[Deadline]) -> list[tuple[str, str]]:
    """(kind, due_on) pairs, for short asserts."""
    return [(x.kind, x.due_on.isoformat()) for x in deadlines]


def test_correction_decision_is_due_three_days_after_the_request() -> None:
    """Requested on the 5th: due the 8th, overdue from the 9th."""
    assert kinds(open_deadlines(P, None, [INC, REQ], d("2020-01-05"))) == [
        (CORRECTION_DECISION, "2020-01-08")
    ]
    assert overdue(P, None, [INC, REQ], d("2020-01-08")) == []
    assert kinds(overdue(P, None, [INC, REQ], d("2020-01-09"))) == [
        (CORRECTION_DECISION, "2020-01-08")
    ]


def test_decision_closes_the_correction_deadline() -> None:
    """Once decided, nothing is open."""
    hist = [INC, REQ, ev(T.CORRECTION_REJECTED, "2020-01-07")]
    assert open_deadlines(P, None, hist, d("2020-01-20")) == []


def test_review_decision_deadline_uses_the_assumed_period() -> None:
    """A pending review has its own deadline (3 days, assumed) and says so."""
    hist = [INC, REQ, ev(T.CORRECTION_REJECTED, "2020-01-06"), ev(T.REVIEW_REQUESTED, "2020-01-09")]
    [deadline] = open_deadlines(P, None, hist, d("2020-01-09"))
    assert (deadline.kind, deadline.due_on, deadline.since) == (
        REVIEW_DECISION, d("2020-01-12"), d("2020-01-09"))
    assert "assumed" in deadline.description


def test_performed_starts_the_shield_deadline() -> None:
    """A reported performance obliges a shield or revoke within 3 days."""
    hist = [INC, ev(T.PERFORMED, "2020-03-02", "全部履行完毕")]
    [deadline] = open_deadlines(P, None, hist, d("2020-03-02"))
    assert (deadline.kind, deadline.due_on) == (SHIELD, d("2020-03-05"))
    assert "全部履行完毕" in deadline.description
    assert kinds(overdue(P, None, hist, d("2020-03-06"))) == [(SHIELD, "2020-03-05")]


def test_second_performance_report_does_not_restart_the_clock() -> None:
    """The first report sets the due day."""
    hist = [INC, ev(T.PERFORMED, "2020-03-02"), ev(T.PERFORMED, "2020-03-04", "再次报告")]
    assert kinds(open_deadlines(P, None, hist, d("2020-03-04"))) == [(SHIELD, "2020-03-05")]


def test_shield_revoke_or_expiry_close_the_shield_deadline() -> None:
    """Shield, revoke, a granted correction or expiry all leave nothing open."""
    perf = ev(T.PERFORMED, "2020-01-06")
    for closing in (ev(T.SHIELD, "2020-01-07"), ev(T.REVOKE, "2020-01-07")):
        assert open_deadlines(P, None, [INC, perf, closing], d("2020-01-20")) == []
    granted = [INC, REQ, perf, ev(T.CORRECTION_GRANTED, "2020-01-07")]
    assert open_deadlines(P, None, granted, d("2020-01-20")) == []
    assert open_deadlines(P, d("2020-01-07"), [INC, perf], d("2020-01-20")) == []


def test_shield_makes_a_pending_correction_moot() -> None:
    """A shield during a pending correction closes the decision deadline too."""
    hist = [INC, REQ, ev(T.SHIELD, "2020-01-06")]
    assert open_deadlines(P, None, hist, d("2020-01-20")) == []


def test_both_deadlines_at_once_sorted_by_due_day() -> None:
    """A pending correction and a performance can run together."""
    hist = [INC, ev(T.PERFORMED, "2020-01-05"), ev(T.CORRECTION_REQUESTED, "2020-01-06")]
    assert kinds(open_deadlines(P, None, hist, d("2020-01-06"))) == [
        (SHIELD, "2020-01-08"), (CORRECTION_DECISION, "2020-01-09")
    ]


def test_restore_starts_a_fresh_shield_clock() -> None:
    """A performance before a shield is consumed; after a restore a new report counts."""
    hist = [INC, ev(T.PERFORMED, "2020-02-01"), ev(T.SHIELD, "2020-02-02"),
            ev(T.RESTORE, "2020-03-01"), ev(T.PERFORMED, "2020-04-01")]
    assert kinds(open_deadlines(P, FAR, hist, d("2020-04-01"))) == [(SHIELD, "2020-04-04")]


def test_late_actions_lists_late_decisions_and_shields() -> None:
    """A decision and a shield after their due day are reported with days late."""
    hist = [INC, REQ, ev(T.CORRECTION_REJECTED, "2020-01-10"),
            ev(T.PERFORMED, "2020-02-01"), ev(T.SHIELD, "2020-02-05", "全部履行完毕")]
    late = late_actions(hist)
    assert [(x.deadline.kind, x.done_by, x.done_on.isoformat(), x.days_late) for x in late] == [
        (CORRECTION_DECISION, T.CORRECTION_REJECTED, "2020-01-10", 2),
        (SHIELD, T.SHIELD, "2020-02-05", 1),
    ]


def test_actions_on_the_due_day_are_not_late() -> None:
    """Acting on due_on is in time."""
    hist = [INC, REQ, ev(T.CORRECTION_REJECTED, "2020-01-08"),
            ev(T.PERFORMED, "2020-02-01"), ev(T.REVOKE, "2020-02-04")]
    assert late_actions(hist) == []


def test_late_review_and_late_revocation_by_granted_review() -> None:
    """A granted review both decides the review and answers a running shield duty."""
    hist = [INC, REQ, ev(T.CORRECTION_REJECTED, "2020-01-06"), ev(T.REVIEW_REQUESTED, "2020-01-10"),
            ev(T.PERFORMED, "2020-01-11"), ev(T.REVIEW_GRANTED, "2020-01-20")]
    assert [(x.deadline.kind, x.days_late) for x in late_actions(hist)] == [
        (REVIEW_DECISION, 7), (SHIELD, 6)
    ]


def test_late_actions_reads_history_in_canonical_order() -> None:
    """The stored order does not matter."""
    hist = [ev(T.SHIELD, "2020-02-09"), ev(T.PERFORMED, "2020-02-01"), INC]
    assert [x.days_late for x in late_actions(hist)] == [5]
