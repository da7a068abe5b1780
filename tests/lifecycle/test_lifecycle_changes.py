"""The change feed: activations and deactivations with their reasons."""

from __future__ import annotations

from datetime import timedelta

from shixin.lifecycle import Change, apply, changes_between, expiry_change, status
from tests.lifecycle.lifecycle_support import T, d, ev

PUB, END = d("2019-06-01"), d("2021-06-01")


def test_shield_deactivates_with_its_reason() -> None:
    """Shielding a live record yields a deactivation 'shield: <reason>'."""
    before = status(PUB, END, [], d("2020-01-05"))
    hist = apply(PUB, END, [], ev(T.SHIELD, "2020-01-05", "全部履行完毕"), d("2020-01-05"))
    after = status(PUB, END, hist, d("2020-01-05"))
    assert changes_between(before, after) == Change("deactivated", d("2020-01-05"),
                                                    "shield: 全部履行完毕")


def test_restore_activates_as_restored() -> None:
    """Restoring yields an activation 'restored'."""
    hist = apply(PUB, END, [], ev(T.SHIELD, "2020-01-05"), d("2020-01-05"))
    before = status(PUB, END, hist, d("2020-02-01"))
    hist = apply(PUB, END, hist, ev(T.RESTORE, "2020-02-01"), d("2020-02-01"))
    after = status(PUB, END, hist, d("2020-02-01"))
    assert changes_between(before, after) == Change("activated", d("2020-02-01"), "restored")


def test_expiry_is_a_deactivation_the_day_after() -> None:
    """Yesterday active, today expired: 'expired on 2021-06-02'."""
    yesterday, today = status(PUB, END, [], END), status(PUB, END, [], END + timedelta(days=1))
    expected = Change("deactivated", d("2021-06-02"), "expired on 2021-06-02")
    assert expiry_change(yesterday, today) == expected
    assert changes_between(yesterday, today) == expected


def test_no_expiry_change_on_other_days_or_for_inactive_records() -> None:
    """Expiry of an already shielded record, or a plain day, is not a change."""
    assert expiry_change(status(PUB, END, [], d("2020-01-01")),
                         status(PUB, END, [], d("2020-01-02"))) is None
    hist = [ev(T.SHIELD, "2020-01-05")]
    y, t = status(PUB, END, hist, END), status(PUB, END, hist, END + timedelta(days=1))
    assert t.state == "expired"
    assert expiry_change(y, t) is None
    assert changes_between(y, t) is None


def test_expiry_change_ignores_other_deactivations() -> None:
    """A shield between the two days is changes_between's business, not expiry's."""
    hist = [ev(T.SHIELD, "2020-01-05")]
    y, t = status(PUB, END, hist, d("2020-01-04")), status(PUB, END, hist, d("2020-01-05"))
    assert expiry_change(y, t) is None
    assert changes_between(y, t) is not None


def test_publication_day_activates_a_future_record() -> None:
    """A record published in the future is activated on its day, 'published on …'."""
    y, t = status(PUB, END, [], d("2019-05-31")), status(PUB, END, [], PUB)
    assert changes_between(y, t) == Change("activated", PUB, "published on 2019-06-01")


def test_correction_request_is_not_a_change() -> None:
    """A pending correction keeps the record live: nothing to tell the units."""
    hist = apply(PUB, END, [], ev(T.INCLUDE, "2019-06-01"), PUB)
    before = status(PUB, END, hist, d("2019-06-05"))
    hist = apply(PUB, END, hist, ev(T.CORRECTION_REQUESTED, "2019-06-05"), d("2019-06-05"))
    assert changes_between(before, status(PUB, END, hist, d("2019-06-05"))) is None


def test_revocation_by_granted_correction_names_the_decision() -> None:
    """A granted correction deactivates with 'correction_granted: <reason>'."""
    hist = apply(PUB, END, [], ev(T.CORRECTION_REQUESTED, "2019-06-05"), d("2019-06-05"))
    before = status(PUB, END, hist, d("2019-06-06"))
    hist = apply(PUB, END, hist, ev(T.CORRECTION_GRANTED, "2019-06-06", "纳入错误"),
                 d("2019-06-06"))
    change = changes_between(before, status(PUB, END, hist, d("2019-06-06")))
    assert change == Change("deactivated", d("2019-06-06"), "correction_granted: 纳入错误")
