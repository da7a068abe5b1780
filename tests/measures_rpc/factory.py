"""A small listed world for measure tests: a listed person, a listed organisation with
one officer per role, and a listed person whose record is shielded.

Identifiers are built with valid check characters (``shixin.demo.checks``, which does
not depend on the server's ID code); names are distinct so no party matches another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shixin.demo.checks import org_code, resident_id, uscc_code

COURT = "柳州市城中区人民法院"
REGION = "450202"


@dataclass(frozen=True)
class Party:
    """A party one can query for, and how the list ties it to its record."""

    name: str
    id_number: str
    role: str  # "debtor" or the related-person role
    debtor_kind: str  # kind of the listed debtor of the record
    case_number: str
    subject_kind: str  # kind of the party itself


def person_id(birth: str, sequence: int) -> str:
    """A valid resident ID born on ``birth`` (YYYYMMDD) in Liuzhou."""
    return resident_id(f"{REGION}{birth}{sequence:03d}")


def company_uscc(body: str) -> str:
    """A valid USCC of a Liuzhou company whose organisation code has ``body``."""
    return uscc_code(f"91{REGION}{org_code(body)}")


OFFICER_ROLES = ("legal_representative", "principal", "actual_controller", "director",
                 "supervisor", "senior_manager", "directly_responsible")
_OFFICERS = (("蓝海燕", "19710304", 22), ("莫振邦", "19680511", 35), ("黎国栋", "19590817", 47),
             ("廖文卓", "19750923", 53), ("甘淑贞", "19800214", 64), ("农建华", "19830706", 71),
             ("梁伟明", "19661128", 83))

PERSON = Party("覃志坚", person_id("19790612", 15), "debtor", "person",
               "(2025)桂0202执101号", "person")
ORG = Party("柳州市恒晟机械制造有限公司", company_uscc("73125846"), "debtor", "organization",
            "(2025)桂0202执102号", "organization")
OFFICERS = tuple(
    Party(name, person_id(birth, seq), role, "organization", ORG.case_number, "person")
    for (name, birth, seq), role in zip(_OFFICERS, OFFICER_ROLES, strict=True)
)
SHIELDED = Party("潘月娥", person_id("19820430", 26), "debtor", "person",
                 "(2025)桂0202执103号", "person")
LIVE_PARTIES = (PERSON, ORG, *OFFICERS)


def _record(party: Party, related: list[dict[str, str]] | None = None) -> dict[str, Any]:
    kind = party.subject_kind
    return {
        "case_number": party.case_number,
        "debtor": {"kind": kind, "name": party.name,
                   "id_type": "resident_id" if kind == "person" else "uscc",
                   "id_number": party.id_number},
        "related_persons": related or [],
        "court": COURT,
        "published_on": "2025-01-10",
        "obligation": "偿还借款本金及利息",
        "performance": "全部未履行",
        "circumstances": "有履行能力而拒不履行生效法律文书确定义务",
    }


def write_list(directory: Path) -> Path:
    """The JSONL file of the three records and the shield event; returns its path."""
    related = [{"role": p.role, "name": p.name, "id_number": p.id_number} for p in OFFICERS]
    lines: list[dict[str, Any]] = [_record(PERSON), _record(ORG, related), _record(SHIELDED)]
    lines.append({"event": "shield", "case_number": SHIELDED.case_number,
                  "id_number": SHIELDED.id_number, "effective_on": "2026-03-01",
                  "reason": "全部履行完毕"})
    path = directory / "list.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
                    encoding="utf-8")
    return path
