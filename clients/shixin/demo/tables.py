"""Reference tables for the demo list: names, places, courts, trades, wordings.

Weights are rough real-world frequencies (surname shares from the 2019 national
statistics, lifted for surnames common in Guangxi such as 黄 韦 覃 莫 蓝 农) so
that the demo list has the homonyms a real list has: 张伟 and 李娜 are many people.
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from random import Random
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """Draws items by weight; faster than ``Random.choices`` for one draw."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self._items = [item for item, _ in pairs]
        self._cum = list(accumulate(weight for _, weight in pairs))
        self._total = self._cum[-1]

    def pick(self, rng: Random) -> T:
        return self._items[bisect(self._cum, rng.random() * self._total)]


def _pairs(spec: str) -> list[tuple[str, float]]:
    """Parse ``"王 7.1 李 7.0"`` into pairs."""
    words = spec.split()
    return [(words[i], float(words[i + 1])) for i in range(0, len(words), 2)]


SURNAMES = Weighted(
    _pairs(
        """
    王 7.1 李 7.0 张 6.7 刘 5.1 陈 4.6 杨 3.2 黄 4.0 赵 2.0 吴 1.9 周 1.8 徐 1.5 孙 1.4
    马 1.3 朱 1.3 胡 1.2 郭 1.1 何 1.1 林 1.0 高 1.0 罗 1.0 郑 0.9 梁 2.0 谢 0.8 宋 0.7
    唐 0.7 许 0.6 韩 0.6 冯 0.6 邓 0.6 曹 0.6 彭 0.5 曾 0.5 肖 0.5 田 0.5 董 0.5 袁 0.5
    潘 0.8 于 0.5 蒋 0.5 蔡 0.5 余 0.4 杜 0.4 叶 0.4 程 0.4 苏 0.4 魏 0.4 吕 0.4 丁 0.4
    任 0.4 沈 0.4 姚 0.4 卢 0.3 姜 0.3 崔 0.3 钟 0.3 谭 0.3 陆 0.3 汪 0.3 范 0.3 金 0.3
    石 0.3 廖 0.7 贾 0.3 夏 0.3 韦 1.5 付 0.3 方 0.2 白 0.2 邹 0.2 孟 0.2 熊 0.2 秦 0.2
    邱 0.2 江 0.2 尹 0.2 薛 0.2 闫 0.2 段 0.2 雷 0.2 侯 0.2 龙 0.2 史 0.2 陶 0.2 黎 0.3
    贺 0.2 顾 0.2 毛 0.2 郝 0.2 龚 0.2 邵 0.2 万 0.2 钱 0.2 严 0.1 覃 1.0 武 0.1 戴 0.1
    莫 0.8 孔 0.1 向 0.1 蓝 0.5 农 0.4 蒙 0.5 欧阳 0.05 司马 0.01 诸葛 0.01
    """
    )
)

# Whole given names that real lists are full of (the source of most homonyms).
POPULAR_MALE = Weighted(
    _pairs(
        """
    伟 10 强 6 磊 6 军 6 勇 6 杰 5 涛 5 超 4 明 4 刚 4 平 4 辉 4 鹏 3 华 3 飞 3 鑫 3
    波 3 斌 3 宇 3 浩 3 凯 2 健 2 俊 2 帅 2 旭 2 宁 2 龙 2 林 2 海 2 建华 2 建国 2
    建军 2 志强 2 志明 2 国强 2 国华 1 海涛 1 文杰 1 俊杰 1 子豪 1 浩然 1 宇轩 1
    明辉 1 永强 1 家豪 1 晓东 1 小龙 1 德华 1
    """
    )
)
POPULAR_FEMALE = Weighted(
    _pairs(
        """
    芳 8 娜 7 敏 7 静 7 秀英 6 丽 6 艳 5 娟 5 霞 4 秀兰 4 燕 4 玲 4 桂英 4 丹 3 萍 3
    红 3 玉兰 3 桂兰 3 英 3 梅 3 琳 2 婷 2 雪 2 慧 2 颖 2 倩 2 欣 2 洁 2 晶 2 莉 2
    秀珍 1 丽华 1 美玲 1 晓燕 1 春梅 1 海燕 1 雪梅 1 小红 1 丽娟 1 婷婷 1
    """
    )
)
MALE_CHARS = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清"
    "飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善"
    "厚庆磊民友裕河哲江超浩亮政谦奇固之翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树"
    "炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
)
FEMALE_CHARS = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺"
    "媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓仪荷丹蓉眉"
    "君琴蕊薇菁梦岚苑婕馨韵园艺咏卿聪澜纯悦昭冰爽茗羽希欣滢柔竹凝晓欢枫芸菲伊亚宜可舒影丽妮"
)
MINORITY_PARTS = (
    "阿卜杜", "热合曼", "玉素甫", "艾力", "古丽", "买买提", "阿依古丽", "努尔", "艾买提",
    "吐尔逊", "阿不都", "热依拉", "麦麦提", "依明", "帕提古丽", "米热古丽", "艾尔肯", "吾买尔",
    "阿力木", "肉孜", "卡德尔", "亚森", "迪丽拜尔", "阿迪力", "祖力亚", "努尔兰",
)  # fmt: skip
# How courts write the middle dot of a minority name; the first is the standard one.
MIDDLE_DOTS = Weighted([("·", 80), ("•", 8), ("・", 6), (".", 6)])

# Resident-ID region codes (GB/T 2260). Mostly Liuzhou, where the demo courts sit.
ID_REGIONS = Weighted(
    _pairs(
        """
    450202 12 450203 12 450204 12 450205 10 450206 5 450222 5 450223 5 450224 3 450225 4
    450226 3 450102 2 450103 2 450105 1.5 450107 2 450302 1 450305 1 450403 1 450502 1
    450702 1 450802 1 450902 1.5 451002 1 451202 1 451302 1.5 110105 1 310104 0.5
    440106 1.5 440304 1 430102 1 520102 1 530102 0.5 510104 0.5 350102 0.5 420102 0.5
    370102 0.5 450221 1.2 110103 0.3 110104 0.3 310103 0.3 310108 0.3 440102 0.3
    """
    )
)
# Codes no longer in GB/T 2260 but still printed on valid ID cards.
ABOLISHED_REGIONS = frozenset({"450221", "110103", "110104", "310103", "310108", "440102"})

# Where organisations are registered (USCC characters 3-8), with the place name a
# company name may start with.
ORG_REGIONS = Weighted(
    _pairs(
        """
    450200 40 450202 8 450203 8 450204 8 450205 8 450206 4 450222 2 450223 2 450100 6
    450103 3 450300 2 450000 3 450900 1 451300 1
    """
    )
)
CITY_OF_REGION = {
    "4502": "柳州",
    "4501": "南宁",
    "4503": "桂林",
    "4509": "玉林",
    "4513": "来宾",
}
DISTRICT_OF_REGION = {
    "450202": "城中区",
    "450203": "鱼峰区",
    "450204": "柳南区",
    "450205": "柳北区",
    "450206": "柳江区",
    "450222": "柳城县",
    "450223": "鹿寨县",
    "450103": "青秀区",
}

BRAND_CHARS = (
    "鑫达华盛嘉源恒泰宏兴隆丰顺通瑞祥金鼎利昌永新富博天宇海信安康诚德佳和美汇聚成众联合创远力凯"
    "越龙腾锦荣辉星光明东南中国桂柳壮江山林峰晟昊禾乾坤阳益鹏正标志万千百润泽福旺骏豪"
)
INDUSTRIES = Weighted(
    _pairs(
        """
    贸易 10 商贸 6 建筑工程 8 建设工程 4 房地产开发 5 物流 5 科技 5 餐饮管理 3
    汽车销售服务 3 机械设备 3 装饰工程 4 投资 3 农业开发 2 物业服务 2 汽车配件 3
    汽车零部件 3 钢材贸易 2 建材 3 劳务 3 文化传媒 2 电子商务 2 广告 2 医药 1 食品 2
    运输 3 工贸 2 实业 3 置业 2 机电设备 2 环保科技 1 网络科技 2 信息技术 2 酒店管理 1
    农业科技 1 园林绿化 2 混凝土 1
    """
    )
)
LEGAL_FORMS = Weighted(
    _pairs("有限公司 62 有限责任公司 20 股份有限公司 5 分公司 5 经营部 3 商行 3 厂 2")
)


@dataclass(frozen=True, slots=True)
class Court:
    """An enforcement court; ``code`` is its part of the case number (桂0202)."""

    name: str
    code: str


def _courts() -> Weighted[tuple[Court, Court | None]]:
    """Courts with weights; the second court is the name/code before 2017, if different."""
    rows: list[tuple[str, str, float]] = [
        ("柳州市中级人民法院", "桂02", 8),
        ("柳州市城中区人民法院", "桂0202", 14),
        ("柳州市鱼峰区人民法院", "桂0203", 14),
        ("柳州市柳南区人民法院", "桂0204", 14),
        ("柳州市柳北区人民法院", "桂0205", 14),
        ("柳州市柳江区人民法院", "桂0206", 7),
        ("柳城县人民法院", "桂0222", 4),
        ("鹿寨县人民法院", "桂0223", 4),
        ("融安县人民法院", "桂0224", 2),
        ("融水苗族自治县人民法院", "桂0225", 2),
        ("三江侗族自治县人民法院", "桂0226", 2),
        ("南宁市中级人民法院", "桂01", 2),
        ("南宁市兴宁区人民法院", "桂0102", 2),
        ("南宁市青秀区人民法院", "桂0103", 3),
        ("南宁市江南区人民法院", "桂0105", 2),
        ("南宁市西乡塘区人民法院", "桂0107", 2),
        ("桂林市中级人民法院", "桂03", 1),
        ("桂林市秀峰区人民法院", "桂0302", 1),
        ("桂林市七星区人民法院", "桂0305", 1),
        ("梧州市万秀区人民法院", "桂0403", 1),
        ("北海市海城区人民法院", "桂0502", 1),
        ("玉林市玉州区人民法院", "桂0902", 1),
        ("来宾市兴宾区人民法院", "桂1302", 1),
        ("河池市金城江区人民法院", "桂1202", 1),
    ]
    # 柳江县 became 柳江区 in 2016; cases filed before 2017 carry the county court's code.
    before = {"桂0206": Court("柳江县人民法院", "桂0221")}
    return Weighted([((Court(n, c), before.get(c)), w) for n, c, w in rows])


COURTS = _courts()
INTERMEDIATE_COURTS = {
    "桂01": Court("南宁市中级人民法院", "桂01"),
    "桂02": Court("柳州市中级人民法院", "桂02"),
    "桂03": Court("桂林市中级人民法院", "桂03"),
    "桂04": Court("梧州市中级人民法院", "桂04"),
    "桂05": Court("北海市中级人民法院", "桂05"),
    "桂09": Court("玉林市中级人民法院", "桂09"),
    "桂12": Court("河池市中级人民法院", "桂12"),
    "桂13": Court("来宾市中级人民法院", "桂13"),
}

PUBLISHED_YEAR = Weighted(
    [
        (year, w)
        for year, w in zip(
            range(2015, 2027), (5, 8, 10, 11, 12, 11, 10, 9, 9, 9, 9, 8), strict=True
        )
    ]
)

PERFORMANCE = Weighted([("全部未履行", 85), ("部分履行", 15)])
CIRCUMSTANCES = Weighted(
    _pairs(
        """
    有履行能力而拒不履行生效法律文书确定义务 70 违反财产报告制度 12 违反限制消费令 6
    以伪造证据、暴力、威胁等方法妨碍、抗拒执行 3
    以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行 4
    无正当理由拒不履行执行和解协议 5
    """
    )
)
OBLIGATIONS = Weighted(
    [
        ("被告于判决生效之日起十日内偿还原告借款本金{amount}元及利息", 30),
        ("被告于本判决生效之日起十日内支付原告货款{amount}元", 20),
        ("被告支付原告工程款{amount}元及逾期付款违约金", 12),
        ("被告支付原告劳动报酬{amount}元", 10),
        ("被告返还原告购房款{amount}元", 5),
        ("被告赔偿原告各项损失{amount}元", 10),
        ("被告支付原告租金{amount}元并承担案件受理费", 8),
        ("被告向原告支付运输费{amount}元", 5),
    ]
)
SHIELD_REASONS = Weighted(
    [("全部履行完毕", 60), ("达成执行和解", 15), ("终结本次执行程序", 10), ("终结执行", 15)]
)
REVOKE_REASONS = Weighted([("申请执行人撤回执行申请", 50), ("不应纳入失信名单", 50)])
