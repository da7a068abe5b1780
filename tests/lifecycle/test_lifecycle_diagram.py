"""The diagram is the table: every edge drawn, labels Mermaid can parse, guards labelled."""

from __future__ import annotations

import re

from shixin.lifecycle import EXPIRY, TRANSITIONS, EventType, State, is_active, mermaid
from shixin.lifecycle.diagram import GUARDS
from shixin.lifecycle.guards import GUARDED_EVENTS

EDGE = re.compile(r"^    (\S+) --> (\S+)(?: : (.*))?$")


def edges() -> list[tuple[str, str, str]]:
    """(source, target, label) of every transition line."""
    found = []
    for line in mermaid().splitlines():
        m = EDGE.match(line)
        if m:
            found.append((m[1], m[2], m[3] or ""))
    return found


def test_header_and_initial_state() -> None:
    """A stateDiagram-v2 that starts in pending."""
    lines = mermaid().splitlines()
    assert lines[:2] == ["stateDiagram-v2", "    [*] --> pending"]


def test_every_transition_is_one_edge() -> None:
    """Each table entry is drawn exactly once, with its event as the label."""
    drawn = [(s, t, label.split(" [")[0]) for s, t, label in edges() if label]
    table = [(s.value, t.value, e.value) for (s, e), t in TRANSITIONS.items()]
    expiry = [(s.value, t.value, "day after expires_on") for s, t in EXPIRY.items()]
    assert sorted(drawn) == sorted(table + expiry)


def test_terminal_states_end_the_diagram() -> None:
    """Revoked and expired lead to [*]."""
    ends = {s for s, t, _ in edges() if t == "[*]"}
    assert ends == {"revoked", "expired"}


def test_labels_have_no_characters_mermaid_reserves() -> None:
    """Mermaid ends a transition label at ':' or ';'."""
    for _, _, label in edges():
        assert ":" not in label
        assert ";" not in label


def test_every_guard_in_the_machine_has_a_label_and_vice_versa() -> None:
    """The guard labels cover exactly the events the machine guards."""
    assert set(GUARDS) == GUARDED_EVENTS


def test_every_state_and_event_appears() -> None:
    """No state or event is left out of the table."""
    states = {s for s, _ in TRANSITIONS} | set(TRANSITIONS.values()) | set(EXPIRY.values())
    assert states == set(State)
    assert {e for _, e in TRANSITIONS} == set(EventType)


def test_live_states_are_marked() -> None:
    """The active states carry the 'live' class."""
    live = ",".join(s.value for s in State if is_active(s))
    assert f"    class {live} live" in mermaid().splitlines()
