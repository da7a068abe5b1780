"""Hypothesis strategies and helpers shared by the shixin.names tests."""

from __future__ import annotations

from functools import cache

from hypothesis import strategies as st

from shixin.names.regions import region_forms

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭肖田董袁潘蒋蔡杜叶程苏魏"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅志文辉玉海燕小晓"
SEPARATORS = ["·", "•", "・", "･", ".", "‧", "﹒", "。", " ", "\u3000", ""]
CORE_CHARS_RAW = "鑫达贸易科技建材五金电子服装物流餐饮红星宏远鼎润恒泰盛昌隆旺兴发丰顺鹏辉"


@cache
def core_chars() -> str:
    """Core characters that cannot start a region name or end a legal form."""
    starts = {form[0] for form in region_forms()}
    return "".join(c for c in CORE_CHARS_RAW if c not in starts and c not in "店厂行司部社室户伙")


person_names = st.builds(
    lambda s, g: s + g,
    st.sampled_from(SURNAMES),
    st.text(alphabet=GIVEN, min_size=1, max_size=3),
)


@st.composite
def org_cores(draw: st.DrawFn, min_size: int = 2, max_size: int = 8) -> str:
    """A distinctive organisation core built from neutral characters."""
    return draw(st.text(alphabet=core_chars(), min_size=min_size, max_size=max_size))


def to_fullwidth(text: str) -> str:
    """Write ASCII letters, digits and spaces in their full-width forms."""
    out = []
    for c in text:
        if c == " ":
            out.append("\u3000")
        elif "!" <= c <= "~":
            out.append(chr(ord(c) + 0xFEE0))
        else:
            out.append(c)
    return "".join(out)


@cache
def _s2t() -> object:
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Convert simplified Chinese to traditional (for variant generation)."""
    converted: str = _s2t().convert(text)  # type: ignore[attr-defined]
    return converted
