"""Work per query stays bounded on common names, and the answers stay right.

A list of a million records has hundreds of people of one name; these tests
build such crowds on a real index and check which candidates the engine
reads (``candidates_seen``) and what it answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shixin.matching import Query, match
from shixin.store import ReadView
from tests.matching.factory import TODAY, organization, person, rid, snapshot

CROWD = 60
# Men (odd 17th digit), as the query's ID says: a gender mismatch would drop a homonym.
SAME_DAY = rid("45020219800101301")  # born the same day as QUERY_ID
SAME_DAY_ELSEWHERE = rid("45060219800101303")  # same day, another region: reported too
SAME_YEAR_REGION = rid("45020219801231303")  # same year, same region code
SAME_YEAR_ELSEWHERE = rid("45060219800202305")  # same year, another region: not reported
QUERY_ID = rid("45020219800101999")  # not on the list


def _crowd_id(i: int) -> str:
    year = 1950 + i % 40 if 1950 + i % 40 != 1980 else 1979
    return rid(f"4503021{year % 1000:03d}0{1 + i % 9}1{i % 9}{i:03d}")


@pytest.fixture
def view(tmp_path: Path) -> Iterator[ReadView]:
    """60 people named 王芳 born in other years, two born in 1980, one typo-away name."""
    records = [person(f"(2025)桂0202执{100 + i}号", "王芳", _crowd_id(i)) for i in range(CROWD)]
    records.append(person("(2025)桂0202执1号", "王芳", SAME_DAY))
    records.append(person("(2025)桂0202执2号", "王芳", SAME_YEAR_REGION))
    records.append(person("(2025)桂0202执3号", "王芳", SAME_DAY_ELSEWHERE))
    records.append(person("(2025)桂0202执6号", "王芳", SAME_YEAR_ELSEWHERE))
    records += [person(f"(2025)桂0202执{300 + i}号", f"王芳{c}") for i, c in enumerate("甲乙丙")]
    records.append(person("(2025)桂0202执4号", "欧阳晓明", rid("45020219700101304")))
    records.append(person("(2025)桂0202执5号", "欧阳小明", rid("45020219700101305")))
    records.append(person("(2025)桂0202执7号", "欧阳晓朋", rid("45020219700101307")))
    with snapshot(tmp_path / "index", records) as snap:
        yield snap


def test_homonyms_with_another_id_are_found_by_birth_not_by_reading_the_crowd(
        view: ReadView) -> None:
    """An unlisted ID + a common name: only homonyms born alike are read and reported."""
    result = match(view, Query(name="王芳", id_number=QUERY_ID), today=TODAY)
    found = {h.party.id_compact for h in result.hits}
    assert found == {SAME_DAY, SAME_DAY_ELSEWHERE, SAME_YEAR_REGION}
    assert all(h.level == "candidate" for h in result.hits)
    assert result.candidates_seen < 10  # the crowd of 60 was never read


def test_homonym_seek_ignores_the_posting_cap(view: ReadView) -> None:
    """A cap of 3 postings per key still reaches the homonym born the same day."""
    result = match(view, Query(name="王芳", id_number=QUERY_ID), today=TODAY, max_postings=3)
    assert SAME_DAY in {h.party.id_compact for h in result.hits}


def test_definitive_id_reads_no_name_keys(view: ReadView) -> None:
    result = match(view, Query(name="王芳", id_number=SAME_DAY), today=TODAY)
    assert result.status == "hit"
    assert [h.party.id_compact for h in result.hits] == [SAME_DAY]
    assert result.candidates_seen == 1


def test_name_only_stops_after_max_hits_exact_homonyms(view: ReadView) -> None:
    result = match(view, Query(name="王芳"), today=TODAY, max_hits=5)
    assert len(result.hits) == 5
    assert all(h.party.name == "王芳" and h.score == 0.75 for h in result.hits)
    assert result.candidates_seen == 5


def test_name_only_reads_typo_keys_only_without_a_sound_alike_hit(view: ReadView) -> None:
    """欧阳晓明 is listed with a homophone (a p: key, read) and a typo neighbour (not read)."""
    exact = match(view, Query(name="欧阳晓明"), today=TODAY)
    assert {h.party.name for h in exact.hits} == {"欧阳晓明", "欧阳小明"}
    typo = match(view, Query(name="欧阳晓东"), today=TODAY)  # not listed: typo keys are read
    assert {h.party.name for h in typo.hits} == {"欧阳晓明", "欧阳晓朋"}
    many = match(view, Query(name="王芳"), today=TODAY, max_hits=100)
    assert "王芳甲" not in {h.party.name for h in many.hits}
    assert len(many.hits) == CROWD + 4


@pytest.fixture
def near_names(tmp_path: Path) -> Iterator[ReadView]:
    """30 people listed without an ID number whose names differ from 李士鹏 in one character,
    and one whose name has one character more; the same for the organisation core 鑫达贸易."""
    others = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
    records = [person(f"(2025)桂0202执{500 + i}号", f"李士{c}") for i, c in enumerate(others)]
    records.append(person("(2025)桂0202执600号", "李士鹏飞"))
    others = others.replace("一", "冬").replace("乙", "夏")  # 一, 乙 sound like 易: homophones
    records += [organization(f"(2025)桂0202执{700 + i}号", f"柳州市鑫达贸{c}有限公司")
                for i, c in enumerate(others)]
    records.append(organization("(2025)桂0202执800号", "柳州市鑫达贸易丰有限公司"))
    with snapshot(tmp_path / "index", records) as snap:
        yield snap


def test_short_names_one_character_apart_are_not_read(near_names: ReadView) -> None:
    """Three-character names one substitution apart score 2/3, under NAME_CANDIDATE: not read.

    The name one character longer still is (its edit similarity is 3/4).
    """
    for query in (Query(name="李士鹏", id_number=QUERY_ID), Query(name="李士鹏", kind="person")):
        result = match(near_names, query, today=TODAY)
        assert [h.party.name for h in result.hits] == ["李士鹏飞"]
        assert result.candidates_seen == 1, query


def test_short_cores_one_character_apart_are_not_read(near_names: ReadView) -> None:
    """Four-character cores one substitution apart score 0.9 × 3/4, under NAME_CANDIDATE."""
    result = match(near_names, Query(name="柳州市鑫达贸易有限公司", kind="organization"),
                   today=TODAY)
    assert [h.party.name for h in result.hits] == ["柳州市鑫达贸易丰有限公司"]
    assert result.candidates_seen == 1


def test_a_query_of_unknown_kind_reads_every_typo_key(near_names: ReadView) -> None:
    """Without a kind the d: keys may meet organisation cores, so all are read (same answer)."""
    result = match(near_names, Query(name="李士鹏"), today=TODAY)
    assert [h.party.name for h in result.hits] == ["李士鹏飞"]
    assert result.candidates_seen == 31
