"""Printing answers for a person to read (the CLI's only job beyond parsing flags)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from shixin.client.batch import LEVEL_NAMES, ROLE_NAMES, STATUS_NAMES
from shixin.measures import Catalogue, Measure
from shixin.v1 import match_service_pb2 as pb

STATE_NAMES = ["?", "pending", "active", "correction pending", "shielded", "revoked", "expired",
               "restored"]
ACTION_NAMES = ["?", "prohibit", "strict review", "prudential reference", "assist enforcement",
                "enhanced supervision", "notify"]


def _actions(actions: Iterable[int]) -> str:
    return ", ".join(ACTION_NAMES[a] if 0 <= a < len(ACTION_NAMES) else "?" for a in actions)


def _role(role: int) -> str:
    return ROLE_NAMES[role] if 0 < role < len(ROLE_NAMES) else "?"


def render_measure(m: pb.MeasureApplication) -> list[str]:
    """The purpose measure's verdict on one hit, as indented lines."""
    head = f"   measure {m.measure_code} {m.title}"
    if m.applies:
        lines = [f"{head}: APPLIES to the {_role(m.role).replace('_', ' ')} → "
                 f"{_actions(m.actions)}"]
    else:
        lines = [f"{head}: does not apply"]
    lines.append(f"     {m.explanation}")
    if m.HasField("officer_effect"):
        e = m.officer_effect
        roles = ", ".join(_role(r).replace("_", " ") for r in e.officer_roles)
        lines.append(f"     an organisation whose {roles} this is → {_actions(e.actions)}")
    return lines


def render_match(resp: pb.MatchResponse) -> str:
    """A match answer as text."""
    lines = [f"status: {STATUS_NAMES.get(resp.status, '?')}"]
    c = resp.id_check
    if c.present:
        verdict = "valid" if c.valid else f"INVALID: {c.problem}"
        lines.append(f"ID number: {c.normalized} ({verdict})")
    if not resp.hits:
        lines.append("no hits")
    for i, h in enumerate(resp.hits, start=1):
        role = _role(h.role)
        who = h.debtor_name if role == "debtor" else f"{h.matched_name}, {role} of {h.debtor_name}"
        lines.append(f"{i}. [{LEVEL_NAMES.get(h.level, '?')} {h.score:.2f}] {who}")
        lines.append(f"   case {h.case_number} — {h.court}; published {h.published_on}"
                     + (f", expires {h.expires_on}" if h.expires_on else "")
                     + f"; {STATE_NAMES[h.state]}")
        if h.id_number:
            lines.append(f"   debtor ID {h.id_number}")
        lines.append("   why: " + "; ".join(h.reasons))
        if h.HasField("measure"):
            lines += render_measure(h.measure)
    if resp.officer_check:
        lines.append(f"note: {resp.officer_check}")
    return "\n".join(lines)


def measure_json(m: Measure, catalogue: Catalogue) -> dict[str, object]:
    """One measure as a JSON object: the catalogue fields plus the units applying it."""
    return {
        "code": m.code, "clause": m.clause, "category": m.category.code,
        "category_zh": m.category_zh, "category_en": m.category_en,
        "title_zh": m.title_zh, "title_en": m.title_en,
        "applies_to": [r.value for r in m.applies_to],
        "role_link": m.role_link.value if m.role_link else None,
        "debtor_kinds": [k.value for k in m.debtor_kinds],
        "actions": [a.value for a in m.actions],
        "officer_actions": [a.value for a in m.officer_actions] if m.officer_actions else None,
        "department_scope": m.department_scope.value,
        "departments": list(m.departments),
        "applied_by": [u.code for u in catalogue.units_for_measure(m.code)],
        "note": m.note, "text_zh": m.text_zh,
    }


def render_measures_json(catalogue: Catalogue, measures: Iterable[Measure]) -> str:
    """Measures as a JSON array (UTF-8 text, not escaped)."""
    return json.dumps([measure_json(m, catalogue) for m in measures], ensure_ascii=False,
                      indent=1)
