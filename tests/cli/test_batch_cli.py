"""``shixin batch`` end to end: real CLI, real server, every input and output format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from shixin.client import ShixinClient
from shixin.grpcapi.server import Running
from tests.cli.cli_support import (
    PURPOSE,
    Known,
    expected_errors,
    find_known,
    rows_of,
    run_cli,
)
from tests.conftest import DemoList

KIND_ZH = {"person": "个人", "organization": "单位", "": "", "公司": "公司"}


@pytest.fixture(scope="module")
def known(demo_list: DemoList, served: Running) -> Known:
    """Subjects with known answers on the served list."""
    from shixin.client import ClientConfig

    with ShixinClient(ClientConfig(server=f"127.0.0.1:{served.port}", unit="pbc-liuzhou",
                                   purpose=PURPOSE)) as client:
        return find_known(demo_list, client)


def _write_csv(path: Path, rows: list[dict[str, str]], *, chinese: bool) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if chinese:
        writer.writerow(["编号", "姓名", "证件号码", "类型"])
        writer.writerows([r["ref"], r["name"], r["id_number"], KIND_ZH[r["kind"]]] for r in rows)
        path.write_bytes(buffer.getvalue().encode("gb18030"))
    else:
        writer.writerow(["ref", "name", "id_number", "kind"])
        writer.writerows([r["ref"], r["name"], r["id_number"], r["kind"]] for r in rows)
        path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def _write_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "姓名", "证件号码", "类型"])
    for r in rows:
        sheet.append([r["ref"], r["name"] or None, r["id_number"] or None,
                      KIND_ZH[r["kind"]] or None])
    book.save(path)
    return path


def _write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [json.dumps({k: r[k] for k in ("ref", "name", "id_number", "kind")},
                        ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _input(tmp_path: Path, fmt: str, rows: list[dict[str, str]]) -> Path:
    if fmt == "csv-utf8":
        return _write_csv(tmp_path / "in.csv", rows, chinese=False)
    if fmt == "csv-gb18030":
        return _write_csv(tmp_path / "in.csv", rows, chinese=True)
    if fmt == "xlsx":
        return _write_xlsx(tmp_path / "in.xlsx", rows)
    return _write_jsonl(tmp_path / "in.jsonl", rows)


def _read_output(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text, newline="")))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("out_suffix", [".jsonl", ".csv"])
@pytest.mark.parametrize("fmt", ["csv-utf8", "csv-gb18030", "xlsx", "jsonl"])
def test_batch_gives_one_result_per_row_in_order(served: Running, known: Known,
                                                 tmp_path: Path, fmt: str,
                                                 out_suffix: str) -> None:
    """Every row gets one result, in input order, ref echoed, status per the truth."""
    rows = rows_of(known)
    src = _input(tmp_path, fmt, rows)
    dst = tmp_path / f"out{out_suffix}"
    ran = run_cli(served, "batch", str(src), "-o", str(dst), "--purpose", PURPOSE, "--quiet",
                  cwd=tmp_path)
    assert ran.code == 0, ran.err
    results = _read_output(dst)
    assert [r["ref"] for r in results] == [r["ref"] for r in rows]
    assert [r["status"] for r in results] == [r["expect"] for r in rows]
    assert f"{len(rows)} rows" in ran.out


@pytest.mark.parametrize("fmt", ["csv-utf8", "csv-gb18030", "xlsx", "jsonl"])
def test_bad_rows_carry_their_reason(served: Running, known: Known, tmp_path: Path,
                                     fmt: str) -> None:
    """A row that cannot be matched says why in its error, and the other rows still match."""
    rows = rows_of(known)
    dst = tmp_path / "out.jsonl"
    ran = run_cli(served, "batch", str(_input(tmp_path, fmt, rows)), "-o", str(dst),
                  "--purpose", PURPOSE, "--quiet", cwd=tmp_path)
    assert ran.code == 0, ran.err
    by_ref = {r["ref"]: r for r in _read_output(dst)}
    for ref, words in expected_errors().items():
        assert by_ref[ref]["status"] == "error"
        assert all(w in by_ref[ref]["error"] for w in words), by_ref[ref]["error"]
    assert all("error" not in r for r in by_ref.values() if r["status"] != "error")


def test_jsonl_results_have_the_spec_shape(served: Running, known: Known,
                                           tmp_path: Path) -> None:
    """Hits carry case number, name, masked-or-whole ID, role, level, score, reasons, active."""
    rows = rows_of(known)
    dst = tmp_path / "out.jsonl"
    run_cli(served, "batch", str(_input(tmp_path, "jsonl", rows)), "-o", str(dst),
            "--purpose", PURPOSE, "--quiet", cwd=tmp_path)
    by_ref = {r["ref"]: r for r in _read_output(dst)}
    hit = by_ref["R1"]
    assert hit["query"] == {"name": known.person["name"], "id_number": known.person["id_number"]}
    assert hit["hits"][0]["level"] == "definitive"
    own = next(h for h in hit["hits"] if h["role"] == "debtor")
    assert {"case_number", "debtor_name", "id_number", "role", "level", "score", "reasons",
            "active"} <= set(own)
    assert (own["debtor_name"], own["id_number"]) == (known.person["name"],
                                                      known.person["id_number"])
    assert (own["level"], own["active"]) == ("definitive", True)
    assert own["reasons"]
    head = by_ref["R8"]["hits"]
    assert any(h["role"] == "legal_representative" and h["matched_name"] == known.head["name"]
               for h in head)
    assert all(h["level"] == "candidate" for h in by_ref["R4"]["hits"])
    assert by_ref["R2"]["hits"] == []


def test_csv_output_lists_hits_per_row(served: Running, known: Known, tmp_path: Path) -> None:
    """The CSV output has the documented columns and one line per row, hits joined."""
    rows = rows_of(known)
    dst = tmp_path / "out.csv"
    run_cli(served, "batch", str(_input(tmp_path, "csv-utf8", rows)), "-o", str(dst),
            "--purpose", PURPOSE, "--quiet", cwd=tmp_path)
    results = _read_output(dst)
    assert list(results[0]) == ["ref", "status", "hit_count", "case_numbers", "debtor_names",
                                "roles", "levels", "scores", "reasons", "error"]
    first = results[0]
    count = int(first["hit_count"])
    columns = [first[c].split("; ") for c in ("case_numbers", "debtor_names", "roles", "levels")]
    assert count >= 1 and all(len(values) == count for values in columns)
    assert first["levels"].split("; ")[0] == "definitive"
    hits = list(zip(first["debtor_names"].split("; "), first["roles"].split("; "), strict=True))
    assert (known.person["name"], "debtor") in hits
    assert results[1]["hit_count"] == "0"
    assert results[2]["status"] == "error" and results[2]["error"]


def test_rows_without_ref_get_their_row_number(served: Running, known: Known,
                                               tmp_path: Path) -> None:
    """Without a ref column the row number is the ref."""
    src = tmp_path / "in.csv"
    src.write_text(f"name,id_number\n{known.person['name']},{known.person['id_number']}\n"
                   f"{known.stranger[0]},{known.stranger[1]}\n", encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    ran = run_cli(served, "batch", str(src), "-o", str(dst), "--purpose", PURPOSE, "--quiet",
                  cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert [(r["ref"], r["status"]) for r in _read_output(dst)] == [("1", "hit"), ("2", "none")]


def test_batch_spanning_many_messages_keeps_order(served: Running, known: Known,
                                                  tmp_path: Path) -> None:
    """More rows than one message holds still come back one per row, in order."""
    base = rows_of(known)
    rows = [dict(r, ref=f"{i}-{r['ref']}") for i in range(40) for r in base]  # 320 rows
    dst = tmp_path / "out.jsonl"
    ran = run_cli(served, "batch", str(_input(tmp_path, "jsonl", rows)), "-o", str(dst),
                  "--purpose", PURPOSE, "--quiet", cwd=tmp_path)
    assert ran.code == 0, ran.err
    results = _read_output(dst)
    assert [(r["ref"], r["status"]) for r in results] == [(r["ref"], r["expect"]) for r in rows]


def test_unreadable_input_file_is_refused_with_a_message(served: Running,
                                                         tmp_path: Path) -> None:
    """An .xls file is refused with a one-line error (exit 2), and no output is written."""
    src = tmp_path / "in.xls"
    src.write_bytes(b"\xd0\xcf\x11\xe0")
    dst = tmp_path / "out.jsonl"
    ran = run_cli(served, "batch", str(src), "-o", str(dst), "--quiet", cwd=tmp_path)
    assert ran.code == 2
    assert "xlsx" in ran.err
    assert not dst.exists()
