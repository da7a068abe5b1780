"""verify(): every kind of tampering is detected and located."""

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shixin.audit import AuditLog, Head, VerifyResult, verify
from shixin.audit.entry import canonical_bytes, compute_hash

KEY = b"test-key-0123456789-abcdefghijkl"
N = 12


def build(path: Path, key: bytes | None = KEY, n: int = N) -> tuple[list[bytes], Head]:
    with AuditLog(path, key, fsync=False) as log:
        for i in range(1, n + 1):
            log.append(
                {
                    "actor": f"unit-{i % 3}",
                    "role": "unit",
                    "action": "match",
                    "purpose": "bank.loan",
                    "request": {"name": f"张三{i}", "id_number": f"1101011990030712{i:02d}"},
                    "outcome": {"status": "OK", "hits": [f"r{i}"]},
                }
            )
        log.flush()
        head = log.head()
    return Path(path).read_bytes().splitlines(keepends=True), head


def save(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(lines))


def kinds(result: VerifyResult) -> list[tuple[str, int | None]]:
    return [(p.kind, p.line) for p in result.problems]


def rehash(raw: bytes, key: bytes | None, **changes: Any) -> bytes:
    """What an attacker without the key does: edit, then recompute a plain hash."""
    entry = json.loads(raw)
    entry.update(changes)
    entry["hash"] = compute_hash(canonical_bytes(entry), key)
    return json.dumps(entry, ensure_ascii=False).encode() + b"\n"


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.jsonl"


def test_intact_log(log_path: Path) -> None:
    _, head = build(log_path)
    result = verify(log_path, KEY, expected_head=head)
    assert result.ok and result.entries == N and result.head == head
    assert result.describe() == f"OK: {N} entries, head seq {N}"


def test_missing_and_empty_files_are_intact(log_path: Path) -> None:
    assert verify(log_path).ok and verify(log_path).entries == 0
    log_path.write_bytes(b"")
    assert verify(log_path).ok


def test_altered_field(log_path: Path) -> None:
    lines, _ = build(log_path)
    lines[6] = lines[6].replace("张三7".encode(), "李四7".encode())
    save(log_path, lines)
    result = verify(log_path, KEY)
    assert not result.ok
    assert [p.message for p in result.problems] == [
        "line 7 (seq 7): hash does not match its content — entry altered"
    ]
    assert result.problems[0].kind == "altered" and result.problems[0].seq == 7


def test_altered_and_rehashed_without_key(log_path: Path) -> None:
    lines, _ = build(log_path, key=None)
    lines[4] = rehash(lines[4], None, actor="someone-else")
    save(log_path, lines)
    result = verify(log_path)
    assert kinds(result) == [("altered", 5)]
    assert "its hash is not the one line 6 (seq 6) chains to" in result.problems[0].message


def test_forged_line_inserted(log_path: Path) -> None:
    lines, _ = build(log_path)
    forged = json.loads(lines[3])
    forged["request"] = {"name": "王五", "id_number": "110101199003071299"}
    lines.insert(4, json.dumps(forged, ensure_ascii=False).encode() + b"\n")
    save(log_path, lines)
    result = verify(log_path, KEY)
    assert ("inserted", 5) in kinds(result)
    assert all(p.line == 5 for p in result.problems), result.describe()


def test_well_chained_forgery_inserted_without_key(log_path: Path) -> None:
    """Forged entry taking seq 5 with a valid prev and hash: the chain goes on from the real one."""
    lines, _ = build(log_path, key=None)
    lines.insert(4, rehash(lines[4], None, actor="forger"))
    save(log_path, lines)
    result = verify(log_path)
    assert kinds(result) == [("inserted", 5)]
    assert result.problems[0].message == ("line 5 (seq 5) repeats seq 5 of line 6 — entry inserted")


def test_copied_line_inserted(log_path: Path) -> None:
    lines, _ = build(log_path)
    lines.insert(9, lines[2])
    save(log_path, lines)
    result = verify(log_path, KEY)
    assert kinds(result) == [("inserted", 10)]
    assert result.problems[0].message == "line 10 (seq 3) is a copy of line 3 — entry inserted"


def test_removed_line(log_path: Path) -> None:
    lines, _ = build(log_path)
    del lines[8]
    save(log_path, lines)
    result = verify(log_path, KEY)
    assert [(p.kind, p.line, p.seq, p.message) for p in result.problems] == [
        ("removed", 9, 9, "between line 8 and line 9: seq 9 missing — removed")
    ]


def test_removed_run_and_first_line(log_path: Path) -> None:
    lines, _ = build(log_path)
    del lines[5:8]
    del lines[0]
    save(log_path, lines)
    messages = [p.message for p in verify(log_path, KEY).problems]
    assert messages == [
        "before line 1: seq 1 missing — removed",
        "between line 4 and line 5: 3 entries (seq 6..8) missing — removed",
    ]


def test_swapped_lines(log_path: Path) -> None:
    lines, _ = build(log_path)
    lines[3], lines[4] = lines[4], lines[3]
    save(log_path, lines)
    result = verify(log_path, KEY)
    assert kinds(result) == [("reordered", 4)]
    assert result.problems[0].message == (
        "line 4 (seq 5) comes before line 5 (seq 4) — entries reordered"
    )


def test_moved_line(log_path: Path) -> None:
    lines, _ = build(log_path)
    moved = lines.pop(2)
    lines.insert(8, moved)
    save(log_path, lines)
    result = verify(log_path, KEY)
    assert kinds(result) == [("reordered", 9)]
    assert result.problems[0].message == (
        "line 9 (seq 3) is out of place: it belongs right after line 2 (seq 2) — entries reordered"
    )


def test_truncated_tail_needs_the_anchor(log_path: Path) -> None:
    lines, head = build(log_path)
    save(log_path, lines[:-3])
    assert verify(log_path, KEY).ok  # undetectable from the file alone
    result = verify(log_path, KEY, expected_head=head)
    assert kinds(result) == [("removed", 10)]
    assert result.problems[0].message == (
        "the log ends at line 9 (seq 9) but the recorded head is seq 12: seq 10..12 missing "
        "— tail removed (truncated)"
    )


def test_everything_removed_with_anchor(log_path: Path) -> None:
    _, head = build(log_path)
    log_path.write_bytes(b"")
    result = verify(log_path, KEY, expected_head=(head.seq, head.hash))
    assert kinds(result) == [("removed", 1)]
    assert "the log ends at the start (no entries)" in result.problems[0].message


def rewrite_from(lines: list[bytes], start: int, key: bytes | None) -> list[bytes]:
    """Alter line ``start`` and re-chain everything after it, as an attacker would."""
    out = lines[:start]
    prev = json.loads(lines[start - 1])["hash"]
    for i, raw in enumerate(lines[start:]):
        changes: dict[str, Any] = {"prev": prev}
        if i == 0:
            changes["actor"] = "nobody"
        out.append(rehash(raw, key, **changes))
        prev = json.loads(out[-1])["hash"]
    return out


def test_whole_chain_rewrite_without_key_is_only_caught_by_the_anchor(log_path: Path) -> None:
    lines, head = build(log_path, key=None)
    save(log_path, rewrite_from(lines, 4, None))
    assert verify(log_path).ok  # documented limit of the unkeyed mode
    result = verify(log_path, expected_head=head)
    assert kinds(result) == [("altered", N)]
    assert "hash differs from the recorded head" in result.problems[0].message


def test_whole_chain_rewrite_is_caught_with_the_key(log_path: Path) -> None:
    lines, _ = build(log_path, key=KEY)
    save(log_path, rewrite_from(lines, 4, None))  # the attacker lacks the key
    result = verify(log_path, KEY)
    assert kinds(result) == [("altered", line) for line in range(5, N + 1)]
    assert not result.hint


def test_wrong_key_gives_a_hint(log_path: Path) -> None:
    build(log_path, key=KEY)
    result = verify(log_path, b"not-the-key-not-the-key-not-the-key")
    assert len(result.problems) == N and "different key" in result.hint
    assert "hint:" in result.describe()


def test_malformed_line_does_not_cascade(log_path: Path) -> None:
    lines, _ = build(log_path)
    lines[5] = b'{"seq": 6, "truncated\n'
    save(log_path, lines)
    result = verify(log_path, KEY)
    assert kinds(result) == [("malformed", 6)]
    assert result.problems[0].message.startswith("line 6: not valid JSON")
    assert result.entries == N - 1


def test_torn_last_line(log_path: Path) -> None:
    lines, _ = build(log_path)
    lines[-1] = lines[-1][:30]
    save(log_path, lines)
    result = verify(log_path, KEY)
    assert [(p.kind, p.message) for p in result.problems] == [
        ("malformed", f"line {N}: incomplete last line (no newline) — interrupted write")
    ]


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"\n", "empty line"),
        (b"[1, 2]\n", "not a JSON object"),
        (b'{"seq": "7"}\n', "missing or invalid seq"),
        (b'{"seq": 7, "prev": "xyz"}\n', "missing or invalid prev"),
        (b"\xff\xfe\n", "not UTF-8"),
    ],
)
def test_malformed_reasons(log_path: Path, raw: bytes, why: str) -> None:
    lines, _ = build(log_path, n=3)
    save(log_path, [*lines, raw])
    result = verify(log_path, KEY)
    assert [(p.kind, p.message) for p in result.problems] == [("malformed", f"line 4: {why}")]


def test_problem_list_is_capped(log_path: Path) -> None:
    build(log_path, key=KEY)
    result = verify(log_path, None, max_problems=5)
    assert len(result.problems) == 5 and result.omitted == N - 5 and not result.ok


def test_plain_sha256_is_what_unkeyed_means(log_path: Path) -> None:
    lines, _ = build(log_path, key=None, n=1)
    entry = json.loads(lines[0])
    body = {k: v for k, v in entry.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canonical.encode()).hexdigest() == entry["hash"]


@st.composite
def tampering(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    ops = st.tuples(
        st.sampled_from(["delete", "swap", "duplicate", "alter", "move"]),
        st.integers(0, N - 1),
        st.integers(0, N - 1),
    )
    return draw(st.lists(ops, min_size=1, max_size=3))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=tampering())
def test_any_change_is_detected_given_the_anchor(
    tmp_path: Path, ops: list[tuple[str, int, int]]
) -> None:
    path = tmp_path / "audit.jsonl"
    if not path.exists():
        build(path)
    original = path.read_bytes()
    lines = original.splitlines(keepends=True)
    head = Head(N, json.loads(lines[-1])["hash"])
    for op, i, j in ops:
        if not lines:
            break
        i, j = i % len(lines), j % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "duplicate":
            lines.insert(j, lines[i])
        elif op == "alter":
            lines[i] = lines[i].replace(b'"match"', b'"get_record"')
        else:
            lines.insert(j, lines.pop(i))
    tampered = b"".join(lines)
    path.write_bytes(tampered)
    try:
        result = verify(path, KEY, expected_head=head)
        assert result.ok == (tampered == original), (ops, result.describe())
    finally:
        path.write_bytes(original)
