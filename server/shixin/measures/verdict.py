"""What the asking unit's measure means for one match hit, in words a unit acts on.

A hit ties the subject to a listed debtor through a role (``DEBTOR``: it is the debtor;
otherwise it holds that role in the listed organisation). ``judge`` decides, from the
catalogue's rules (``rules.applies``), whether the measure reaches the subject that way
and says why in one sentence, with a stable ``Reach`` for machines.

Measures whose clause reaches an organisation *through* its listed officers
(``debtor_is_officer``: 授信, 日常监管, 政策支持 …) cannot be decided from the
organisation alone: the list records which officers a listed organisation has, never
which organisations a listed person serves. The unit therefore checks each officer of
its applicant; a ``DEBTOR`` hit on one carries an ``OfficerEffect`` saying what the
measure then does to the organisation that person serves (see docs/measures.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shixin.measures.model import Measure
from shixin.measures.rules import action_through_officer, applicable_action, applies_through_officer
from shixin.measures.vocab import Action, DebtorKind, Role, RoleLink

ROLE_LABELS = {
    Role.DEBTOR: "listed debtor (失信被执行人)",
    Role.LEGAL_REPRESENTATIVE: "legal representative (法定代表人)",
    Role.PRINCIPAL: "principal person in charge (主要负责人)",
    Role.ACTUAL_CONTROLLER: "actual controller (实际控制人)",
    Role.DIRECTOR: "director (董事)",
    Role.SUPERVISOR: "supervisor (监事)",
    Role.SENIOR_MANAGER: "senior manager (高级管理人员)",
    Role.DIRECTLY_RESPONSIBLE: "person directly responsible (影响债务履行的直接责任人员)",
}
_KIND_LABELS = {DebtorKind.PERSON: "persons", DebtorKind.ORGANIZATION: "organisations"}


class Reach(StrEnum):
    """Why a measure does or does not reach a hit (stable; the API carries it)."""

    DEBTOR = "debtor"  # the subject is the listed debtor: applies
    OFFICER_OF_DEBTOR = "officer_of_debtor"  # a role of a listed organisation the clause names
    ROLE_NOT_NAMED = "role_not_named"  # the clause does not reach this role
    DEBTOR_KIND_EXCLUDED = "debtor_kind_excluded"  # the clause does not reach this kind of debtor
    OFFICER_NOT_LISTED = "officer_not_listed"  # debtor_is_officer: an officer, not listed itself
    RECORD_INACTIVE = "record_inactive"  # shielded, revoked, expired …: nothing applies


APPLYING = frozenset({Reach.DEBTOR, Reach.OFFICER_OF_DEBTOR})


@dataclass(frozen=True, slots=True)
class OfficerEffect:
    """What a ``debtor_is_officer`` measure does to an organisation this debtor serves."""

    roles: tuple[Role, ...]
    actions: tuple[Action, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one measure applies to one hit."""

    measure: Measure
    role: Role
    reach: Reach
    actions: tuple[Action, ...]
    explanation: str
    officer_effect: OfficerEffect | None = None

    @property
    def applies(self) -> bool:
        """Whether the unit must act on this hit under the measure."""
        return self.reach in APPLYING


def _named(measure: Measure) -> str:
    return f"{measure.code} {measure.title_zh} ({measure.clause})"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _acts(actions: tuple[Action, ...]) -> str:
    return ", ".join(actions)


def _reached_roles(measure: Measure) -> str:
    return _join([ROLE_LABELS[r] for r in measure.officer_roles])


def _officer_effect(measure: Measure, kind: DebtorKind) -> OfficerEffect | None:
    if measure.role_link is not RoleLink.DEBTOR_IS_OFFICER:
        return None
    roles = tuple(r for r in measure.officer_roles if applies_through_officer(measure, r, kind))
    if not roles:
        return None
    actions = action_through_officer(measure, roles[0], kind) or ()
    text = (f"an organisation whose {_join([ROLE_LABELS[r] for r in roles])} is this listed "
            f"debtor is reached by {measure.code} too: {_acts(actions)}; when checking an "
            "applicant, apply this to the applicant this person serves in such a role")
    return OfficerEffect(roles, actions, text)


def _not_reached(measure: Measure, role: Role, kind: DebtorKind) -> tuple[Reach, str]:
    """Reach and sentence for a live hit the measure does not reach."""
    if kind not in measure.debtor_kinds:
        only = _join([_KIND_LABELS[k] for k in measure.debtor_kinds])
        return (Reach.DEBTOR_KIND_EXCLUDED,
                f"{_named(measure)} reaches only listed {only}; the listed debtor here is "
                f"one of the {_KIND_LABELS[kind]}: not applicable")
    if measure.role_link is RoleLink.DEBTOR_IS_OFFICER:
        return (Reach.OFFICER_NOT_LISTED,
                f"{_named(measure)} reaches an organisation through its "
                f"{_reached_roles(measure)} only when that officer is itself a listed debtor; "
                f"this subject is the {ROLE_LABELS[role]} of a listed organisation and is not "
                "listed itself: not applicable (check the applicant and each of its officers "
                "by their own ID numbers)")
    if not measure.officer_roles:
        return (Reach.ROLE_NOT_NAMED,
                f"{_named(measure)} reaches only the listed debtor itself, not the "
                f"{ROLE_LABELS[role]} of a listed organisation: not applicable")
    if role in measure.applies_to:  # named, but the listed debtor is a person
        return (Reach.DEBTOR_KIND_EXCLUDED,
                f"{_named(measure)} reaches the {ROLE_LABELS[role]} of a listed organisation; "
                "the listed debtor here is a person: not applicable")
    return (Reach.ROLE_NOT_NAMED,
            f"{_named(measure)} reaches the listed debtor and, of a listed organisation, its "
            f"{_reached_roles(measure)}; not its {ROLE_LABELS[role]}: not applicable")


def judge(measure: Measure, role: str, debtor_kind: str, *, live: bool = True,
          state: str = "active", confirmed: bool = True) -> Verdict:
    """How ``measure`` applies to a hit through ``role`` on a listed debtor of ``debtor_kind``.

    ``live`` is whether the record is a live hit today (``state`` names its state when
    not); ``confirmed`` is False for a candidate hit, whose identity a person must confirm.

    >>> from shixin.measures.catalogue import load_catalogue
    >>> hotel = load_catalogue().measure("consumption.hotel")
    >>> judge(hotel, "legal_representative", "organization").actions
    (<Action.PROHIBIT: 'prohibit'>,)
    >>> judge(hotel, "director", "organization").reach
    <Reach.ROLE_NOT_NAMED: 'role_not_named'>
    >>> credit = load_catalogue().measure("credit.grant")
    >>> judge(credit, "debtor", "person").officer_effect.actions
    (<Action.PRUDENTIAL_REFERENCE: 'prudential_reference'>,)
    """
    the_role, kind = Role(role), DebtorKind(debtor_kind)
    if not live:
        return Verdict(measure, the_role, Reach.RECORD_INACTIVE, (),
                       f"the record is {state} today: {_named(measure)} does not apply on its "
                       "basis, and a unit that applied it lifts it")
    actions = applicable_action(measure, the_role, kind)
    if actions is None:
        reach, text = _not_reached(measure, the_role, kind)
        return Verdict(measure, the_role, reach, (), text)
    effect = None
    if the_role is Role.DEBTOR:
        reach = Reach.DEBTOR
        text = f"{_named(measure)} reaches the listed debtor itself: {_acts(actions)}"
        effect = _officer_effect(measure, kind)
    else:
        reach = Reach.OFFICER_OF_DEBTOR
        text = (f"{_named(measure)} reaches the {ROLE_LABELS[the_role]} of a listed "
                f"organisation: {_acts(actions)}")
    if not confirmed:
        text += "; identity not established (candidate hit): confirm it before acting"
    return Verdict(measure, the_role, reach, actions, text, effect)


def officer_check(measure: Measure) -> str | None:
    """Advice for an organisation subject under a ``debtor_is_officer`` measure, else None.

    The list cannot tell which organisations a listed person serves, so a query on the
    organisation alone does not settle such a measure: its officers must be queried too.

    >>> from shixin.measures.catalogue import load_catalogue
    >>> officer_check(load_catalogue().measure("consumption.hotel")) is None
    True
    """
    if measure.role_link is not RoleLink.DEBTOR_IS_OFFICER:
        return None
    return (f"{_named(measure)} also reaches an organisation whose {_reached_roles(measure)} "
            "is a listed debtor; the list records the officers of listed organisations, not "
            "the organisations a listed person serves, so query each of these officers too: "
            "a debtor hit on one of them says, in officer_effect, what to do about the "
            "organisation")
