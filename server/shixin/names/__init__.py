"""Person and organisation name normalisation, index keys and comparison.

Pure functions, cached where they sit on the query hot path or run once per
record at import.  Heavy dependencies (pypinyin, OpenCC) load on first use.
"""

from shixin.names.compare import NameScore, compare_org, compare_person, substitution_ceiling
from shixin.names.fold import fold, to_simplified
from shixin.names.keys import by_strength, org_index_keys, person_index_keys, query_keys
from shixin.names.org import OrgName, latin_org_keys, normalize_org, org_core, parse_org
from shixin.names.person import has_han, is_latin, latin_tokens, normalize_person
from shixin.names.pinyin import (
    latin_key,
    latin_query_keys,
    org_pinyin_key,
    person_pinyin_keys,
    pinyin_key,
    syllables,
)
from shixin.names.regions import Region, regions_compatible

__all__ = [
    "NameScore",
    "OrgName",
    "Region",
    "by_strength",
    "compare_org",
    "compare_person",
    "fold",
    "has_han",
    "is_latin",
    "latin_key",
    "latin_org_keys",
    "latin_query_keys",
    "latin_tokens",
    "normalize_org",
    "normalize_person",
    "org_core",
    "org_index_keys",
    "org_pinyin_key",
    "parse_org",
    "person_index_keys",
    "person_pinyin_keys",
    "pinyin_key",
    "query_keys",
    "regions_compatible",
    "substitution_ceiling",
    "syllables",
    "to_simplified",
]
