"""Section 二 of the seed plan (柳办〔2019〕90号), parsed independently of the catalogue."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

SEED_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seed"
SEED_MARK = "柳办〔2019〕90号"
SECTION_TWO = "二、加强联合惩戒"
_HEADING = re.compile(r"（([一二三四五六七八九十]+)）(.+)")
_ITEM = re.compile(r"(\d+)\.\s*(.*)")
_TAIL = re.compile(r"（(责任部门|注)：([^（）]*)）$")


class SeedClause(NamedTuple):
    """One clause of section 二 as the plan prints it."""

    heading: str | None  # the （九）…（十一） heading that is the clause's only title
    text: str  # without the number and the trailing parenthesis
    departments: tuple[str, ...] | None  # 责任部门 names, 等 stripped; None without a list
    open_ended: bool  # the 责任部门 list ends with 等
    remark: str | None  # the （注：…） text


def _split(heading: str | None, body: str) -> SeedClause:
    tail = _TAIL.search(body)
    text = body[: tail.start()] if tail else body
    if tail is None:
        return SeedClause(heading, text, None, False, None)
    if tail.group(1) == "注":
        return SeedClause(heading, text, None, False, tail.group(2))
    listed = tail.group(2)
    names = tuple(name.removesuffix("等") for name in re.split("[、及]", listed))
    return SeedClause(heading, text, names, listed.endswith("等"), None)


def parse_section_two(text: str) -> dict[str, SeedClause]:
    """Clauses of section 二 keyed "二、（一）1." or "二、（九）", in document order.

    Lines broken mid-sentence in the seed are joined back; a heading followed by
    numbered items is not a clause itself.
    """
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index(SECTION_TWO)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("三、"))
    bodies: dict[str, list[str]] = {}
    headings: dict[str, str] = {}
    current: str | None = None
    for line in filter(None, lines[start + 1 : end]):
        if heading := _HEADING.fullmatch(line):
            current = f"二、（{heading.group(1)}）"
            headings[current], bodies[current] = heading.group(2), []
        elif (item := _ITEM.fullmatch(line)) and current is not None:
            category = current[: current.index("）") + 1]
            if bodies.get(category) == []:
                del bodies[category]
            current = f"{category}{item.group(1)}."
            bodies[current] = [item.group(2)]
        elif current is not None:
            bodies[current].append(line)
    return {key: _split(headings.get(key), "".join(parts)) for key, parts in bodies.items()}


def find_seed() -> str | None:
    """The plan's text from the seed directory, or None when it is not there."""
    for path in sorted(SEED_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if SEED_MARK in text and SECTION_TWO in text:
            return text
    return None
