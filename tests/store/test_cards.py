"""Party cards and posting tags, written by the real writer into a real index."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from shixin.records import parse_record
from shixin.store import ReadView, Store, Writer
from shixin.store.cards import NO_BIRTH, NO_ID, birth_tag, year_range

TODAY = date(2026, 11, 24)
PERSON: dict[str, Any] = {"case_number": "(2020)桂0202执1号",
          "debtor": {"kind": "person", "name": "张\x1f三", "id_number": "450202198001011232",
                     "gender": "男"},
          "court": "柳州市城中区人民法院", "published_on": "2020-03-01",
          "expires_on": "2027-03-01",
          "related_persons": []}
COMPANY: dict[str, Any] = {"case_number": "(2020)桂0202执2号",
           "debtor": {"kind": "organization", "name": "柳州市鑫达贸易有限公司",
                      "id_number": "91450200MA5L0BXX7D"},
           "court": "柳州市城中区人民法院", "published_on": "2020-03-01",
           "related_persons": [{"role": "legal_representative", "name": "李四"},
                               {"role": "director", "name": "王五",
                                "id_number": "450202198505051234"}]}


def _store(tmp_path: Path, *records: dict[str, Any]) -> Store:
    store = Store(tmp_path / "ix")
    with store.write_txn() as txn:
        writer = Writer(store, txn, today=TODAY, principal="test")
        for obj in records:
            writer.put_record(parse_record(obj))
    return store


def test_tags_sort_as_birth_dates_and_ranges_cover_a_year() -> None:
    early, late = birth_tag(date(1980, 1, 1), "450202"), birth_tag(date(1980, 12, 31), "110101")
    assert NO_ID < NO_BIRTH < early < late
    low, high = year_range(1980)
    assert low <= early[:4] <= late[:4] <= high
    assert not low <= birth_tag(date(1981, 1, 1), "450202")[:4] <= high


def test_cards_say_what_a_hit_shows_and_survive_separators(tmp_path: Path) -> None:
    store = _store(tmp_path, PERSON, COMPANY)
    with store.read_txn() as txn:
        view = ReadView(store, txn)
        [(rid, party)] = view.postings("ric:450202198001011232", 5)
        card = view.card(rid, party)
        assert card is not None
        assert card.party.name == "张 三"  # the field separator cannot break a card
        assert card.record.case_number == "(2020)桂0202执1号"
        assert card.birth_date == date(1980, 1, 1) and card.region == "450202"
        assert card.gender == "男"
        assert card.live_on(TODAY) is True and card.live_on(date(2027, 3, 2)) is False
        status = card.status(TODAY)
        assert status is not None and status.state.value == "active"
        # the company's parties: tags say which has no ID, which has one without a birth date
        [(cid, _)] = view.postings("uscc:91450200MA5L0BXX7D", 5)
        tagged = dict((p, t) for t, p in view.tagged_postings("n:李四", 5))
        assert tagged[(cid, 1)] == NO_ID
        assert view.card(cid, 2) is not None and view.card(cid, 3) is None


def test_a_new_version_with_fewer_parties_drops_their_cards_and_postings(tmp_path: Path) -> None:
    store = _store(tmp_path, COMPANY)
    with store.write_txn() as txn:
        Writer(store, txn, today=TODAY, principal="test").put_record(
            parse_record({**COMPANY, "related_persons": []}))
    with store.read_txn() as txn:
        view = ReadView(store, txn)
        [(cid, _)] = view.postings("uscc:91450200MA5L0BXX7D", 5)
        assert view.card(cid, 0) is not None and view.card(cid, 1) is None
        assert view.postings("n:王五", 5) == [] and view.postings("ric:450202198505051234", 5) == []


def test_an_event_moves_the_cards_live_interval(tmp_path: Path) -> None:
    store = _store(tmp_path, PERSON)
    with store.write_txn() as txn:
        Writer(store, txn, today=TODAY, principal="test").put_event(
            {"case_number": PERSON["case_number"], "id_number": "450202198001011232",
             "event": "shield", "effective_on": "2026-11-20", "reason": "全部履行完毕"})
    with store.read_txn() as txn:
        view = ReadView(store, txn)
        [(rid, party)] = view.postings("ric:450202198001011232", 5)
        card = view.card(rid, party)
        assert card is not None and card.live_on(TODAY) is False
        assert card.live_on(date(2026, 11, 19)) is None  # before the event: replay to know
        status = card.status(TODAY)
        assert status is not None and status.state.value == "shielded"
        assert card.record.current_period() == 0 and not card.record.live
