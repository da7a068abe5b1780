"""Printing answers for a person to read (the CLI's only job beyond parsing flags)."""

from __future__ import annotations

from shixin.client.batch import LEVEL_NAMES, ROLE_NAMES, STATUS_NAMES
from shixin.v1 import match_service_pb2 as pb

STATE_NAMES = ["?", "pending", "active", "correction pending", "shielded", "revoked", "expired",
               "restored"]
ACTION_NAMES = ["?", "prohibit", "strict review", "prudential reference", "assist enforcement",
                "enhanced supervision", "notify"]


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
        role = ROLE_NAMES[h.role]
        who = h.debtor_name if role == "debtor" else f"{h.matched_name}, {role} of {h.debtor_name}"
        lines.append(f"{i}. [{LEVEL_NAMES.get(h.level, '?')} {h.score:.2f}] {who}")
        lines.append(f"   case {h.case_number} — {h.court}; published {h.published_on}"
                     + (f", expires {h.expires_on}" if h.expires_on else "")
                     + f"; {STATE_NAMES[h.state]}")
        if h.id_number:
            lines.append(f"   debtor ID {h.id_number}")
        lines.append("   why: " + "; ".join(h.reasons))
        if h.HasField("measure"):
            m = h.measure
            acts = ", ".join(ACTION_NAMES[a] for a in m.actions)
            mark = f"APPLIES → {acts}" if m.applies else "does not apply"
            lines.append(f"   measure {m.measure_code} {m.title}: {mark} ({m.explanation})")
    return "\n".join(lines)
