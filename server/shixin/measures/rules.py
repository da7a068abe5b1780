"""Whether a measure reaches a subject, and what the applying unit then does.

``role`` and ``debtor_kind`` are read as in a match hit: ``role`` is how the subject is
tied to the listed debtor (``DEBTOR``: it is the debtor; otherwise it holds that role in
the listed organisation) and ``debtor_kind`` is the kind of the *listed debtor*.

Clauses reach through roles in two directions (``Measure.role_link``):

* ``officer_of_debtor`` (高消费, 不动产): the legal representative … of a listed
  organisation is restricted himself, so such a hit applies;
* ``debtor_is_officer`` (授信, 日常监管, 政策支持 …): an organisation is reached because
  one of *its* officers is a listed debtor. Being an officer of some other listed
  organisation is not that, so a hit with such a role does not apply; the caller checks
  the officer as a subject and asks ``applies_through_officer``.
"""

from __future__ import annotations

from shixin.measures.model import Measure
from shixin.measures.vocab import Action, DebtorKind, Role, RoleLink

# Who can hold each role: only an actual controller may itself be an organisation.
_HOLDER_KINDS = {role: (DebtorKind.PERSON,) for role in Role} | {
    Role.ACTUAL_CONTROLLER: (DebtorKind.PERSON, DebtorKind.ORGANIZATION),
}


def _kind(debtor_kind: str) -> DebtorKind:
    try:
        return DebtorKind(debtor_kind)
    except ValueError:
        expected = ", ".join(DebtorKind)
        raise ValueError(
            f"unknown debtor kind {debtor_kind!r}; expected one of: {expected}"
        ) from None


def _role_actions(measure: Measure, role: Role) -> tuple[Action, ...]:
    if role is Role.DEBTOR:
        return measure.actions
    return measure.officer_actions or measure.actions


def applies(measure: Measure, role: Role | str, debtor_kind: str) -> bool:
    """Whether ``measure`` reaches a subject tied to a listed debtor of ``debtor_kind`` as ``role``.

    >>> from shixin.measures.catalogue import load_catalogue
    >>> hotel = load_catalogue().measure("consumption.hotel")
    >>> applies(hotel, Role.LEGAL_REPRESENTATIVE, "organization")
    True
    >>> applies(hotel, Role.DIRECTOR, "organization")
    False
    """
    kind, the_role = _kind(debtor_kind), Role(role)
    if the_role not in measure.applies_to or kind not in measure.debtor_kinds:
        return False
    if the_role is Role.DEBTOR:
        return True
    return measure.role_link is RoleLink.OFFICER_OF_DEBTOR and kind is DebtorKind.ORGANIZATION


def applicable_action(measure: Measure, role: Role | str,
                      debtor_kind: str) -> tuple[Action, ...] | None:
    """What the unit does for such a hit, or None when the measure does not reach it."""
    if not applies(measure, role, debtor_kind):
        return None
    return _role_actions(measure, Role(role))


def applies_through_officer(measure: Measure, officer_role: Role | str,
                            officer_kind: str) -> bool:
    """Whether ``measure`` reaches an organisation whose ``officer_role`` is a listed debtor.

    ``officer_kind`` is the kind of that listed officer (only an actual controller may be
    an organisation).

    >>> from shixin.measures.catalogue import load_catalogue
    >>> credit = load_catalogue().measure("credit.grant")
    >>> applies_through_officer(credit, Role.DIRECTOR, "person")
    True
    >>> applies_through_officer(load_catalogue().measure("consumption.hotel"),
    ...                         Role.LEGAL_REPRESENTATIVE, "person")
    False
    """
    kind, role = _kind(officer_kind), Role(officer_role)
    if role is Role.DEBTOR:
        raise ValueError("officer_role must be an officer role, not debtor; use applies()")
    return (
        measure.role_link is RoleLink.DEBTOR_IS_OFFICER
        and role in measure.applies_to
        and kind in measure.debtor_kinds
        and kind in _HOLDER_KINDS[role]
    )


def action_through_officer(
    measure: Measure, officer_role: Role | str, officer_kind: str
) -> tuple[Action, ...] | None:
    """What the unit does about such an organisation, or None when not reached."""
    if not applies_through_officer(measure, officer_role, officer_kind):
        return None
    return _role_actions(measure, Role(officer_role))
