"""Offline verification of an audit log: is it intact, and if not, where and how.

Detection is exact: ``ok`` is True only if every line is a well-formed entry
whose hash matches its content and which chains (``seq`` + 1, ``prev`` = hash
of the previous line) to the line before it, starting from genesis, and — given
``expected_head`` — the chain contains that head. The *kind* of each problem is
a diagnosis made from a three-line look-ahead and the gaps seen so far:

* ``altered``: an entry's hash does not match its content; or it matches but
  the next entry does not chain to it (altered and re-hashed); or the chain no
  longer reaches the recorded head (rewritten).
* ``inserted``: an entry that does not fit between its neighbours, which chain
  to each other around it (forged line, copied line, repeated seq).
* ``removed``: a gap in ``seq``; with ``expected_head``, a missing tail.
* ``reordered``: an entry that chains correctly but stands in the wrong place.
* ``malformed``: a line that is not an entry at all.

The pass is streaming: memory is bounded by the look-ahead, a window of recent
seqs and the open gaps, not by the file's size.
"""

import json
import os
import re
from collections import OrderedDict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from shixin.audit.entry import GENESIS, Head, canonical_bytes, compute_hash

Kind = Literal["altered", "inserted", "removed", "reordered", "malformed"]

_HEX64 = re.compile(r"[0-9a-f]{64}")
_RECENT = 65_536
_MAX_GAPS = 10_000


@dataclass(frozen=True, slots=True)
class Problem:
    """One defect: where (1-based line, seq when known), what kind, and a sentence."""

    line: int | None
    seq: int | None
    kind: Kind
    message: str


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """Outcome of :func:`verify`."""

    ok: bool
    entries: int
    """Well-formed entries read (malformed lines not counted)."""
    problems: list[Problem]
    omitted: int = 0
    """Problems found beyond ``max_problems`` and not listed."""
    head: Head | None = None
    """Last entry of the chain as read (None for an empty log)."""
    hint: str = ""

    def describe(self) -> str:
        """Human-readable report for a CLI."""
        if self.ok:
            return f"OK: {self.entries} entries, head seq {self.head.seq if self.head else 0}"
        lines = [f"FAILED: {self.entries} entries, {len(self.problems) + self.omitted} problem(s)"]
        lines += [f"  [{p.kind}] {p.message}" for p in self.problems]
        if self.omitted:
            lines.append(f"  … and {self.omitted} more")
        if self.hint:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Entry:
    line: int
    seq: int
    prev: str
    hash: str
    content_ok: bool


@dataclass(frozen=True, slots=True)
class _Hole:
    line: int


@dataclass(slots=True)
class _Gap:
    missing: list[int]
    after_line: int
    before_line: int


def _where(line: int, seq: int) -> str:
    return f"line {line} (seq {seq})"


def _parse(raw: bytes, lineno: int, key: bytes | None) -> _Entry | Problem:
    def bad(why: str, seq: int | None = None) -> Problem:
        return Problem(lineno, seq, "malformed", f"line {lineno}: {why}")

    if not raw.strip():
        return bad("empty line")
    try:
        entry = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return bad("not UTF-8")
    except json.JSONDecodeError as exc:
        return bad(f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(entry, dict):
        return bad("not a JSON object")
    seq, prev, digest = entry.get("seq"), entry.get("prev"), entry.get("hash")
    if not (isinstance(seq, int) and not isinstance(seq, bool) and seq >= 1):
        return bad("missing or invalid seq")
    if not (isinstance(prev, str) and _HEX64.fullmatch(prev)):
        return bad("missing or invalid prev", seq)
    if not (isinstance(digest, str) and _HEX64.fullmatch(digest)):
        return bad("missing or invalid hash", seq)
    content_ok = compute_hash(canonical_bytes(entry), key) == digest
    return _Entry(lineno, seq, prev, digest, content_ok)


class _Chain:
    """Walks entries in file order, following the chain and classifying breaks."""

    def __init__(self, expected: Head | None, max_problems: int) -> None:
        self.tip = _Entry(0, 0, GENESIS, GENESIS, True)
        self.holes = 0
        self.recent: OrderedDict[int, tuple[int, str]] = OrderedDict()
        self.gaps: deque[_Gap] = deque()
        self.expected = expected
        self.head_seen = False
        self.problems: list[Problem] = []
        self.found = 0
        self.emitted_missing: set[int] = set()
        self.max_problems = max_problems

    def add(self, problem: Problem) -> None:
        """Keep the first ``max_problems``; count the rest (a wrong key fails every line)."""
        self.found += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)

    # helpers ---------------------------------------------------------------

    def _report(self, line: int | None, seq: int | None, kind: Kind, message: str) -> None:
        self.add(Problem(line, seq, kind, message))

    def _follows(self, before: _Entry, after: _Entry | None) -> bool:
        return after is not None and after.seq == before.seq + 1 and after.prev == before.hash

    def _remember(self, e: _Entry) -> None:
        self.recent[e.seq] = (e.line, e.hash)
        if len(self.recent) > _RECENT:
            self.recent.popitem(last=False)

    def _accept(self, e: _Entry) -> None:
        self.tip = e
        self._remember(e)
        if self.expected is not None and e.seq == self.expected.seq:
            self.head_seen = True
            if e.hash != self.expected.hash:
                self._report(
                    e.line,
                    e.seq,
                    "altered",
                    f"{_where(e.line, e.seq)}: hash differs from the recorded head "
                    f"({self.expected.hash[:16]}…) — the chain was rewritten at or before here",
                )

    def _inserted(self, e: _Entry) -> None:
        t = self.tip
        known = self.recent.get(e.seq)
        if known is not None and known[1] == e.hash:
            why = f"is a copy of line {known[0]}"
        elif known is not None:
            why = f"repeats seq {e.seq} of line {known[0]}"
        elif t.line:
            why = f"does not fit after {_where(t.line, t.seq)}"
        else:
            why = "does not fit at the start of the chain"
        self._report(e.line, e.seq, "inserted", f"{_where(e.line, e.seq)} {why} — entry inserted")

    def _add_gap(self, first: int, last: int, after_line: int, before_line: int) -> None:
        self.gaps.append(_Gap(list(range(first, last + 1)), after_line, before_line))
        while len(self.gaps) > _MAX_GAPS:
            self._emit_gap(self.gaps.popleft())

    def _emit_gap(self, gap: _Gap) -> None:
        if not gap.missing:
            return
        first, last, n = gap.missing[0], gap.missing[-1], len(gap.missing)
        if self.expected is not None and self.expected.seq in gap.missing:
            self.emitted_missing.add(self.expected.seq)
        seqs = f"seq {first}" if n == 1 else f"{n} entries (seq {first}..{last})"
        if n > 1 and last - first + 1 != n:
            seqs = f"{n} entries (seq {', '.join(map(str, gap.missing[:20]))})"
        where = (
            f"between line {gap.after_line} and line {gap.before_line}"
            if gap.after_line
            else f"before line {gap.before_line}"
        )
        self._report(gap.before_line, first, "removed", f"{where}: {seqs} missing — removed")

    def removed_seq(self, seq: int) -> bool:
        return seq in self.emitted_missing

    def _moved(self, e: _Entry) -> bool:
        """An entry that fills an earlier gap and chains to its predecessor: reordered."""
        for gap in self.gaps:
            if e.seq in gap.missing:
                pred = self.recent.get(e.seq - 1)
                if pred is None or pred[1] != e.prev:
                    return False
                gap.missing.remove(e.seq)
                self._remember(e)
                self._report(
                    e.line,
                    e.seq,
                    "reordered",
                    f"{_where(e.line, e.seq)} is out of place: it belongs right after line "
                    f"{pred[0]} (seq {e.seq - 1}) — entries reordered",
                )
                return True
        return False

    # the walk ----------------------------------------------------------------

    def step(self, buf: deque[_Entry | _Hole]) -> None:
        """Consume the first one or two items of ``buf`` (look-ahead of three)."""
        n1 = buf.popleft()
        if isinstance(n1, _Hole):
            self.holes += 1
            return
        n2 = buf[0] if buf and isinstance(buf[0], _Entry) else None
        n3 = buf[1] if n2 is not None and len(buf) > 1 and isinstance(buf[1], _Entry) else None
        t = self.tip
        if self.holes:
            self._after_holes(n1)
        elif self._follows(t, n1):
            if self._follows(t, n2) and n2 is not None:
                # Two entries claim the same place: a forged one either fails its own
                # hash or is the one the chain does not continue from.
                buf.popleft()
                n2_genuine = (
                    not n1.content_ok
                    if n1.content_ok != n2.content_ok
                    else n3 is not None and self._follows(n2, n3)
                )
                if n2_genuine:
                    self._accept(n2)
                    self._inserted(n1)
                else:
                    self._accept(n1)
                    self._inserted(n2)
            else:
                self._accept(n1)
        elif self._moved(n1):
            pass
        elif n2 is not None and self._follows(t, n2):
            buf.popleft()
            if self._follows(n2, n1):
                self._report(
                    n1.line,
                    n1.seq,
                    "reordered",
                    f"{_where(n1.line, n1.seq)} comes before {_where(n2.line, n2.seq)} "
                    "— entries reordered",
                )
                self._accept(n2)
                self._accept(n1)
            else:
                self._accept(n2)
                self._inserted(n1)
        elif n1.seq == t.seq + 1:
            if n1.content_ok:
                if t.line:
                    self._report(
                        t.line,
                        t.seq,
                        "altered",
                        f"{_where(t.line, t.seq)}: its hash is not the one "
                        f"{_where(n1.line, n1.seq)} chains to — entry altered and re-hashed",
                    )
                else:
                    self._report(
                        n1.line,
                        n1.seq,
                        "altered",
                        f"{_where(n1.line, n1.seq)}: prev is not the genesis hash — chain start "
                        "altered",
                    )
            self._accept(n1)
        elif n1.seq > t.seq + 1:
            self._add_gap(t.seq + 1, n1.seq - 1, t.line, n1.line)
            self._accept(n1)
        else:
            self._inserted(n1)

    def _after_holes(self, e: _Entry) -> None:
        """Resume after malformed lines: their seqs and hashes are unknown."""
        t, holes = self.tip, self.holes
        self.holes = 0
        if e.seq <= t.seq:
            self._inserted(e)
            return
        if e.seq > t.seq + holes + 1:
            self._add_gap(t.seq + 1, e.seq - 1, t.line, e.line)
        self._accept(e)

    def finish(self) -> None:
        while self.gaps:
            self._emit_gap(self.gaps.popleft())
        exp, t = self.expected, self.tip
        if exp is None or self.head_seen or exp.seq == 0:
            return
        if exp.seq > t.seq:
            first = t.seq + 1
            span = f"seq {first}" if first == exp.seq else f"seq {first}..{exp.seq}"
            end = f"line {t.line} (seq {t.seq})" if t.line else "the start (no entries)"
            self._report(
                t.line + 1,
                first,
                "removed",
                f"the log ends at {end} but the recorded head is seq {exp.seq}: {span} "
                "missing — tail removed (truncated)",
            )
        elif not self.removed_seq(exp.seq):
            self._report(
                None,
                exp.seq,
                "altered",
                f"the recorded head (seq {exp.seq}) is not part of the chain — rewritten",
            )


def _lines(path: Path, end: int | None) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, line without newline, had a newline), up to byte ``end``."""
    consumed = 0
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            if end is not None:
                if consumed >= end:
                    return
                if consumed + len(raw) > end:
                    raw = raw[: end - consumed]
                consumed += len(raw)
            complete = raw.endswith(b"\n")
            yield lineno, raw[:-1] if complete else raw, complete


def verify(
    path: str | os.PathLike[str],
    key: bytes | None = None,
    *,
    expected_head: Head | tuple[int, str] | None = None,
    max_problems: int = 1000,
    end: int | None = None,
) -> VerifyResult:
    """Check the whole log at ``path``; see the module docstring for what is detected.

    ``key`` must be the one the log was written with (None for an unkeyed log).
    ``expected_head`` is an anchor kept elsewhere (:meth:`AuditLog.head`); with
    it a removed or rewritten tail is detected too. ``end`` limits the check to
    the first ``end`` bytes (a live log's committed size, see
    :meth:`AuditLog.verify`).
    """
    p = Path(path)
    exp = Head(*expected_head) if expected_head is not None else None
    chain = _Chain(exp, max_problems)
    buf: deque[_Entry | _Hole] = deque()
    entries = altered = 0
    if p.exists():
        for lineno, raw, complete in _lines(p, end):
            item: _Entry | Problem = (
                _parse(raw, lineno, key)
                if complete
                else Problem(
                    lineno,
                    None,
                    "malformed",
                    f"line {lineno}: incomplete last line (no newline) — interrupted write",
                )
            )
            if isinstance(item, Problem):
                chain.add(item)
                buf.append(_Hole(lineno))
            else:
                entries += 1
                if not item.content_ok:
                    altered += 1
                    chain.add(
                        Problem(
                            lineno,
                            item.seq,
                            "altered",
                            f"{_where(lineno, item.seq)}: hash does not match its content — "
                            "entry altered",
                        )
                    )
                buf.append(item)
            if len(buf) >= 3:
                chain.step(buf)
    while buf:
        chain.step(buf)
    chain.finish()
    problems = sorted(chain.problems, key=lambda pr: (pr.line or 0, pr.seq or 0))
    omitted = chain.found - len(problems)
    hint = ""
    if entries and altered == entries:
        hint = (
            "every entry fails its hash: the log was probably written with a different key "
            f"({'or none' if key else 'pass the SHIXIN_AUDIT_KEY it was written with'})"
        )
    head = Head(chain.tip.seq, chain.tip.hash) if chain.tip.line else None
    return VerifyResult(
        ok=chain.found == 0,
        entries=entries,
        problems=problems,
        omitted=omitted,
        head=head,
        hint=hint,
    )
