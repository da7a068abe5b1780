"""Index keys for candidate retrieval.

Every listed name is stored under a few short string keys; a query computes
the keys its variants would have and looks them up, so no scan is needed.
Keys are ``<prefix>:<value>``, UTF-8, at most :data:`MAX_KEY_BYTES` bytes.

====== ============================================================
prefix value
====== ============================================================
``n:`` normalised person name (Chinese)
``p:`` person pinyin key (Chinese names, Latin spellings)
``o:`` normalised full organisation name
``c:`` organisation core (no region, legal form, branch); also the
       alternative core when the name starts with a bare county name
``q:`` pinyin key of the organisation core
``d:`` one character deleted (person name ≥ 3 / org core ≥ 4 chars)
``b:`` first half of a long name (person name / org core ≥ 10 chars)
``e:`` second half of a long name
====== ============================================================

Typo tolerance is SymSpell-style: the index stores each one-character
deletion ``d:``; a query of length m emits its own deletions (same-length
substitution), ``d:<itself>`` (query lost a character) and ``n:``/``c:`` of
its deletions (query gained one).  Names longer than
:data:`MAX_DELETE_LENGTH` store two halves instead (a single edit leaves one
half intact), which keeps every name at ≤ 12 keys (13 for an organisation
with an alternative core).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from shixin.names.org import latin_org_keys, parse_org
from shixin.names.person import has_han, normalize_person
from shixin.names.pinyin import (
    core_pinyin_key,
    latin_key,
    latin_query_keys,
    person_pinyin_keys,
)

__all__ = [
    "KEY_STRENGTH",
    "MAX_DELETE_LENGTH",
    "MAX_KEY_BYTES",
    "by_strength",
    "org_index_keys",
    "person_index_keys",
    "query_keys",
]

MAX_KEY_BYTES = 480
MAX_DELETE_LENGTH = 9
PERSON_FUZZY_MIN = 3
ORG_FUZZY_MIN = 4
KINDS = ("person", "organization")

# Lookup order for a candidate budget: exact forms first, then spellings and
# sounds, then typo keys (whose postings are the largest and weakest).
KEY_STRENGTH: dict[str, int] = {"n": 0, "o": 0, "c": 1, "p": 2, "q": 2, "d": 3, "b": 4, "e": 4}
# Index keys are computed once per record, so only queries are cached.
_QUERY_CACHE_SIZE = 8_192


def _key(prefix: str, value: str) -> str:
    if len(value) * 4 > MAX_KEY_BYTES:  # UTF-8 uses at most 4 bytes per character
        raw = value.encode("utf-8")
        if len(raw) > MAX_KEY_BYTES:
            value = raw[:MAX_KEY_BYTES].decode("utf-8", errors="ignore")
    return prefix + ":" + value


def _has_word(text: str) -> bool:
    """Whether a name has any letter or digit (punctuation alone is no name)."""
    return any(c.isalnum() for c in text)


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


def _halves(text: str, length: int) -> tuple[str, str]:
    """Begin and end halves of a name of ``length`` chars, taken from ``text``."""
    head = length // 2
    return text[:head], text[len(text) - (length - head) :]


def _fuzzy_index_keys(text: str, min_length: int) -> set[str]:
    if len(text) < min_length:
        return set()
    if len(text) <= MAX_DELETE_LENGTH:
        return {_key("d", d) for d in _deletions(text)}
    begin, end = _halves(text, len(text))
    return {_key("b", begin), _key("e", end)}


def _fuzzy_query_keys(text: str, min_length: int, exact_prefix: str) -> set[str]:
    """Keys meeting any listed name one edit away from ``text``."""
    m = len(text)
    keys: set[str] = set()
    if m < min_length:
        return keys
    deletions = _deletions(text)
    if m <= MAX_DELETE_LENGTH:  # substitution: listed name of length m
        keys.update(_key("d", d) for d in deletions)
    if m + 1 <= MAX_DELETE_LENGTH:  # query lost a character
        keys.add(_key("d", text))
    if m - 1 >= min_length:  # query gained a character
        keys.update(_key(exact_prefix, d) for d in deletions)
    for listed_length in (m - 1, m, m + 1):
        if listed_length > MAX_DELETE_LENGTH and listed_length >= min_length:
            begin, end = _halves(text, listed_length)
            keys.update((_key("b", begin), _key("e", end)))
    return keys


def person_index_keys(name: str) -> frozenset[str]:
    """Keys under which a listed person is stored.

    Chinese names: ``n:`` (normalised), ``p:`` (pinyin, one or two keys) and
    fuzzy ``d:``/``b:``/``e:`` keys.  Latin-script names: ``p:`` with the
    tokens concatenated in the listed order.

    Args:
        name: The listed name.

    Returns:
        At most 12 keys; empty for a name without letters.

    >>> sorted(person_index_keys("张伟"))
    ['n:张伟', 'p:zhangwei']
    >>> sorted(person_index_keys("张晓明"))
    ['d:张明', 'd:张晓', 'd:晓明', 'n:张晓明', 'p:zhangxiaoming']
    >>> sorted(person_index_keys("ZHANG Wei"))
    ['p:zhangwei']
    """
    norm = normalize_person(name)
    if not norm:
        return frozenset()
    if not has_han(norm):
        key = latin_key(norm)
        return frozenset({_key("p", key)} if key else ())
    keys = {_key("n", norm)}
    keys.update(_key("p", k) for k in person_pinyin_keys(norm))
    keys.update(_fuzzy_index_keys(norm, PERSON_FUZZY_MIN))
    return frozenset(keys)


def org_index_keys(name: str) -> frozenset[str]:
    """Keys under which a listed organisation is stored.

    ``o:`` (normalised full name), ``c:`` (core, and the alternative core
    of a name starting with a bare county name), ``q:`` (pinyin of the core)
    and fuzzy ``d:``/``b:``/``e:`` keys of the core.

    Args:
        name: The listed name.

    Returns:
        At most 13 keys.

    >>> sorted(org_index_keys("柳州市鑫达贸易有限公司"))  # doctest: +NORMALIZE_WHITESPACE
    ['c:鑫达贸易', 'd:达贸易', 'd:鑫贸易', 'd:鑫达易', 'd:鑫达贸',
     'o:柳州市鑫达贸易有限公司', 'q:xindamaoyi']
    """
    parts = parse_org(name)
    if not _has_word(parts.normalized):
        return frozenset()
    keys = {_key("o", parts.normalized), _key("c", parts.core)}
    if parts.alt_core:
        keys.add(_key("c", parts.alt_core))
    if has_han(parts.core):
        keys.add(_key("q", core_pinyin_key(parts.core)))
        keys.update(_fuzzy_index_keys(parts.core, ORG_FUZZY_MIN))
    elif latin := latin_key(parts.core):
        keys.add(_key("q", latin))
    return frozenset(keys)


def _person_query_keys(name: str) -> set[str]:
    norm = normalize_person(name)
    if not norm:
        return set()
    if not has_han(norm):
        return {_key("p", k) for k in latin_query_keys(norm)}
    keys = {_key("n", norm)}
    keys.update(_key("p", k) for k in person_pinyin_keys(norm))
    keys.update(_fuzzy_query_keys(norm, PERSON_FUZZY_MIN, "n"))
    return keys


def _org_query_keys(name: str) -> set[str]:
    parts = parse_org(name)
    if not _has_word(parts.normalized):
        return set()
    keys = {_key("o", parts.normalized), _key("c", parts.core)}
    if parts.alt_core:
        keys.add(_key("c", parts.alt_core))
    if has_han(parts.core):
        keys.add(_key("q", core_pinyin_key(parts.core)))
        keys.update(_fuzzy_query_keys(parts.core, ORG_FUZZY_MIN, "c"))
    else:
        keys.update(_key("q", k) for k in latin_org_keys(name))
        if latin := latin_key(parts.core):
            keys.add(_key("q", latin))
    return keys


@lru_cache(maxsize=_QUERY_CACHE_SIZE)
def query_keys(name: str, kind: str | None = None) -> frozenset[str]:
    """Keys to look up for a query so that every listed variant is reached.

    Traditional, full-width and separator variants meet ``n:``/``o:``/``c:``;
    Latin spellings in any token order meet ``p:``/``q:``; homophones meet
    ``p:``/``q:``; one wrong, missing or extra character meets ``d:`` (or
    ``b:``/``e:`` for long names).

    Args:
        name: The query name as typed.
        kind: ``"person"``, ``"organization"`` or None for both.

    Returns:
        The keys (typically 5–20).

    Raises:
        ValueError: For an unknown ``kind``.

    >>> person_index_keys("张伟") <= query_keys("張　偉", "person")
    True
    >>> "p:zhangwei" in query_keys("Wei ZHANG", "person")
    True
    >>> bool(org_index_keys("柳州市鑫达贸易有限公司") & query_keys("鑫達貿易（柳州）有限公司"))
    True
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown name kind {kind!r}; expected one of {KINDS}")
    keys: set[str] = set()
    if kind in (None, "person"):
        keys |= _person_query_keys(name)
    if kind in (None, "organization"):
        keys |= _org_query_keys(name)
    return frozenset(keys)


def by_strength(keys: Iterable[str]) -> list[str]:
    """Keys ordered strongest first (then alphabetically), for budgeted lookups.

    >>> by_strength(["d:张明", "p:zhangxiaoming", "n:张晓明"])
    ['n:张晓明', 'p:zhangxiaoming', 'd:张明']
    """
    return sorted(keys, key=lambda key: (KEY_STRENGTH.get(key[:1], 5), key))
