"""Stored documents: their encoding and the memoised lifecycle status."""

from __future__ import annotations

from datetime import date

from shixin.lifecycle import status
from shixin.records import parse_record
from shixin.store.documents import StoredRecord, build_document, dumps, loads

RECORD = {"case_number": "(2020)桂0202执1号",
          "debtor": {"kind": "person", "name": "张三", "id_number": "450202198001011232"},
          "court": "柳州市城中区人民法院", "basis_document_number": "(2019)桂0202民初1号",
          "basis_issuer": "柳州市城中区人民法院", "obligation": "支付货款1200元",
          "performance": "全部未履行", "circumstances": "违反财产报告制度",
          "published_on": "2020-03-01", "expires_on": "2023-03-01"}


def test_dumps_is_compact_sorted_utf8_and_loads_inverts_it() -> None:
    """Keys sorted, no spaces, Chinese kept as UTF-8; loads gives the object back."""
    raw = dumps({"b": "张", "a": [1, None]})
    assert raw == '{"a":[1,null],"b":"张"}'.encode()
    assert loads(raw) == {"a": [1, None], "b": "张"}


def test_status_matches_the_lifecycle_for_every_day() -> None:
    """The memoised status is the lifecycle's, before, during and after the listing."""
    rec = StoredRecord(build_document(parse_record(RECORD), [], 1))
    for day in (date(2020, 2, 1), date(2020, 3, 1), date(2023, 3, 1), date(2023, 3, 2)):
        assert rec.status(day) == status(rec.published_on, rec.expires_on, rec.events, day)
    assert rec.status(date(2023, 3, 2)).state.value == "expired"
