"""Toneless pinyin for Chinese names and pinyin keys for Latin queries.

Foreign banks, passports and typed queries spell Chinese names in pinyin
(``ZHANG Wei``, ``Wei Zhang``, ``zhangwei``, ``LYU Xiaoming``); the list holds
Chinese characters.  Both sides are reduced to one *pinyin key*: the
concatenated toneless syllables, lower case, with ü folded to ``u``.

Decisions:

* pypinyin is imported lazily (≈65 MB, ≈0.2 s) and consulted once per
  character; readings are cached per character, never per name.
* Person names are read character by character (no phrase lookup: given
  names are not dictionary words), except that the first character(s) use
  the surname reading when pypinyin's default differs (单→shan, 曾→zeng,
  区→ou, 尉迟→yuchi).  pypinyin 0.55 has no surname mode, hence the table.
* Organisation cores use phrase readings for two-character dictionary words
  containing a polyphonic character (银行→yinhang, 重庆→chongqing).
* ü is written ``v`` by :func:`syllables` (pypinyin's convention) but *keys*
  fold it to ``u``: queries write 吕 as ``lü``, ``lu:``, ``lv``, ``lyu``
  (passport spelling) or plain ``lu``, and all of them must reach 吕.  The
  price is that 吕/卢 (lü/lu) share a key; comparison sorts them out.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache, partial

from shixin.names.fold import fold
from shixin.names.person import has_han, normalize_person

__all__ = [
    "latin_key",
    "latin_query_keys",
    "org_pinyin_key",
    "person_pinyin_keys",
    "pinyin_key",
    "syllables",
]

_CACHE_SIZE = 65_536
_SMALL_CACHE_SIZE = 16_384

# Surname readings where pypinyin's default reading of the character differs.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan", "曾": "zeng", "区": "ou", "解": "xie", "仇": "qiu",
    "朴": "piao", "查": "zha", "盖": "ge", "覃": "qin", "乐": "yue",
    "缪": "miao", "翟": "zhai", "秘": "bi", "种": "chong", "繁": "po",
    "员": "yun", "句": "gou", "召": "shao", "祭": "zhai", "折": "she",
    "重": "chong", "蕃": "pi", "都": "du", "长": "chang", "藏": "zang",
    "隗": "wei", "炅": "gui", "颉": "xie", "薄": "bo", "阚": "kan",
    "卜": "bu", "佴": "nai", "粘": "nian", "蔚": "yu", "澹": "tan",
    "角": "jue", "乜": "nie",
}  # fmt: skip

# Two-character surnames whose per-character reading would be wrong.
COMPOUND_SURNAME_READINGS: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "乐正": ("yue", "zheng"),
}


@cache
def _readings_of() -> Callable[[str], list[list[str]]]:
    """Import pypinyin on first use only (it costs ≈65 MB and ≈0.2 s)."""
    from pypinyin import Style, pinyin

    return partial(pinyin, style=Style.NORMAL, heteronym=True, errors="ignore")


@cache
def _char_reading(char: str) -> tuple[str, bool]:
    """Default toneless reading of one character and whether it is polyphonic."""
    if not has_han(char):
        return (char if char.isalnum() else "", False)
    readings = _readings_of()(char)
    options: list[str] = readings[0] if readings else []
    if not options:
        return ("", False)
    return (options[0], len(options) > 1)


@cache
def _phrases() -> dict[str, list[list[str]]]:
    from pypinyin.constants import PHRASES_DICT

    phrases: dict[str, list[list[str]]] = PHRASES_DICT
    return phrases


@lru_cache(maxsize=_CACHE_SIZE)
def _phrase_reading(pair: str) -> tuple[str, str] | None:
    """Toneless reading of a two-character dictionary word, if it is one."""
    entry = _phrases().get(pair)
    if entry is None or len(entry) != 2:
        return None
    from pypinyin.contrib.tone_convert import to_normal

    first, second = (to_normal(entry[0][0]), to_normal(entry[1][0]))
    return (str(first), str(second))


def syllables(cjk_text: str, *, surname: bool = True) -> tuple[str, ...]:
    """Toneless pinyin of each character of a Chinese name.

    Characters are read one by one (readings cached per character); with
    ``surname`` the leading one or two characters get their surname reading.
    ü is written ``v``.  Non-Chinese letters and digits pass through
    lower-cased, everything else is skipped.

    Args:
        cjk_text: A (normalised) Chinese name.
        surname: Apply surname readings to the start of the name.

    Returns:
        One syllable per Chinese character.

    >>> syllables("张伟")
    ('zhang', 'wei')
    >>> syllables("单田芳"), syllables("曾小明")[0], syllables("区伟")[0]
    (('shan', 'tian', 'fang'), 'zeng', 'ou')
    >>> syllables("单田芳", surname=False)[0]
    'dan'
    >>> syllables("吕女士")
    ('lv', 'nv', 'shi')
    >>> syllables("尉迟恭")
    ('yu', 'chi', 'gong')
    """
    out = [_char_reading(c)[0] for c in cjk_text.lower()]
    if surname:
        _apply_surname(cjk_text, out)
    return tuple(s for s in out if s)


def _apply_surname(text: str, readings: list[str]) -> bool:
    """Overwrite the leading readings with surname readings; tell if any changed."""
    compound = COMPOUND_SURNAME_READINGS.get(text[:2])
    if compound is not None:
        changed = (readings[0], readings[1]) != compound
        readings[0], readings[1] = compound
        return changed
    if text and text[0] in SURNAME_READINGS:
        changed = readings[0] != SURNAME_READINGS[text[0]]
        readings[0] = SURNAME_READINGS[text[0]]
        return changed
    return False


def _phrase_syllables(text: str) -> tuple[str, ...]:
    """Per-character readings corrected by two-character dictionary words."""
    readings = [_char_reading(c) for c in text]
    out = [r[0] for r in readings]
    i = 0
    while i < len(text) - 1:
        if readings[i][1] or readings[i + 1][1]:
            pair = _phrase_reading(text[i : i + 2])
            if pair is not None:
                out[i], out[i + 1] = pair
                i += 2
                continue
        i += 1
    return tuple(s for s in out if s)


def _fold_u(key: str) -> str:
    return key.replace("v", "u")


def pinyin_key(name: str) -> str:
    """The pinyin key of a person name: concatenated toneless syllables.

    Chinese names are normalised and read with surname readings; names
    already in Latin script give their :func:`latin_key` (written order).
    ü is folded to ``u`` (see module docstring).

    Args:
        name: A raw person name.

    Returns:
        The key, e.g. ``"zhangwei"``; "" for names without letters.

    >>> pinyin_key("张伟"), pinyin_key("張偉"), pinyin_key("Zhang Wei")
    ('zhangwei', 'zhangwei', 'zhangwei')
    >>> pinyin_key("吕小明")
    'luxiaoming'
    """
    norm = normalize_person(name)
    if has_han(norm):
        return _fold_u("".join(syllables(norm)))
    return latin_key(norm)


@lru_cache(maxsize=_CACHE_SIZE)
def person_pinyin_keys(name: str) -> frozenset[str]:
    """All pinyin keys indexed for a person name.

    The surname-aware key plus, when the surname table changed the reading,
    the plain per-character key (so a query spelling 单 as ``Dan`` still
    arrives).  At most two keys; a Latin-script name gives its
    :func:`latin_key`.

    >>> sorted(person_pinyin_keys("单田芳"))
    ['dantianfang', 'shantianfang']
    >>> sorted(person_pinyin_keys("张伟"))
    ['zhangwei']
    """
    norm = normalize_person(name)
    if not has_han(norm):
        key = latin_key(norm)
        return frozenset({key} if key else ())
    readings = [_char_reading(c)[0] for c in norm]
    plain = _fold_u("".join(readings))
    if not _apply_surname(norm, readings):
        return frozenset({plain} if plain else ())
    return frozenset({plain, _fold_u("".join(readings))})


def org_pinyin_key(core: str) -> str:
    """Pinyin key of an organisation name core (phrase-aware, ü→u).

    >>> org_pinyin_key("鑫达贸易")
    'xindamaoyi'
    >>> org_pinyin_key("农商银行")
    'nongshangyinhang'
    """
    return core_pinyin_key(fold(core))


@lru_cache(maxsize=_CACHE_SIZE)
def core_pinyin_key(folded_core: str) -> str:
    """:func:`org_pinyin_key` of an already folded core (skips the fold)."""
    return _fold_u("".join(_phrase_syllables(folded_core)))


@cache
def _latin_token_re() -> re.Pattern[str]:
    return re.compile(r"[^\W_]+")


@cache
def _tone_digit_re() -> re.Pattern[str]:
    return re.compile(r"(?<=[^\W\d_])[1-5]")


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=_SMALL_CACHE_SIZE)
def _key_tokens(text: str) -> tuple[str, ...]:
    """Latin tokens reduced for pinyin keys (marks, tone digits, ü dropped)."""
    folded = fold(text).replace("u:", "v")
    folded = _tone_digit_re().sub("", _strip_marks(folded))
    tokens = []
    for token in _latin_token_re().findall(folded):
        if token.startswith(("lyu", "nyu")):  # passport spelling of lü / nü
            token = token[0] + token[2:]
        tokens.append(_fold_u(token))
    return tuple(tokens)


def latin_key(text: str) -> str:
    """Concatenated pinyin-key form of a Latin name in written order.

    Diacritics and tone digits are dropped, and ü (``ü``, ``u:``, ``v``, or
    ``yu`` after a leading ``l``/``n``) becomes ``u``.

    >>> latin_key("Zhāng Wěi"), latin_key("zhang1 wei3"), latin_key("ZHANG-Wei")
    ('zhangwei', 'zhangwei', 'zhangwei')
    >>> {latin_key(s) for s in ("Lü Wei", "Lu: Wei", "Lv Wei", "LYU Wei", "Lu Wei")}
    {'luwei'}
    """
    return "".join(_key_tokens(text))


def _orders(tokens: tuple[str, ...]) -> set[tuple[str, ...]]:
    n = len(tokens)
    if n <= 1:
        return {tokens}
    if n <= 3:
        return set(itertools.permutations(tokens))
    rotations = {tokens[i:] + tokens[:i] for i in range(n)}
    if n == 4:
        return rotations
    return {tokens, tokens[1:] + tokens[:1], tokens[-1:] + tokens[:-1]}


@lru_cache(maxsize=_SMALL_CACHE_SIZE)
def latin_query_keys(text: str) -> frozenset[str]:
    """Pinyin keys a Latin-script query may have in the index, in any order.

    Names are written surname-first (``Zhang Wei``) or given-name-first
    (``Wei Zhang``, ``Xiao Ming Zhang``), so the key of every token order is
    produced: all permutations for 2–3 tokens, all rotations for 4 (moving a
    surname block from the end to the front), and as-written plus the first
    or last token moved for 5 or more.  A single concatenated token
    (``xiaomingzhang``) is not re-segmented.

    Args:
        text: A Latin-script name.

    Returns:
        The candidate keys (at most 6 for ≤ 3 tokens).

    >>> sorted(latin_query_keys("Zhang Wei"))
    ['weizhang', 'zhangwei']
    >>> all("zhangwei" in latin_query_keys(s) for s in
    ...     ("ZHANG WEI", "Wei Zhang", "zhangwei", "Zhang-Wei", "ZHANG Wei"))
    True
    >>> "zhangxiaoming" in latin_query_keys("xiao ming zhang")
    True
    """
    tokens = _key_tokens(text)
    if len(tokens) > 8:
        return frozenset({"".join(tokens)})
    return frozenset("".join(order) for order in _orders(tokens))
