"""How courts actually write names and ID numbers: the noise a matcher must see through.

Each helper takes the canonical form and returns one written form; which one is
drawn from the caller's seeded ``Random`` so the demo stays reproducible.
"""

from __future__ import annotations

from random import Random

__all__ = ["spaced_name", "to_traditional", "written_id"]

_FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")

# Simplified → traditional for the characters the demo tables use (enough to
# make ~1 % of names traditional; characters absent here stay as they are).
_TRADITIONAL = str.maketrans(
    "张刘陈杨黄赵吴郑孙马罗谢许韩冯邓苏叶卢蒋陆龙钟贺汤顾龚钱严戴万闫伟丽强军华红艳凤兰飞鹏辉涛"
    "杰宁东国庆贵荣宝义刚广进兴长发凯鑫达宏隆丰顺通瑞祥鼎利昌汇聚众联创远力越腾锦荣星阳益标泽"
    "贸易筑产开发饮责设运输电务业农维动场销汽车机械装饰资场门区县市广西壮族自治柳梅娟霞玲萍婷颖"
    "洁晶莉珍凤兰丽华秀芳敏静玉",
    "張劉陳楊黃趙吳鄭孫馬羅謝許韓馮鄧蘇葉盧蔣陸龍鍾賀湯顧龔錢嚴戴萬閆偉麗強軍華紅艷鳳蘭飛鵬輝濤"
    "傑寧東國慶貴榮寶義剛廣進興長發凱鑫達宏隆豐順通瑞祥鼎利昌匯聚眾聯創遠力越騰錦榮星陽益標澤"
    "貿易築產開發飲責設運輸電務業農維動場銷汽車機械裝飾資場門區縣市廣西壯族自治柳梅娟霞玲萍婷穎"
    "潔晶莉珍鳳蘭麗華秀芳敏靜玉",
)


def to_traditional(text: str) -> str:
    """Traditional-character spelling, as some courts' systems still produce."""
    return text.translate(_TRADITIONAL)


def spaced_name(name: str, rng: Random) -> str:
    """A person's name with a stray space, half-width or ideographic."""
    space = " " if rng.random() < 0.7 else "\u3000"
    if len(name) == 2 or rng.random() < 0.5:
        return name[0] + space + name[1:]
    return name[:-1] + space + name[-1]


def written_id(canonical: str, rng: Random) -> str:
    """A resident ID as a clerk may type it: lower-case x, full-width, spaced or hyphenated."""
    if canonical.endswith("X") and rng.random() < 0.5:
        return canonical[:-1] + "x"
    roll = rng.random()
    if roll < 0.35:
        return canonical.translate(_FULL_WIDTH)
    if roll < 0.75 and len(canonical) == 18:
        return f"{canonical[:6]} {canonical[6:14]} {canonical[14:]}"
    if roll < 0.9:
        return f"{canonical[:6]}-{canonical[6:14]}-{canonical[14:]}"
    return f" {canonical} "
