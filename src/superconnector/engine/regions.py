"""Places: recognising them in fields and text, and whether two places are compatible.

A small containment hierarchy (city within country within region) with English and
Chinese aliases. Two sets of places are compatible when some place of one lies within,
or contains, some place of the other: a need in "Hong Kong" is met by an offer in the
"Greater Bay Area", not by one in "Rotterdam".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from superconnector.engine.text import normalise

# place -> (parents, aliases). Aliases are matched after normalisation (lower case,
# Simplified script); English aliases on word boundaries, Chinese ones as substrings.
PLACES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "world": ((), ("global", "worldwide", "international markets", "全球", "海外市场")),
    "mainland_china": (
        ("world",),
        (
            "nmpa",
            "国家药监局",
            "药监局",
            "mainland china",
            "the mainland",
            "chinese mainland",
            "prc",
            "china market",
            "chinese market",
            "中国市场",
            "国内市场",
            "中国境内",
            "中国内地",
            "内地",
            "中国大陆",
            "大陆",
        ),
    ),
    "greater_bay_area": (("world",), ("greater bay area", "gba", "大湾区", "粤港澳")),
    "hong_kong": (("greater_bay_area",), ("hong kong", "hksar", "香港")),
    "macau": (("greater_bay_area",), ("macau", "macao", "澳门")),
    "taiwan": (("world",), ("taiwan", "台湾")),
    "beijing": (
        ("jing_jin_ji",),
        ("beijing", "北京", "zhongguancun", "中关村", "亦庄", "yizhuang"),
    ),
    "tianjin": (("jing_jin_ji",), ("tianjin", "天津")),
    "hebei": (
        ("jing_jin_ji",),
        ("hebei", "河北", "xiong'an", "xiongan", "雄安", "shijiazhuang", "石家庄"),
    ),
    "jing_jin_ji": (("mainland_china",), ("jing-jin-ji", "jingjinji", "京津冀")),
    "shanghai": (("yangtze_delta",), ("shanghai", "上海")),
    "jiangsu": (
        ("yangtze_delta",),
        ("jiangsu", "江苏", "suzhou", "苏州", "nanjing", "南京", "wuxi", "无锡"),
    ),
    "zhejiang": (("yangtze_delta",), ("zhejiang", "浙江", "hangzhou", "杭州", "ningbo", "宁波")),
    "yangtze_delta": (("mainland_china",), ("yangtze river delta", "长三角")),
    "guangdong": (("mainland_china",), ("guangdong", "广东")),
    "shenzhen": (("guangdong", "greater_bay_area"), ("shenzhen", "深圳", "qianhai", "前海")),
    "guangzhou": (("guangdong", "greater_bay_area"), ("guangzhou", "广州", "nansha", "南沙")),
    "dongguan": (("guangdong", "greater_bay_area"), ("dongguan", "东莞")),
    "foshan": (("guangdong", "greater_bay_area"), ("foshan", "佛山")),
    "zhuhai": (("guangdong", "greater_bay_area"), ("zhuhai", "珠海", "hengqin", "横琴")),
    "chengdu": (("mainland_china",), ("chengdu", "成都", "sichuan", "四川")),
    "chongqing": (("mainland_china",), ("chongqing", "重庆")),
    "wuhan": (("mainland_china",), ("wuhan", "武汉", "hubei", "湖北")),
    "xian": (("mainland_china",), ("xi'an", "xian", "西安", "shaanxi", "陕西")),
    "hainan": (("mainland_china",), ("hainan", "海南", "haikou", "海口", "sanya", "三亚")),
    "shandong": (("mainland_china",), ("shandong", "山东", "qingdao", "青岛", "jinan", "济南")),
    "fujian": (("mainland_china",), ("fujian", "福建", "xiamen", "厦门", "fuzhou", "福州")),
    "asean": (("world",), ("asean", "southeast asia", "south-east asia", "东盟", "东南亚")),
    "singapore": (("asean",), ("singapore", "新加坡")),
    "malaysia": (("asean",), ("malaysia", "马来西亚", "kuala lumpur", "吉隆坡", "penang", "槟城")),
    "indonesia": (("asean",), ("indonesia", "印尼", "印度尼西亚", "jakarta", "雅加达")),
    "thailand": (("asean",), ("thailand", "泰国", "bangkok", "曼谷")),
    "vietnam": (
        ("asean",),
        ("vietnam", "viet nam", "越南", "ho chi minh", "胡志明", "hanoi", "河内"),
    ),
    "philippines": (("asean",), ("philippines", "菲律宾", "manila", "马尼拉")),
    "cambodia": (("asean",), ("cambodia", "柬埔寨")),
    "middle_east": (
        ("world",),
        ("middle east", "gulf region", "gcc", "mena", "中东", "海湾地区", "海合会"),
    ),
    "saudi_arabia": (
        ("middle_east",),
        (
            "saso",
            "saber",
            "saudi arabia",
            "saudi",
            "ksa",
            "沙特",
            "riyadh",
            "利雅得",
            "jeddah",
            "吉达",
            "neom",
        ),
    ),
    "uae": (
        ("middle_east",),
        (
            "uae",
            "united arab emirates",
            "emirates",
            "阿联酋",
            "dubai",
            "迪拜",
            "abu dhabi",
            "阿布扎比",
        ),
    ),
    "qatar": (("middle_east",), ("qatar", "卡塔尔", "doha", "多哈")),
    "kuwait": (("middle_east",), ("kuwait", "科威特")),
    "oman": (("middle_east",), ("oman", "阿曼")),
    "bahrain": (("middle_east",), ("bahrain", "巴林")),
    "israel": (("middle_east",), ("israel", "以色列")),
    "turkey": (
        ("middle_east", "europe"),
        ("turkey", "türkiye", "土耳其", "istanbul", "伊斯坦布尔"),
    ),
    "egypt": (("middle_east", "africa"), ("egypt", "埃及", "cairo", "开罗")),
    "europe": (
        ("world",),
        (
            "eu mdr",
            "eu market",
            "europe",
            "european union",
            "eu market",
            "欧洲",
            "欧盟",
        ),
    ),
    "germany": (
        ("europe",),
        (
            "germany",
            "德国",
            "munich",
            "慕尼黑",
            "berlin",
            "柏林",
            "frankfurt",
            "法兰克福",
            "hamburg",
            "汉堡",
            "stuttgart",
            "斯图加特",
        ),
    ),
    "netherlands": (
        ("europe",),
        (
            "netherlands",
            "holland",
            "荷兰",
            "rotterdam",
            "鹿特丹",
            "amsterdam",
            "阿姆斯特丹",
            "eindhoven",
        ),
    ),
    "united_kingdom": (
        ("europe",),
        (
            "united kingdom",
            "uk",
            "britain",
            "英国",
            "london",
            "伦敦",
            "manchester",
            "cambridge",
            "剑桥",
        ),
    ),
    "france": (("europe",), ("france", "法国", "paris", "巴黎", "lyon")),
    "italy": (("europe",), ("italy", "意大利", "milan", "米兰")),
    "spain": (("europe",), ("spain", "西班牙", "madrid", "barcelona")),
    "switzerland": (("europe",), ("switzerland", "瑞士", "zurich", "苏黎世", "geneva", "日内瓦")),
    "belgium": (("europe",), ("belgium", "比利时", "antwerp", "安特卫普", "brussels", "布鲁塞尔")),
    "poland": (("europe",), ("poland", "波兰", "warsaw")),
    "hungary": (("europe",), ("hungary", "匈牙利", "budapest", "debrecen")),
    "nordics": (
        ("europe",),
        (
            "nordic",
            "nordics",
            "北欧",
            "sweden",
            "瑞典",
            "norway",
            "挪威",
            "denmark",
            "丹麦",
            "finland",
            "芬兰",
        ),
    ),
    "north_america": (("world",), ("north america", "北美")),
    "united_states": (
        ("north_america",),
        (
            "us fda",
            "u.s. fda",
            "fda 510(k)",
            "510(k)",
            "de novo",
            "united states",
            "usa",
            "u.s.",
            "美国",
            "new york",
            "纽约",
            "silicon valley",
            "硅谷",
            "san francisco",
            "旧金山",
            "boston",
            "波士顿",
            "california",
            "加州",
            "texas",
        ),
    ),
    "canada": (
        ("north_america",),
        ("canada", "加拿大", "toronto", "多伦多", "vancouver", "温哥华"),
    ),
    "latin_america": (("world",), ("latin america", "拉美", "拉丁美洲", "south america", "南美")),
    "brazil": (("latin_america",), ("brazil", "巴西", "são paulo", "sao paulo", "圣保罗")),
    "mexico": (("latin_america",), ("mexico", "墨西哥")),
    "chile": (("latin_america",), ("chile", "智利")),
    "africa": (("world",), ("africa", "非洲")),
    "south_africa": (("africa",), ("south africa", "南非")),
    "kenya": (("africa",), ("kenya", "肯尼亚", "nairobi")),
    "nigeria": (("africa",), ("nigeria", "尼日利亚", "lagos")),
    "central_asia": (
        ("world",),
        ("central asia", "中亚", "kazakhstan", "哈萨克斯坦", "uzbekistan", "乌兹别克斯坦"),
    ),
    "japan": (("world",), ("japan", "日本", "tokyo", "东京", "osaka", "大阪")),
    "korea": (("world",), ("south korea", "korea", "韩国", "seoul", "首尔")),
    "india": (("world",), ("india", "印度", "mumbai", "bangalore", "bengaluru")),
    "australia": (
        ("world",),
        ("australia", "澳大利亚", "澳洲", "sydney", "悉尼", "melbourne", "墨尔本"),
    ),
    "new_zealand": (("world",), ("new zealand", "新西兰")),
}


@functools.cache
def _ancestors() -> dict[str, frozenset[str]]:
    result: dict[str, frozenset[str]] = {}

    def walk(place: str) -> frozenset[str]:
        if place not in result:
            parents = PLACES[place][0]
            found = set(parents)
            for parent in parents:
                found |= walk(parent)
            result[place] = frozenset(found)
        return result[place]

    for place in PLACES:
        walk(place)
    return result


@functools.cache
def _patterns() -> tuple[re.Pattern[str], dict[str, str]]:
    alias_to_place: dict[str, str] = {}
    for place, (_parents, aliases) in PLACES.items():
        for alias in aliases:
            alias_to_place[alias] = place
    # Longest first, so "south africa" wins over "africa" and 中国内地 over 内地.
    ordered = sorted(alias_to_place, key=len, reverse=True)
    parts = [
        re.escape(a) if not a.isascii() else rf"(?<![a-z0-9]){re.escape(a)}(?![a-z0-9])"
        for a in ordered
    ]
    return re.compile("|".join(parts)), alias_to_place


def find_places(normalised_text: str) -> set[str]:
    """Places mentioned in a normalised text (see text.normalise)."""
    pattern, alias_to_place = _patterns()
    return {alias_to_place[m.group(0)] for m in pattern.finditer(normalised_text)}


def places_of(labels: Iterable[str]) -> set[str]:
    """Places named by free-text region labels ("Hong Kong", "ASEAN", "香港")."""

    found: set[str] = set()
    for label in labels:
        found |= find_places(normalise(label))
    return found


def within(place: str, other: str) -> bool:
    return place == other or other in _ancestors().get(place, frozenset())


def compatible(
    wanted: set[str] | frozenset[str], offered: set[str] | frozenset[str]
) -> bool | None:
    """True if some wanted place and some offered place contain one another; None if unknown.

    'world' on either side means anywhere and says nothing.
    """
    return _compatible(frozenset(wanted), frozenset(offered))


@functools.lru_cache(maxsize=65536)
def _compatible(wanted: frozenset[str], offered: frozenset[str]) -> bool | None:
    wanted, offered = wanted - {"world"}, offered - {"world"}
    if not wanted or not offered:
        return None
    return any(within(w, o) or within(o, w) for w in wanted for o in offered)


def label(place: str) -> str:
    """A readable English name for a place id."""
    special = {"uae": "UAE", "asean": "ASEAN", "united_kingdom": "United Kingdom"}
    return special.get(place, place.replace("_", " ").title())
