"""Index and query keys that let the LMDB index find identity numbers.

A listed record's number is stored under every key in ``index_keys``; a query
looks up every key in ``query_keys``, each saying how a hit relates to the
query. Keys are ``<prefix><value>`` strings (see ``ID_KEY_PREFIXES``).

``exact`` on a query key means a hit needs no further evidence: the same
number (or the same organisation code) as the given kind reads it. Masked
forms, typo candidates, the same characters under another opaque kind, and a
reading other than the given kind (``plain_reading``) are never exact.

An invalid number is indexed and queried under its compact form too, so an
identical record is still found. A listed number whose check fails is also
stored under ``rict:``/``uscct:``/``oct:`` + each valid number one typo away,
which a valid query looks up; a query whose check fails looks up its own
candidates directly. Placeholders (无, NULL, 000…) get no keys at all: they
would join unrelated records.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from shixin.ids import orgcode, ric, uscc
from shixin.ids._text import is_placeholder, isdigits
from shixin.ids.kind import KIND_NAMES, OPAQUE_KINDS, IdKind
from shixin.ids.parse import ParsedId, plain_reading

__all__ = ["ID_KEY_PREFIXES", "MAX_KEY_BYTES", "QueryKey", "index_keys", "query_keys"]

MatchKind = Literal["exact", "legacy", "org_code", "masked", "typo"]

#: Every key prefix and what follows it.
ID_KEY_PREFIXES: Final = MappingProxyType(
    {
        "ric:": "resident ID, 18 characters (15-digit legacy IDs converted)",
        "ricm:": "resident ID as masked by the national platform: first 10 + last 4 characters",
        "rict:": "valid resident ID one typo away from a listed ID whose check fails",
        "uscc:": "unified social credit code, 18 characters",
        "uscct:": "valid USCC one typo away from a listed USCC whose check fails",
        "oc:": "organisation code, 9 characters without hyphen (alone or embedded in a USCC)",
        "oct:": "valid organisation code one typo away from a listed code whose check fails",
        **{f"{kind.value}:": f"{KIND_NAMES[kind]}, compact" for kind in sorted(OPAQUE_KINDS)},
    }
)
#: Longer keys are replaced by ``<prefix>#<hash>`` (LMDB keys stop at 511 bytes).
MAX_KEY_BYTES: Final = 200

_CHECKS: Final = "0123456789X"
_AS_RESIDENT: Final = "read as a resident ID: "
_AS_USCC: Final = "read as a USCC: "


@dataclass(frozen=True, slots=True)
class QueryKey:
    """An index key to look up for a query, and what a hit on it would mean."""

    key: str
    match: MatchKind
    exact: bool
    reason: str


def make_key(prefix: str, value: str) -> str:
    """Join prefix and value, hashing values too long (or not encodable) for LMDB.

    >>> make_key("other:", "E12345678"), make_key("other:", "X" * 300)[:10]
    ('other:E12345678', 'other:#14e')
    >>> len(make_key("other:", "\\ud800"))  # a lone surrogate cannot be encoded
    39

    """
    key = prefix + value
    if key.isascii() and len(key) <= MAX_KEY_BYTES:
        return key
    try:
        if len(key.encode()) <= MAX_KEY_BYTES:
            return key
    except UnicodeEncodeError:  # lone surrogates: keep them, but hashed
        pass
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16)
    return f"{prefix}#{digest.hexdigest()}"


def _full_resident(number: str) -> bool:
    return len(number) == 18 and isdigits(number[:17]) and number[17] in _CHECKS


def _masked_value(number: str) -> str:
    return number[:10] + number[14:] if ric.is_masked(number) else number


def _typo_links(number: str) -> list[str]:
    # An 18-digit number may be a resident ID or a USCC: link it to valid ones of both.
    return [
        *("rict:" + t.number for t in ric.typos(number)),
        *("uscct:" + t.number for t in uscc.typos(number)),
    ]


def _own_index_keys(p: ParsedId) -> list[str]:
    number = p.compact
    if not number or is_placeholder(number):
        return []
    if p.kind is IdKind.RESIDENT_ID:
        if p.masked:
            return [make_key("ricm:", _masked_value(number))]
        keys = [make_key("ric:", number)]
        if _full_resident(number):
            keys.append("ricm:" + number[:10] + number[14:])
        return keys + ([] if p.valid else _typo_links(number))
    if p.kind is IdKind.USCC:
        keys = [make_key("uscc:", number)]
        if len(number) == 18:
            keys.append(make_key("oc:", number[8:17]))
        return keys + ([] if p.valid else _typo_links(number))
    if p.kind is IdKind.ORG_CODE:
        keys = [make_key("oc:", number)]
        if not p.valid:
            keys.extend("oct:" + t.number for t in orgcode.typos(number))
        return keys
    return [make_key(f"{p.kind.value}:", number)]


def index_keys(p: ParsedId) -> list[str]:
    """Return the keys under which a listed record's number is stored.

    >>> from shixin.ids.parse import parse
    >>> index_keys(parse("450202800101123"))
    ['ric:450202198001011232', 'ricm:45020219801232']
    >>> index_keys(parse("91110000600037341L"))
    ['uscc:91110000600037341L', 'oc:600037341']
    >>> index_keys(parse("4502021980****1232"))
    ['ricm:45020219801232']
    """
    keys = _own_index_keys(p)
    alternative = plain_reading(p)
    if alternative is not None:
        keys += _own_index_keys(alternative)
    return list(dict.fromkeys(keys))


def _own_number_key(p: ParsedId, prefix: str, same: str) -> QueryKey:
    key = make_key(prefix, p.compact)
    if not p.valid:
        return QueryKey(key, "exact", True, f"identical number, though invalid ({p.problem})")
    if p.legacy:
        return QueryKey(key, "legacy", True, f"{same} (the query's 15 digits converted to 18)")
    return QueryKey(key, "exact", True, same)


def _resident_query_keys(p: ParsedId) -> list[QueryKey]:
    number = p.compact
    if p.masked:
        if ric.is_masked(number):
            reason = "first 10 and last 4 characters agree (the query is masked)"
        else:
            reason = "identical masked form"
        return [QueryKey(make_key("ricm:", _masked_value(number)), "masked", False, reason)]
    keys = [_own_number_key(p, "ric:", "same resident ID")]
    if _full_resident(number):
        reason = "a masked record shows the same first 10 and last 4 characters"
        keys.append(QueryKey("ricm:" + number[:10] + number[14:], "masked", False, reason))
    if p.valid:
        reason = "a listed ID whose check fails is one typo away from this one"
        keys.append(QueryKey("rict:" + number, "typo", False, reason))
        return keys
    keys.extend(QueryKey("ric:" + t.number, "typo", False, t.reason) for t in ric.typos(number))
    # All digits: a mistyped USCC may fail as a resident ID; its candidates are searched too.
    found = uscc.typos(number)
    keys.extend(QueryKey("uscc:" + t.number, "typo", False, f"{_AS_USCC}{t.reason}") for t in found)
    if len(number) == 17 and isdigits(number):
        check = ric.calc_check_digit(number)
        if not isinstance(ric.check_birth_date(number[6:14]), str):
            reason = f"check character missing (it would be {check})"
            keys.append(QueryKey(f"ric:{number}{check}", "typo", False, reason))
    return keys


def _uscc_query_keys(p: ParsedId) -> list[QueryKey]:
    number = p.compact
    keys = [_own_number_key(p, "uscc:", "same USCC")]
    if len(number) == 18:
        code = number[8:17]
        reason = f"same organisation code {orgcode.format(code)} (alone or inside a USCC)"
        keys.append(QueryKey(make_key("oc:", code), "org_code", p.valid, reason))
    if p.valid:
        reason = "a listed USCC whose check fails is one typo away from this one"
        keys.append(QueryKey("uscct:" + number, "typo", False, reason))
    else:
        found = uscc.typos(number)
        keys.extend(QueryKey("uscc:" + t.number, "typo", False, t.reason) for t in found)
    if _full_resident(number):
        # All digits: a mistyped resident ID can pass the MOD 31 check by chance (1 in 31).
        found = ric.typos(number)
        keys.extend(QueryKey("ric:" + t.number, "typo", False, f"{_AS_RESIDENT}{t.reason}")
                    for t in found)  # fmt: skip
    return keys


def _org_code_query_keys(p: ParsedId) -> list[QueryKey]:
    number = p.compact
    key = make_key("oc:", number)
    if p.valid:
        reason = "same organisation code (alone or inside a USCC)"
        keys = [QueryKey(key, "org_code", True, reason)]
        reason = "a listed code whose check fails is one typo away from this one"
        keys.append(QueryKey("oct:" + number, "typo", False, reason))
        return keys
    reason = f"identical organisation code, though invalid ({p.problem})"
    keys = [QueryKey(key, "org_code", True, reason)]
    found = orgcode.typos(number)
    keys.extend(QueryKey("oc:" + t.number, "typo", False, t.reason) for t in found)
    return keys


def _opaque_query_keys(p: ParsedId) -> list[QueryKey]:
    keys = [_own_number_key(p, f"{p.kind.value}:", f"same {KIND_NAMES[p.kind].split(' ', 1)[1]}")]
    for kind in sorted(OPAQUE_KINDS - {p.kind}):
        reason = f"same characters, recorded as {KIND_NAMES[kind]}"
        keys.append(QueryKey(make_key(f"{kind.value}:", p.compact), "exact", False, reason))
    return keys


def _own_query_keys(p: ParsedId) -> list[QueryKey]:
    if not p.compact or is_placeholder(p.compact):
        return []
    if p.kind is IdKind.RESIDENT_ID:
        return _resident_query_keys(p)
    if p.kind is IdKind.USCC:
        return _uscc_query_keys(p)
    if p.kind is IdKind.ORG_CODE:
        return _org_code_query_keys(p)
    return _opaque_query_keys(p)


def query_keys(p: ParsedId) -> list[QueryKey]:
    """Return the keys to look up for a query, best first, each explaining a hit.

    A valid number gets its own and derived keys; one whose check fails also
    gets every valid number one typo away (``match="typo"``). An all-digit USCC
    also gets the resident IDs one typo away: it may be a mistyped resident ID
    that passes the USCC check by chance. Keys of a reading other than the given
    kind (``plain_reading``) are never exact.

    >>> from shixin.ids.parse import parse
    >>> [(k.key, k.match, k.exact) for k in query_keys(parse("450202198001011232"))]
    [('ric:450202198001011232', 'exact', True), ('ricm:45020219801232', 'masked', False), \
('rict:450202198001011232', 'typo', False)]
    >>> typos = [k for k in query_keys(parse("450202198001011223")) if k.match == "typo"]
    >>> len(typos), typos[-1].key, typos[-1].reason
    (11, 'ric:450202198001011232', 'digits 17 and 18 swapped')
    """
    keys = _own_query_keys(p)
    # The number plainly is of another kind than given: search that reading too, but
    # never as exact, since the caller said otherwise (typos of the given kind stay).
    alternative = plain_reading(p)
    if alternative is not None:
        name = KIND_NAMES[alternative.kind]
        keys += [
            QueryKey(k.key, k.match, False, f"read as {name}: {k.reason}")
            for k in _own_query_keys(alternative)
        ]
    unique: dict[str, QueryKey] = {}
    for key in keys:
        unique.setdefault(key.key, key)
    return list(unique.values())
