"""The state machine: every table entry, every refused pair, the named illegal moves, expiry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from shixin.errors import FailedPrecondition
from shixin.lifecycle import (
    EXPIRY,
    TRANSITIONS,
    Event,
    EventType,
    State,
    TransitionError,
    apply,
    check_transition,
    is_active,
    status,
    violations,
)
from shixin.lifecycle.memory import CODES
from tests.lifecycle.lifecycle_support import FAR, T, d, ev, scenario

P = d("2020-01-04")
INC = ev(T.INCLUDE, "2020-01-04")
DATA_CODES = {"future_event", "out_of_order", "duplicate"}
ALL_PAIRS = [(s, e) for s in State for e in EventType]
ILLEGAL = [pair for pair in ALL_PAIRS if pair not in TRANSITIONS]


def refused(history: list[Event], event: Event, today: str, published: str = "2020-01-04",
            expires: str | None = None) -> TransitionError:
    """The error check_transition raises (fails the test when it accepts)."""
    with pytest.raises(TransitionError) as info:
        check_transition(d(published), d(expires) if expires else None, history, event, d(today))
    return info.value


# --- the table, both ways -----------------------------------------------------------


@pytest.mark.parametrize(("pair", "target"), sorted(TRANSITIONS.items()), ids=str)
def test_every_table_entry_is_accepted_and_lands_on_its_target(
    pair: tuple[State, EventType], target: State
) -> None:
    """Each (state, event) in TRANSITIONS is accepted and leads to the table's state."""
    state, kind = pair
    sc = scenario(state, kind)
    assert sc.state() is state
    new = apply(sc.published_on, sc.expires_on, sc.history, sc.event(kind), sc.day)
    after = status(sc.published_on, sc.expires_on, new, sc.day)
    assert after.state is target
    assert after.active is is_active(target)
    assert after.last_event is kind
    assert violations(sc.published_on, sc.expires_on, new, sc.day) == []


@pytest.mark.parametrize("pair", ILLEGAL, ids=str)
def test_every_pair_outside_the_table_is_refused_and_ignored_by_status(
    pair: tuple[State, EventType]
) -> None:
    """Each (state, event) absent from TRANSITIONS raises a rule code; status skips it."""
    state, kind = pair
    sc = scenario(state, kind)
    assert sc.state() is state
    event = sc.event(kind)
    with pytest.raises(TransitionError) as info:
        check_transition(sc.published_on, sc.expires_on, sc.history, event, sc.day)
    assert info.value.code not in DATA_CODES
    assert info.value.code in CODES
    before = status(sc.published_on, sc.expires_on, sc.history, sc.day)
    assert status(sc.published_on, sc.expires_on, (*sc.history, event), sc.day) == before


@pytest.mark.parametrize(("source", "target"), sorted(EXPIRY.items()), ids=str)
def test_every_expiry_edge_is_taken_the_day_after_expires_on(
    source: State, target: State
) -> None:
    """Each EXPIRY source still holds on expires_on and becomes the target the day after."""
    probe = scenario(source, T.PERFORMED)
    sc = scenario(source, T.PERFORMED, expires_on=probe.day)
    assert sc.state() is source
    after = status(sc.published_on, sc.expires_on, sc.history, sc.day + timedelta(days=1))
    assert after.state is target
    assert after.since == sc.day + timedelta(days=1)
    assert after.reason == f"expired on {after.since}"


def test_terminal_states_take_no_event() -> None:
    """Revoked and expired have no outgoing edge at all."""
    sources = {state for state, _ in TRANSITIONS} | set(EXPIRY)
    assert set(State) - sources == {State.REVOKED, State.EXPIRED}


def test_refused_errors_are_failed_preconditions_with_upper_reason() -> None:
    """TransitionError plugs into the shared error hierarchy (gRPC FAILED_PRECONDITION)."""
    err = refused([INC, ev(T.REVOKE, "2020-01-05")], ev(T.REVOKE, "2020-01-06"), "2020-01-06")
    assert isinstance(err, FailedPrecondition)
    assert (err.code, err.reason) == ("already_revoked", "ALREADY_REVOKED")


# --- named illegal moves ------------------------------------------------------------


def test_correction_more_than_ten_days_after_inclusion_is_refused() -> None:
    """A correction 11 days after the inclusion decision is too late, with the exact message."""
    err = refused([INC], ev(T.CORRECTION_REQUESTED, "2020-01-15"), "2020-01-20")
    assert err.code == "correction_too_late"
    assert err.message == (
        "correction requested on 2020-01-15, 11 days after the inclusion decision of "
        "2020-01-04; the limit is 10 days"
    )


def test_correction_on_the_tenth_day_is_in_time() -> None:
    """Day 10 after the decision is still within the window."""
    check_transition(P, None, [INC], ev(T.CORRECTION_REQUESTED, "2020-01-14"), d("2020-01-14"))


def test_correction_window_of_an_implicit_inclusion_counts_from_publication() -> None:
    """Without an include event the window runs from published_on, and the message says so."""
    err = refused([], ev(T.CORRECTION_REQUESTED, "2020-01-16"), "2020-01-16")
    assert err.code == "correction_too_late"
    assert "12 days after the inclusion decision of 2020-01-04 (its publication date" in str(err)


def test_second_correction_request_is_refused() -> None:
    """One correction per inclusion; after a rejection the next step is review."""
    hist = [INC, ev(T.CORRECTION_REQUESTED, "2020-01-05"), ev(T.CORRECTION_REJECTED, "2020-01-06")]
    err = refused(hist, ev(T.CORRECTION_REQUESTED, "2020-01-07"), "2020-01-07")
    assert err.code == "correction_repeated"


def test_correction_request_while_one_is_pending_is_refused() -> None:
    """A request does not stack on an undecided one."""
    err = refused([INC, ev(T.CORRECTION_REQUESTED, "2020-01-05")],
                  ev(T.CORRECTION_REQUESTED, "2020-01-06"), "2020-01-06")
    assert err.code == "request_pending"


@pytest.mark.parametrize("kind", [T.CORRECTION_GRANTED, T.CORRECTION_REJECTED,
                                  T.REVIEW_GRANTED, T.REVIEW_REJECTED])
def test_decision_without_a_pending_request_is_refused(kind: EventType) -> None:
    """A correction or review decision needs a pending request."""
    err = refused([INC], ev(kind, "2020-01-06"), "2020-01-06")
    assert err.code == "no_pending_request"
    assert "request is pending" in err.message


def test_correction_decision_while_a_review_is_pending_is_refused() -> None:
    """The decision must answer the request that is pending (here a review)."""
    sc = scenario(State.CORRECTION_PENDING, T.REVIEW_GRANTED)
    err = refused(list(sc.history), ev(T.CORRECTION_GRANTED, "2020-01-08"), "2020-01-08")
    assert err.code == "wrong_pending_request"
    assert "review_granted or review_rejected" in err.message


def test_review_decision_while_a_correction_is_pending_is_refused() -> None:
    """A review decision cannot answer a correction request."""
    hist = [INC, ev(T.CORRECTION_REQUESTED, "2020-01-05")]
    err = refused(hist, ev(T.REVIEW_REJECTED, "2020-01-06"), "2020-01-06")
    assert err.code == "wrong_pending_request"


def test_review_without_a_rejected_correction_is_refused() -> None:
    """Review (复议) lies only against a rejected correction."""
    err = refused([INC], ev(T.REVIEW_REQUESTED, "2020-01-06"), "2020-01-06")
    assert err.code == "review_without_rejection"
    assert err.message.startswith("review requested on 2020-01-06 without a rejected correction")


def test_second_review_is_refused() -> None:
    """One review per rejected correction."""
    hist = [INC, ev(T.CORRECTION_REQUESTED, "2020-01-05"), ev(T.CORRECTION_REJECTED, "2020-01-06"),
            ev(T.REVIEW_REQUESTED, "2020-01-07"), ev(T.REVIEW_REJECTED, "2020-01-08")]
    err = refused(hist, ev(T.REVIEW_REQUESTED, "2020-01-09"), "2020-01-09")
    assert err.code == "review_repeated"


@pytest.mark.parametrize("state", [State.PENDING, State.SHIELDED])
def test_shielding_a_record_that_is_not_active_is_refused(state: State) -> None:
    """Only a live record can be shielded."""
    sc = scenario(state, T.SHIELD)
    err = refused(list(sc.history), sc.event(T.SHIELD), str(sc.day), str(sc.published_on))
    assert err.code == "not_active"
    assert f"the record is not active ({state.value} since" in err.message


def test_restoring_a_record_never_shielded_is_refused() -> None:
    """Restore needs a shield before it."""
    err = refused([INC], ev(T.RESTORE, "2020-01-06"), "2020-01-06")
    assert err.code == "not_shielded"
    assert err.message == (
        "restore on 2020-01-06: the record was never shielded (active since 2020-01-04)"
    )


def test_restoring_a_restored_record_is_refused_as_not_shielded() -> None:
    """A second restore finds the record live, not shielded."""
    sc = scenario(State.RESTORED, T.RESTORE)
    err = refused(list(sc.history), sc.event(T.RESTORE), str(sc.day))
    assert err.code == "not_shielded"
    assert "is not shielded (restored since 2020-01-06)" in err.message


def test_revoking_a_revoked_record_is_refused() -> None:
    """Revoked is final; a second revoke says so."""
    hist = [INC, ev(T.REVOKE, "2020-01-05", "撤销")]
    err = refused(hist, ev(T.REVOKE, "2020-01-06"), "2020-01-06")
    assert err.code == "already_revoked"
    assert err.message == (
        "revoke on 2020-01-06: the record was already revoked on 2020-01-05 (revoke: 撤销)"
    )


def test_include_after_include_is_refused() -> None:
    """A second include is refused."""
    err = refused([INC], ev(T.INCLUDE, "2020-01-06"), "2020-01-06")
    assert err.code == "already_included"
    assert "already included on 2020-01-04" in err.message


def test_include_after_the_implicit_inclusion_is_refused() -> None:
    """A record is included by its publication; a later include contradicts it."""
    err = refused([], ev(T.INCLUDE, "2020-01-06"), "2020-01-06")
    assert err.code == "already_included"
    assert "already included by its publication on 2020-01-04" in err.message


def test_events_in_the_future_are_refused() -> None:
    """An event dated after today is refused; one dated today is fine."""
    err = refused([INC], ev(T.SHIELD, "2020-01-07"), "2020-01-06")
    assert err.code == "future_event"
    assert err.message == "shield dated 2020-01-07 is in the future (today is 2020-01-06)"
    check_transition(P, None, [INC], ev(T.SHIELD, "2020-01-06"), d("2020-01-06"))


def test_events_before_the_previous_event_are_refused() -> None:
    """The history is append-only: no event dated before the latest one."""
    hist = [INC, ev(T.PERFORMED, "2020-01-08")]
    err = refused(hist, ev(T.SHIELD, "2020-01-07"), "2020-01-09")
    assert err.code == "out_of_order"
    assert err.message == (
        "shield dated 2020-01-07 is before the record's previous event (performed on "
        "2020-01-08); events must arrive in date order"
    )


def test_same_day_events_follow_received_seq() -> None:
    """Within a day the arrival number orders events; equal numbers keep list order."""
    hist = [INC, ev(T.PERFORMED, "2020-01-08", seq=5)]
    err = refused(hist, ev(T.SHIELD, "2020-01-08", seq=4), "2020-01-09")
    assert err.code == "out_of_order"
    assert "received_seq 4" in err.message
    check_transition(P, None, hist, ev(T.SHIELD, "2020-01-08", seq=5), d("2020-01-09"))


def test_late_arriving_event_dated_after_the_previous_one_is_accepted() -> None:
    """An event received days after its effective date is fine if it is not out of order."""
    hist = [INC]
    new = apply(P, FAR, hist, ev(T.SHIELD, "2020-03-01", "全部履行完毕"), d("2020-03-20"))
    assert status(P, FAR, new, d("2020-03-20")).since == d("2020-03-01")


def test_a_redelivered_event_is_refused_as_duplicate() -> None:
    """The same event twice is spotted, even where the move itself would be legal."""
    hist = [INC, ev(T.PERFORMED, "2020-01-06", "全部履行完毕", seq=1)]
    err = refused(hist, ev(T.PERFORMED, "2020-01-06", "全部履行完毕", seq=2), "2020-01-07")
    assert err.code == "duplicate"


def test_any_event_on_an_expired_record_is_refused() -> None:
    """Expired is final: even a restore or extend is refused."""
    err = refused([INC], ev(T.EXTEND, "2020-01-07", expires_on="2021-01-01"), "2020-01-07",
                  expires="2020-01-05")
    assert err.code == "terminal"
    assert "expired on 2020-01-06" in err.message


def test_extend_must_move_the_end_later_and_needs_a_dated_listing() -> None:
    """Extend refuses no date, an open-ended listing, and an earlier or equal end."""
    no_date = refused([INC], ev(T.EXTEND, "2020-01-06"), "2020-01-06", expires="2021-01-01")
    assert no_date.code == "missing_expiry"
    open_ended = refused([INC], ev(T.EXTEND, "2020-01-06", expires_on="2022-01-01"), "2020-01-06")
    assert open_ended.code == "indefinite"
    shorter = refused([INC], ev(T.EXTEND, "2020-01-06", expires_on="2021-01-01"), "2020-01-06",
                      expires="2021-01-01")
    assert shorter.code == "not_extending"
    assert "the listing already runs to 2021-01-01" in shorter.message


def test_correction_of_a_restored_record_is_refused() -> None:
    """Restoring is not a new inclusion: it opens no correction window."""
    sc = scenario(State.RESTORED, T.CORRECTION_REQUESTED)
    err = refused(list(sc.history), sc.event(T.CORRECTION_REQUESTED), str(sc.day))
    assert err.code == "not_included"


# --- implicit inclusion and pending -------------------------------------------------


def test_record_without_events_is_active_from_published_on() -> None:
    """No events: active since published_on, pending the day before."""
    s = status(P, None, [], P)
    assert (s.state, s.active, s.since, s.last_event) == (State.ACTIVE, True, P, None)
    assert s.reason == "published on 2020-01-04"
    before = status(P, None, [], d("2020-01-03"))
    assert (before.state, before.active, before.since) == (State.PENDING, False, d("2020-01-03"))


def test_risk_notice_keeps_the_record_pending_until_publication() -> None:
    """A risk notice is before inclusion; publication then includes the record."""
    hist = [ev(T.RISK_NOTICE, "2019-12-20")]
    s = status(P, None, hist, d("2020-01-03"))
    assert (s.state, s.since, s.last_event) == (State.PENDING, d("2019-12-20"), T.RISK_NOTICE)
    assert status(P, None, hist, P).state is State.ACTIVE


def test_risk_notice_after_publication_is_refused() -> None:
    """Once published (included) a risk notice comes too late."""
    err = refused([], ev(T.RISK_NOTICE, "2020-01-05"), "2020-01-05")
    assert err.code == "illegal_transition"


def test_explicit_include_on_or_before_publication_day_is_accepted() -> None:
    """The court's own include on published_on (or earlier) replaces the implicit one."""
    notice = ev(T.RISK_NOTICE, "2019-12-20")
    same_day = apply(P, None, [notice], ev(T.INCLUDE, "2020-01-04", "决定纳入"), P)
    s = status(P, None, same_day, P)
    assert (s.state, s.since, s.reason) == (State.ACTIVE, P, "include: 决定纳入")
    earlier = apply(P, None, [notice], ev(T.INCLUDE, "2020-01-02"), d("2020-01-02"))
    assert status(P, None, earlier, d("2020-01-02")).state is State.ACTIVE


def test_future_published_record_is_pending_until_its_day() -> None:
    """A published_on after today means pending; an early include activates it."""
    future = d("2020-03-01")
    assert status(future, None, [], d("2020-02-01")).state is State.PENDING
    new = apply(future, None, [], ev(T.INCLUDE, "2020-02-01"), d("2020-02-01"))
    assert status(future, None, new, d("2020-02-01")).state is State.ACTIVE


def test_revoke_before_publication_prevents_the_implicit_inclusion() -> None:
    """A record withdrawn while pending never becomes active."""
    future = d("2020-03-01")
    new = apply(future, None, [ev(T.RISK_NOTICE, "2020-01-10")], ev(T.REVOKE, "2020-02-01"),
                d("2020-02-01"))
    assert status(future, None, new, d("2020-04-01")).state is State.REVOKED


# --- expiry -------------------------------------------------------------------------


def test_active_on_expires_on_and_expired_the_day_after() -> None:
    """Expiry needs no event: active on 2021-06-01, expired on 2021-06-02."""
    pub, end = d("2019-06-01"), d("2021-06-01")
    assert status(pub, end, [], end).state is State.ACTIVE
    s = status(pub, end, [], d("2021-06-02"))
    assert (s.state, s.active, s.expires_on) == (State.EXPIRED, False, end)
    assert s.since == d("2021-06-02")
    assert s.reason == "expired on 2021-06-02"


def test_extension_moves_expiry_and_the_latest_extend_wins() -> None:
    """Each extend pushes the end later; the status reports the effective expires_on."""
    pub, end = d("2019-06-01"), d("2021-06-01")
    hist = apply(pub, end, [], ev(T.EXTEND, "2021-05-01", expires_on="2022-06-01"), d("2021-05-01"))
    hist = apply(pub, end, hist, ev(T.EXTEND, "2022-05-01", expires_on="2023-06-01"),
                 d("2022-05-01"))
    assert status(pub, end, hist, d("2021-06-02")).state is State.ACTIVE
    assert status(pub, end, hist, d("2022-06-02")).state is State.ACTIVE
    s = status(pub, end, hist, d("2023-06-02"))
    assert (s.state, s.expires_on, s.since) == (State.EXPIRED, d("2023-06-01"), d("2023-06-02"))
    assert status(pub, end, hist, d("2021-05-15")).expires_on == d("2022-06-01")


def test_extend_on_the_last_day_is_in_time_and_the_day_after_is_not() -> None:
    """On expires_on the record is still live and may be extended; the next day it is over."""
    pub, end = d("2019-06-01"), d("2021-06-01")
    check_transition(pub, end, [], ev(T.EXTEND, "2021-06-01", expires_on="2022-06-01"), end)
    err = refused([], ev(T.EXTEND, "2021-06-02", expires_on="2022-06-01"), "2021-06-02",
                  "2019-06-01", "2021-06-01")
    assert err.code == "terminal"


def test_shield_dated_before_expiry_may_arrive_after_it() -> None:
    """Legality is judged on the event's date, so a late push of an in-time shield is fine."""
    pub, end = d("2019-06-01"), d("2021-06-01")
    hist = apply(pub, end, [], ev(T.SHIELD, "2021-05-30", "全部履行完毕"), d("2021-06-10"))
    assert status(pub, end, hist, d("2021-05-31")).state is State.SHIELDED
    assert status(pub, end, hist, d("2021-06-10")).state is State.EXPIRED


def test_pending_request_is_moot_after_expiry() -> None:
    """A correction still undecided at expiry leaves no pending decision."""
    hist = [INC, ev(T.CORRECTION_REQUESTED, "2020-01-05")]
    s = status(P, d("2020-01-06"), hist, d("2020-01-07"))
    assert s.state is State.EXPIRED


# --- whole journeys -----------------------------------------------------------------


def walk(
    published: date, expires: date | None, steps: Sequence[tuple[Event, State]]
) -> tuple[Event, ...]:
    """Apply (event, expected state) steps one by one, checking status after each."""
    hist: tuple[Event, ...] = ()
    for event, expected in steps:
        hist = apply(published, expires, hist, event, event.effective_on)
        s = status(published, expires, hist, event.effective_on)
        assert (s.state, s.last_event) == (expected, event.type), event
    assert violations(published, expires, hist, hist[-1].effective_on) == []
    return hist


def test_journey_correction_rejected_then_review_granted() -> None:
    """risk notice → include → correction rejected → review granted → revoked."""
    walk(d("2020-01-10"), FAR, [
        (ev(T.RISK_NOTICE, "2020-01-02"), State.PENDING),
        (ev(T.INCLUDE, "2020-01-04"), State.ACTIVE),
        (ev(T.CORRECTION_REQUESTED, "2020-01-10"), State.CORRECTION_PENDING),
        (ev(T.CORRECTION_REJECTED, "2020-01-12"), State.ACTIVE),
        (ev(T.REVIEW_REQUESTED, "2020-01-20"), State.CORRECTION_PENDING),
        (ev(T.REVIEW_GRANTED, "2020-01-22"), State.REVOKED),
    ])


def test_journey_correction_granted() -> None:
    """include → correction granted → revoked."""
    walk(P, None, [
        (ev(T.INCLUDE, "2020-01-04"), State.ACTIVE),
        (ev(T.CORRECTION_REQUESTED, "2020-01-05"), State.CORRECTION_PENDING),
        (ev(T.CORRECTION_GRANTED, "2020-01-07"), State.REVOKED),
    ])


def test_journey_review_rejected_stays_listed() -> None:
    """Both instances reject: the record stays active."""
    walk(P, None, [
        (ev(T.CORRECTION_REQUESTED, "2020-01-05"), State.CORRECTION_PENDING),
        (ev(T.CORRECTION_REJECTED, "2020-01-06"), State.ACTIVE),
        (ev(T.REVIEW_REQUESTED, "2020-01-08"), State.CORRECTION_PENDING),
        (ev(T.REVIEW_REJECTED, "2020-01-09"), State.ACTIVE),
    ])


def test_journey_performed_shield_restore_shield_revoke() -> None:
    """performed → shield → restore → performed → shield → revoke."""
    walk(P, FAR, [
        (ev(T.PERFORMED, "2020-02-01", "和解履行完毕"), State.ACTIVE),
        (ev(T.SHIELD, "2020-02-03", "和解履行完毕"), State.SHIELDED),
        (ev(T.RESTORE, "2020-03-01", "未履行和解协议"), State.RESTORED),
        (ev(T.EXTEND, "2020-03-02", expires_on="2023-01-01"), State.RESTORED),
        (ev(T.PERFORMED, "2020-04-01", "全部履行完毕"), State.RESTORED),
        (ev(T.SHIELD, "2020-04-02", "全部履行完毕"), State.SHIELDED),
        (ev(T.REVOKE, "2020-05-01"), State.REVOKED),
    ])


def test_journey_shield_during_a_pending_correction() -> None:
    """A shield ends a pending correction (moot) and the record is no longer live."""
    hist = walk(P, None, [
        (ev(T.CORRECTION_REQUESTED, "2020-01-05"), State.CORRECTION_PENDING),
        (ev(T.PERFORMED, "2020-01-06"), State.CORRECTION_PENDING),
        (ev(T.SHIELD, "2020-01-07", "全部履行完毕"), State.SHIELDED),
    ])
    err = refused(list(hist), ev(T.CORRECTION_GRANTED, "2020-01-08"), "2020-01-08")
    assert err.code == "no_pending_request"


def test_status_ignores_events_dated_after_today() -> None:
    """Status on a past day does not see later events."""
    hist = [INC, ev(T.SHIELD, "2020-02-01")]
    assert status(P, None, hist, d("2020-01-31")).state is State.ACTIVE
    assert status(P, None, hist, d("2020-02-01")).state is State.SHIELDED


def test_status_skips_illegal_events_and_violations_lists_them() -> None:
    """A stored illegal event is skipped by status and reported by violations."""
    bad = ev(T.RESTORE, "2020-01-06")
    hist = [INC, bad, ev(T.SHIELD, "2020-01-07")]
    assert status(P, None, hist, d("2020-01-08")).state is State.SHIELDED
    found = violations(P, None, hist, d("2020-01-08"))
    assert [(e, err.code) for e, err in found] == [(bad, "not_shielded")]


def test_apply_returns_the_history_in_canonical_order() -> None:
    """apply keeps the canonical order, whatever order the caller stored."""
    a = ev(T.PERFORMED, "2020-01-05", seq=1)
    b = ev(T.EXTEND, "2020-01-05", expires_on="2023-01-01", seq=0)
    new = apply(P, FAR, [a, b], ev(T.SHIELD, "2020-01-06"), d("2020-01-06"))
    assert [e.type for e in new] == [T.EXTEND, T.PERFORMED, T.SHIELD]
