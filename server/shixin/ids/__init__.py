"""Identity numbers as people write them: parse, validate, and key for matching.

Resident IDs (GB 11643), unified social credit codes (GB 32100), organisation
codes (GB 11714), and passports and permits as opaque strings.

>>> p = parse("4502021980****1232")
>>> p.kind.value, p.masked, [k.key for k in query_keys(p)]
('resident_id', True, ['ricm:45020219801232'])
"""

from shixin.ids.keys import ID_KEY_PREFIXES, QueryKey, index_keys, query_keys
from shixin.ids.kind import IdKind
from shixin.ids.parse import ParsedId, parse
from shixin.ids.ric import mask

__all__ = [
    "ID_KEY_PREFIXES",
    "IdKind",
    "ParsedId",
    "QueryKey",
    "index_keys",
    "mask",
    "parse",
    "query_keys",
]
