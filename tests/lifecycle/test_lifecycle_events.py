"""Parsing lifecycle events: the spec's events, precise errors, key fields left alone."""

from __future__ import annotations

import datetime as dt

import pytest

from shixin.errors import InvalidArgument
from shixin.lifecycle import Event, EventError, EventType, canonical, parse_event
from tests.lifecycle.lifecycle_support import d

SPEC_EVENTS = {
    "risk_notice", "include", "correction_requested", "correction_granted",
    "correction_rejected", "review_requested", "review_granted", "review_rejected",
    "shield", "revoke", "extend", "restore",
}
KEY = {"case_number": "(2019)桂0202执1234号", "id_number": "450202198001011232"}


def error(obj: dict[str, object]) -> EventError:
    """The EventError parse_event raises for obj."""
    with pytest.raises(EventError) as info:
        parse_event(obj)
    return info.value


def test_event_types_are_the_spec_plus_performed() -> None:
    """Every spec event exists, plus exactly one extension: performed."""
    assert {t.value for t in EventType} == SPEC_EVENTS | {"performed"}


def test_spec_example_parses_and_key_fields_are_not_read() -> None:
    """The spec's shield line parses; case_number / id_number do not reach the Event."""
    line = {"event": "shield", **KEY, "effective_on": "2020-01-05", "reason": "全部履行完毕"}
    assert parse_event(line) == Event(EventType.SHIELD, d("2020-01-05"), "全部履行完毕")
    assert line["case_number"] == "(2019)桂0202执1234号"  # untouched


@pytest.mark.parametrize("kind", [*sorted(SPEC_EVENTS - {"extend"}), "performed"])
def test_every_event_type_parses(kind: str) -> None:
    """Each event type parses from its wire name."""
    assert parse_event({"event": kind, "effective_on": "2020-01-05"}).type == EventType(kind)


def test_extend_carries_its_new_end() -> None:
    """extend's expires_on becomes Event.expires_on."""
    e = parse_event({"event": "extend", "effective_on": "2021-05-01", "expires_on": "2022-06-01"})
    assert e.expires_on == d("2022-06-01")


def test_bookkeeping_fields_parse() -> None:
    """received_seq and received_on are read when present."""
    e = parse_event({"event": "include", "effective_on": "2020-01-04", "received_seq": 7,
                     "received_on": "2020-01-06", "name": "张三"})
    assert (e.received_seq, e.received_on) == (7, d("2020-01-06"))


def test_date_objects_are_accepted_but_datetimes_are_not() -> None:
    """A caller that already parsed dates may pass date objects; datetimes are ambiguous."""
    assert parse_event({"event": "include", "effective_on": d("2020-01-04")}).effective_on == d(
        "2020-01-04"
    )
    err = error({"event": "include", "effective_on": dt.datetime(2020, 1, 4, 8, 0)})
    assert err.field == "effective_on"


def test_unknown_event_type_lists_the_allowed_ones() -> None:
    """An unknown type names itself and every allowed type."""
    err = error({"event": "delete", "effective_on": "2020-01-05"})
    assert err.field == "event"
    assert str(err).startswith("unknown event type 'delete'; expected one of: risk_notice, include")
    assert str(err).endswith("restore, performed")


def test_missing_event_type() -> None:
    """No event field is an error on field 'event'."""
    err = error({"effective_on": "2020-01-05"})
    assert (err.field, err.message.split(";")[0]) == ("event", "event is required")


@pytest.mark.parametrize("raw", ["2020-13-01", "20200105", "2020-1-5", "２０２０-01-05", "soon"])
def test_bad_dates_are_named_precisely(raw: str) -> None:
    """A bad date names the field and quotes the value."""
    err = error({"event": "shield", "effective_on": raw})
    assert err.field == "effective_on"
    assert str(err) == f"effective_on {raw!r} is not an ISO date"


def test_the_briefs_bad_date_message() -> None:
    """The canonical example reads exactly as specified."""
    err = error({"event": "shield", "effective_on": "2020-13-01"})
    assert str(err) == "effective_on '2020-13-01' is not an ISO date"


def test_missing_or_non_string_effective_on() -> None:
    """effective_on is required and must be a string."""
    assert str(error({"event": "shield"})) == "effective_on is required"
    assert "must be an ISO date string, not int" in str(
        error({"event": "shield", "effective_on": 20200105})
    )


def test_extend_without_expires_on() -> None:
    """extend needs its new end."""
    err = error({"event": "extend", "effective_on": "2021-05-01"})
    assert err.field == "expires_on"
    assert "extend event needs expires_on" in str(err)


def test_extend_ending_before_it_takes_effect() -> None:
    """An extend's new end cannot precede its own date."""
    err = error({"event": "extend", "effective_on": "2021-05-01", "expires_on": "2021-04-01"})
    assert str(err) == "expires_on 2021-04-01 is before effective_on 2021-05-01"


def test_expires_on_on_another_event_is_refused() -> None:
    """Only extend carries expires_on (an empty CSV cell is fine)."""
    err = error({"event": "shield", "effective_on": "2020-01-05", "expires_on": "2021-01-01"})
    assert err.field == "expires_on"
    assert str(err) == "only an extend event carries expires_on, not shield"
    assert parse_event({"event": "shield", "effective_on": "2020-01-05", "expires_on": ""})


@pytest.mark.parametrize(("field", "value"), [("reason", 5), ("received_seq", -1),
                                               ("received_seq", True), ("received_on", "x")])
def test_bad_optional_fields(field: str, value: object) -> None:
    """Optional fields are checked too, each error naming its field."""
    assert error({"event": "shield", "effective_on": "2020-01-05", field: value}).field == field


def test_event_error_is_an_invalid_argument() -> None:
    """EventError plugs into the shared hierarchy (gRPC INVALID_ARGUMENT)."""
    err = error({"event": "nope", "effective_on": "2020-01-05"})
    assert isinstance(err, InvalidArgument)
    assert err.reason == "BAD_EVENT"


def test_canonical_order_is_date_then_arrival() -> None:
    """canonical sorts by effective_on, then received_seq, stably."""
    a = Event(EventType.SHIELD, d("2020-01-05"), received_seq=2)
    b = Event(EventType.PERFORMED, d("2020-01-05"), received_seq=1)
    c = Event(EventType.INCLUDE, d("2020-01-04"), received_seq=9)
    assert canonical([a, b, c]) == (c, b, a)
