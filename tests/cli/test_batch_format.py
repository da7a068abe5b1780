"""The batch's fast output path writes exactly what the result-dict path writes.

``shixin batch`` formats each response message straight from its wire bytes
(a view of the message, measures cached); the reference is the plain path:
:func:`~shixin.client.batch.hit_dict` results through ``ResultWriter.write``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from shixin.batchio import CsvWriter, open_writer
from shixin.client import batch
from shixin.v1 import match_service_pb2 as pb

WEIRD = 'quote " back \\ nul \x00 tab \t line\nend \u2028 =formula'


def _measure(explanation: str, *, officers: bool) -> pb.MeasureApplication:
    m = pb.MeasureApplication(measure_code="credit.grant", title="授信限制", applies=True,
                              actions=[pb.MEASURE_ACTION_STRICT_REVIEW], role=cast(Any, 1),
                              explanation=explanation, clause="二、（五）3.",
                              reach=pb.MEASURE_REACH_DEBTOR)
    if officers:
        m.officer_effect.officer_roles.extend(cast(Any, [2, 3, 99]))  # 99: not a role
        m.officer_effect.actions.append(pb.MEASURE_ACTION_PRUDENTIAL_REFERENCE)
        m.officer_effect.explanation = "officers: " + WEIRD
    return m


def _response() -> tuple[list[tuple[str, str, str]], pb.BatchMatchResponse]:
    queries = [("R1", "张三", "450202198001011232"), ("R2", "", "91450200MA5K00000X"),
               ("R3", WEIRD, ""), ("", "王芳", ""), ("R5", "=1+1", "-1"), ("R6", "李四", "")]
    response = pb.BatchMatchResponse()
    one = response.results.add(ref="R1", status=pb.MATCH_STATUS_HIT)
    one.hits.add(record_id="r1", case_number="（2025）桂0204执4216号", debtor_name="张三",
                 id_number="4502021980****1232", role=1, matched_name="张三", level=1,
                 score=1.0, reasons=["same resident ID", "name exact"], active=True,
                 court="柳州市柳南区人民法院", published_on="2025-10-12",
                 measure=_measure("reaches the listed debtor", officers=True))
    one.hits.add(case_number="(2015)桂02执174号", debtor_name="柳州市鑫达贸易有限公司", role=2,
                 matched_name="张三", level=2, score=0.77777777, reasons=["name exact"],
                 court="柳州市中级人民法院", measure=_measure("candidate", officers=False))
    one.hits.add(case_number="-x", debtor_name="+y", role=99, level=7, score=0.123456,
                 court=WEIRD, reasons=[WEIRD, "@at"], measure=pb.MeasureApplication())
    response.results.add(ref="R2", status=pb.MATCH_STATUS_NONE)
    three = response.results.add(ref="R3", status=pb.MATCH_STATUS_POSSIBLE)
    three.hits.add(case_number=WEIRD, debtor_name=WEIRD, id_number=WEIRD, role=3,
                   matched_name=WEIRD, level=2, score=0.5, reasons=[], court="")
    response.results.add(ref="4", status=pb.MATCH_STATUS_ERROR, error="bad row: " + WEIRD)
    response.results.add(ref="R5", status=pb.MATCH_STATUS_ERROR, error="=cmd")
    six = response.results.add(ref="R6", status=99)
    six.hits.add(case_number="c", debtor_name="d", role=1, level=1, score=0.125,
                 measure=_measure("reaches the listed debtor", officers=True))
    six.hits.add(case_number="z", score=0.0)
    six.hits.add(case_number="m", score=-0.0)
    six.hits.add(case_number="n", score=float("nan"))
    six.hits.add(case_number="r", score=0.123449999)
    return queries, response


def _reference(path: Path, queries: list[tuple[str, str, str]],
               response: pb.BatchMatchResponse) -> bytes:
    with open_writer(path) as writer:
        for (ref, name, id_number), res in zip(queries, response.results, strict=True):
            status = batch.STATUS_NAMES.get(res.status, "error")
            result: dict[str, Any] = {"ref": ref or res.ref, "status": status,
                                      "query": {"name": name, "id_number": id_number},
                                      "hits": [batch.hit_dict(h) for h in res.hits]}
            if status == "error":
                result["error"] = res.error
            writer.write(result)
    return path.read_bytes()


def _fast(path: Path, queries: list[tuple[str, str, str]], response: pb.BatchMatchResponse,
          times: int = 1) -> bytes:
    with open_writer(path) as writer:
        formatter = batch._CsvRows() if isinstance(writer, CsvWriter) else batch._JsonLines()
        view = batch.view_class(formatter.hit_fields)
        for _ in range(times):
            decoded: Any = view.FromString(response.SerializeToString())
            formatter.write(writer, queries, decoded.results)
    return path.read_bytes()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_fast_output_is_byte_identical(tmp_path: Path, suffix: str) -> None:
    """Escapes, formula quoting, unknown enums, empty and absent measures: all the same."""
    queries, response = _response()
    expected = _reference(tmp_path / f"ref{suffix}", queries, response)
    assert _fast(tmp_path / f"fast{suffix}", queries, response) == expected


def test_measure_cache_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """More distinct measures than the cache holds: output still right, cache cleared."""
    monkeypatch.setattr(batch, "_MEASURE_CACHE_SIZE", 2)
    queries, response = _response()
    expected = _reference(tmp_path / "ref.jsonl", queries, response)
    assert _fast(tmp_path / "fast.jsonl", queries, response, times=3) == expected * 3


def test_wrong_number_of_results_is_an_error(tmp_path: Path) -> None:
    """A response with fewer results than rows sent fails rather than shifting rows."""
    queries, response = _response()
    del response.results[-1]
    with pytest.raises(ValueError):
        _fast(tmp_path / "fast.jsonl", queries, response)
    assert not (tmp_path / "fast.jsonl").exists()


def test_view_keeps_the_real_field_numbers() -> None:
    """The view decodes what the real message encodes, measure as its bytes."""
    _, response = _response()
    view: Any = batch.view_class(batch._JSONL_HIT_FIELDS).FromString(
        response.SerializeToString())
    real = response.results[0].hits[0]
    hit = view.results[0].hits[0]
    assert (hit.case_number, hit.role, hit.score, list(hit.reasons), hit.court) == (
        real.case_number, real.role, real.score, list(real.reasons), real.court)
    assert pb.MeasureApplication.FromString(hit.measure) == real.measure
