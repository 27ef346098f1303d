"""Sectors and regions: one stored form for each, and words in the reader's language.

Sectors are stored as lower-case codes (`ai`, `advanced_manufacturing`, the exchange
format's) and regions as a canonical English name (`Beijing`, `Hong Kong`). People type
them otherwise: 人工智能, 人工智慧, "Artificial intelligence", 北京市, "Hong Kong SAR". Every
write path (the import's canonical rows, the portal's profile forms, the models' `save()`)
passes them through `normalise_sectors` / `normalise_region(s)`, so that one sector or
place is one tag, whatever the language it came in; a value this module does not know is
kept as it was given (a sector in the form of a code: lower case, words joined by '_').

Shown, a known sector or region reads in the active language: the interface catalogue's
translation of its English label (message context "sector" or "region") where the
catalogue has one, else the Chinese name written here, so that a Chinese reader never sees
`advanced_manufacturing`. An unknown sector code reads as words ("quantum_sensing" as
"Quantum sensing"); an unknown region as written.

Pure: no models, so that the models' `save()` may call it (docs/architecture.md, "Inside
an app"). The places are those the engine knows (engine/regions.py), by the same ids; a
test (tests/directory/test_labels.py) keeps the two lists and vocabulary.SECTORS in step.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.utils import translation

from superconnector.core.names import reads_chinese

SECTOR_CONTEXT = "sector"
REGION_CONTEXT = "region"


def pgettext(context: str, message: str) -> str:  # named so makemessages extracts it
    """Marks a label for the catalogues with its context; translated when shown."""
    return message


class Names(NamedTuple):
    """A sector's or region's English label (the catalogues' message id), its names in
    Simplified and Traditional Chinese, and other names it is known by."""

    en: str
    zh_hans: str
    zh_hant: str
    aliases: tuple[str, ...] = ()


# The context is written out in each entry: xgettext reads literals only.
SECTOR_NAMES: dict[str, Names] = {  # by the codes of vocabulary.SECTORS
    "accounting": Names(
        pgettext("sector", "Accounting"), "会计", "會計", ("accountancy", "会计服务", "會計服務")
    ),
    "advanced_manufacturing": Names(
        pgettext("sector", "Advanced manufacturing"),
        "先进制造",
        "先進製造",
        ("先进制造业", "先進製造業", "高端制造", "高端製造"),
    ),
    "ai": Names(
        pgettext("sector", "Artificial intelligence"),
        "人工智能",
        "人工智慧",
        ("ai", "a.i.", "artificial intelligence", "人工智慧"),
    ),
    "aviation": Names(pgettext("sector", "Aviation"), "航空", "航空", ("民航",)),
    "biotech": Names(
        pgettext("sector", "Biotechnology"),
        "生物技术",
        "生物科技",
        ("biotech", "biotechnology", "生物科技", "生物技術"),
    ),
    "cloud": Names(
        pgettext("sector", "Cloud computing"),
        "云计算",
        "雲計算",
        ("cloud", "cloud services", "云服务", "雲服務", "雲端運算"),
    ),
    "commercialisation": Names(
        pgettext("sector", "Technology commercialisation"),
        "科技成果转化",
        "科技成果轉化",
        (
            "commercialisation",
            "commercialization",
            "technology commercialization",
            "technology transfer",
            "成果转化",
            "成果轉化",
            "技术转移",
            "技術轉移",
        ),
    ),
    "consulting": Names(
        pgettext("sector", "Consulting"),
        "咨询",
        "諮詢",
        ("consultancy", "management consulting", "咨询服务", "諮詢服務", "顧問"),
    ),
    "consumer": Names(
        pgettext("sector", "Consumer goods"),
        "消费品",
        "消費品",
        ("consumer", "consumer products", "消费", "消費"),
    ),
    "culture_creative": Names(
        pgettext("sector", "Culture and creative industries"),
        "文化创意",
        "文化創意",
        ("culture creative", "cultural and creative", "creative industries", "文创", "文創"),
    ),
    "cybersecurity": Names(
        pgettext("sector", "Cybersecurity"),
        "网络安全",
        "網絡安全",
        ("cyber security", "information security", "信息安全", "資訊安全", "網路安全", "資安"),
    ),
    "data_compliance": Names(
        pgettext("sector", "Data compliance"),
        "数据合规",
        "數據合規",
        ("data protection", "数据保护", "數據保護", "資料合規"),
    ),
    "education": Names(pgettext("sector", "Education"), "教育", "教育"),
    "ev": Names(
        pgettext("sector", "Electric vehicles"),
        "新能源汽车",
        "電動車",
        (
            "ev",
            "evs",
            "electric vehicle",
            "new energy vehicles",
            "nev",
            "电动汽车",
            "電動汽車",
            "电动车",
            "新能源汽車",
        ),
    ),
    "finance": Names(
        pgettext("sector", "Finance"),
        "金融",
        "金融",
        ("financial services", "金融服务", "金融服務"),
    ),
    "fintech": Names(
        pgettext("sector", "Fintech"), "金融科技", "金融科技", ("financial technology",)
    ),
    "food": Names(
        pgettext("sector", "Food and beverage"),
        "食品饮料",
        "食品飲料",
        ("food", "f and b", "食品"),
    ),
    "government": Names(
        pgettext("sector", "Government and public sector"),
        "政府及公共部门",
        "政府及公共部門",
        ("government", "public sector", "政府", "公共部门", "公共部門"),
    ),
    "green_finance": Names(
        pgettext("sector", "Green finance"),
        "绿色金融",
        "綠色金融",
        ("sustainable finance", "可持续金融", "可持續金融"),
    ),
    "healthcare": Names(
        pgettext("sector", "Healthcare"),
        "医疗健康",
        "醫療健康",
        ("health care", "health", "医疗", "醫療", "大健康"),
    ),
    "insurance": Names(pgettext("sector", "Insurance"), "保险", "保險"),
    "ip": Names(
        pgettext("sector", "Intellectual property"),
        "知识产权",
        "知識產權",
        ("ip", "intellectual property rights", "ipr"),
    ),
    "legal": Names(
        pgettext("sector", "Legal services"),
        "法律服务",
        "法律服務",
        ("legal", "law", "法律"),
    ),
    "logistics": Names(pgettext("sector", "Logistics"), "物流", "物流"),
    "low_altitude": Names(
        pgettext("sector", "Low-altitude economy"),
        "低空经济",
        "低空經濟",
        ("low altitude",),
    ),
    "medtech": Names(
        pgettext("sector", "Medical technology"),
        "医疗器械",
        "醫療器械",
        ("medtech", "medical devices", "医疗科技", "醫療科技", "醫療器材"),
    ),
    "new_energy": Names(
        pgettext("sector", "New energy"),
        "新能源",
        "新能源",
        ("clean energy", "renewable energy", "清洁能源", "清潔能源", "可再生能源"),
    ),
    "new_materials": Names(
        pgettext("sector", "New materials"),
        "新材料",
        "新材料",
        ("advanced materials", "先进材料", "先進材料"),
    ),
    "pharma": Names(
        pgettext("sector", "Pharmaceuticals"),
        "医药",
        "醫藥",
        ("pharma", "pharmaceutical", "制药", "製藥"),
    ),
    "real_estate": Names(
        pgettext("sector", "Real estate"),
        "房地产",
        "房地產",
        ("property", "地产", "地產", "不动产", "不動產"),
    ),
    "retail": Names(pgettext("sector", "Retail"), "零售", "零售"),
    "robotics": Names(
        pgettext("sector", "Robotics"), "机器人", "機器人", ("robots", "robot", "機械人")
    ),
    "semiconductors": Names(
        pgettext("sector", "Semiconductors"),
        "半导体",
        "半導體",
        ("semiconductor", "chips", "芯片", "晶片", "集成电路", "集成電路", "積體電路"),
    ),
    "smart_city": Names(
        pgettext("sector", "Smart city"), "智慧城市", "智慧城市", ("smart cities",)
    ),
    "tax": Names(
        pgettext("sector", "Tax"), "税务", "稅務", ("taxation", "tax advisory", "税务咨询")
    ),
    "testing_certification": Names(
        pgettext("sector", "Testing and certification"),
        "检测认证",
        "檢測認證",
        ("tic", "检验检测", "檢驗檢測", "检验检测认证", "檢驗檢測認證"),
    ),
    "tourism": Names(pgettext("sector", "Tourism"), "旅游", "旅遊", ("travel",)),
    "trade": Names(
        pgettext("sector", "Trade"),
        "贸易",
        "貿易",
        ("international trade", "国际贸易", "國際貿易", "进出口", "進出口"),
    ),
}

# Places by the engine's ids (engine/regions.py): the canonical English name, which is what
# is stored, then its Chinese names and the other names of the same place. A city within a
# country is not a name of the country: "Munich" stays "Munich".
REGION_NAMES: dict[str, Names] = {
    "world": Names(
        pgettext("region", "Global"),
        "全球",
        "全球",
        ("world", "worldwide", "international", "国际", "國際"),
    ),
    "mainland_china": Names(
        pgettext("region", "Mainland China"),
        "中国内地",
        "中國內地",
        ("chinese mainland", "the mainland", "中国大陆", "中國大陸", "内地", "內地", "大陆"),
    ),
    "greater_bay_area": Names(
        pgettext("region", "Greater Bay Area"),
        "粤港澳大湾区",
        "粵港澳大灣區",
        ("gba", "大湾区", "大灣區", "guangdong hong kong macao greater bay area"),
    ),
    "hong_kong": Names(
        pgettext("region", "Hong Kong"),
        "香港",
        "香港",
        ("hk", "hksar", "hong kong sar", "中国香港", "中國香港", "香港特区", "香港特區"),
    ),
    "macau": Names(
        pgettext("region", "Macau"),
        "澳门",
        "澳門",
        ("macao", "macau sar", "macao sar", "中国澳门", "中國澳門"),
    ),
    "taiwan": Names(pgettext("region", "Taiwan"), "台湾", "台灣", ("臺灣", "中国台湾")),
    "beijing": Names(pgettext("region", "Beijing"), "北京", "北京", ("peking",)),
    "tianjin": Names(pgettext("region", "Tianjin"), "天津", "天津"),
    "hebei": Names(pgettext("region", "Hebei"), "河北", "河北"),
    "jing_jin_ji": Names(
        pgettext("region", "Jing-Jin-Ji"),  # the engine's name: "Beijing" alone is one place
        "京津冀",
        "京津冀",
        ("jingjinji", "beijing tianjin hebei"),
    ),
    "shanghai": Names(pgettext("region", "Shanghai"), "上海", "上海"),
    "jiangsu": Names(pgettext("region", "Jiangsu"), "江苏", "江蘇"),
    "zhejiang": Names(pgettext("region", "Zhejiang"), "浙江", "浙江"),
    "yangtze_delta": Names(
        pgettext("region", "Yangtze River Delta"),
        "长三角",
        "長三角",
        ("yangtze delta", "长江三角洲", "長江三角洲"),
    ),
    "guangdong": Names(pgettext("region", "Guangdong"), "广东", "廣東"),
    "shenzhen": Names(pgettext("region", "Shenzhen"), "深圳", "深圳"),
    "guangzhou": Names(pgettext("region", "Guangzhou"), "广州", "廣州", ("canton",)),
    "dongguan": Names(pgettext("region", "Dongguan"), "东莞", "東莞"),
    "foshan": Names(pgettext("region", "Foshan"), "佛山", "佛山"),
    "zhuhai": Names(pgettext("region", "Zhuhai"), "珠海", "珠海"),
    "chengdu": Names(pgettext("region", "Chengdu"), "成都", "成都"),
    "chongqing": Names(pgettext("region", "Chongqing"), "重庆", "重慶"),
    "wuhan": Names(pgettext("region", "Wuhan"), "武汉", "武漢"),
    "xian": Names(pgettext("region", "Xi'an"), "西安", "西安", ("xian",)),
    "hainan": Names(pgettext("region", "Hainan"), "海南", "海南"),
    "shandong": Names(pgettext("region", "Shandong"), "山东", "山東"),
    "fujian": Names(pgettext("region", "Fujian"), "福建", "福建"),
    "asean": Names(
        pgettext("region", "ASEAN"),
        "东盟",
        "東盟",
        ("southeast asia", "south east asia", "东南亚", "東南亞", "東協"),
    ),
    "singapore": Names(pgettext("region", "Singapore"), "新加坡", "新加坡"),
    "malaysia": Names(pgettext("region", "Malaysia"), "马来西亚", "馬來西亞"),
    "indonesia": Names(pgettext("region", "Indonesia"), "印度尼西亚", "印尼", ("印尼",)),
    "thailand": Names(pgettext("region", "Thailand"), "泰国", "泰國"),
    "vietnam": Names(pgettext("region", "Vietnam"), "越南", "越南", ("viet nam",)),
    "philippines": Names(
        pgettext("region", "Philippines"), "菲律宾", "菲律賓", ("the philippines",)
    ),
    "cambodia": Names(pgettext("region", "Cambodia"), "柬埔寨", "柬埔寨"),
    "middle_east": Names(
        pgettext("region", "Middle East"),
        "中东",
        "中東",
        ("mena", "gulf region", "the gulf", "海湾地区", "海灣地區"),
    ),
    "saudi_arabia": Names(
        pgettext("region", "Saudi Arabia"),
        "沙特阿拉伯",
        "沙特阿拉伯",
        ("ksa", "saudi", "kingdom of saudi arabia", "沙特", "沙地阿拉伯"),
    ),
    "uae": Names(
        pgettext("region", "United Arab Emirates"),
        "阿联酋",
        "阿聯酋",
        ("uae", "emirates", "阿拉伯联合酋长国", "阿拉伯聯合酋長國"),
    ),
    "qatar": Names(pgettext("region", "Qatar"), "卡塔尔", "卡塔爾"),
    "kuwait": Names(pgettext("region", "Kuwait"), "科威特", "科威特"),
    "oman": Names(pgettext("region", "Oman"), "阿曼", "阿曼"),
    "bahrain": Names(pgettext("region", "Bahrain"), "巴林", "巴林"),
    "israel": Names(pgettext("region", "Israel"), "以色列", "以色列"),
    "turkey": Names(pgettext("region", "Turkey"), "土耳其", "土耳其", ("türkiye", "turkiye")),
    "egypt": Names(pgettext("region", "Egypt"), "埃及", "埃及"),
    "europe": Names(pgettext("region", "Europe"), "欧洲", "歐洲"),
    "germany": Names(pgettext("region", "Germany"), "德国", "德國"),
    "netherlands": Names(
        pgettext("region", "Netherlands"), "荷兰", "荷蘭", ("the netherlands", "holland")
    ),
    "united_kingdom": Names(
        pgettext("region", "United Kingdom"),
        "英国",
        "英國",
        ("uk", "u.k.", "great britain", "britain"),
    ),
    "france": Names(pgettext("region", "France"), "法国", "法國"),
    "italy": Names(pgettext("region", "Italy"), "意大利", "意大利"),
    "spain": Names(pgettext("region", "Spain"), "西班牙", "西班牙"),
    "switzerland": Names(pgettext("region", "Switzerland"), "瑞士", "瑞士"),
    "belgium": Names(pgettext("region", "Belgium"), "比利时", "比利時"),
    "poland": Names(pgettext("region", "Poland"), "波兰", "波蘭"),
    "hungary": Names(pgettext("region", "Hungary"), "匈牙利", "匈牙利"),
    "nordics": Names(pgettext("region", "Nordic countries"), "北欧", "北歐", ("nordics", "nordic")),
    "north_america": Names(pgettext("region", "North America"), "北美", "北美", ("北美洲",)),
    "united_states": Names(
        pgettext("region", "United States"),
        "美国",
        "美國",
        ("usa", "us", "u.s.", "u.s.a.", "united states of america"),
    ),
    "canada": Names(pgettext("region", "Canada"), "加拿大", "加拿大"),
    "latin_america": Names(pgettext("region", "Latin America"), "拉丁美洲", "拉丁美洲", ("拉美",)),
    "brazil": Names(pgettext("region", "Brazil"), "巴西", "巴西"),
    "mexico": Names(pgettext("region", "Mexico"), "墨西哥", "墨西哥"),
    "chile": Names(pgettext("region", "Chile"), "智利", "智利"),
    "africa": Names(pgettext("region", "Africa"), "非洲", "非洲"),
    "south_africa": Names(pgettext("region", "South Africa"), "南非", "南非"),
    "kenya": Names(pgettext("region", "Kenya"), "肯尼亚", "肯尼亞"),
    "nigeria": Names(pgettext("region", "Nigeria"), "尼日利亚", "尼日利亞"),
    "central_asia": Names(pgettext("region", "Central Asia"), "中亚", "中亞"),
    "japan": Names(pgettext("region", "Japan"), "日本", "日本"),
    "korea": Names(
        pgettext("region", "South Korea"),
        "韩国",
        "韓國",
        ("korea", "republic of korea", "南韩", "南韓"),
    ),
    "india": Names(pgettext("region", "India"), "印度", "印度"),
    "australia": Names(pgettext("region", "Australia"), "澳大利亚", "澳洲", ("澳洲",)),
    "new_zealand": Names(pgettext("region", "New Zealand"), "新西兰", "紐西蘭", ("新西蘭",)),
}

# Words around a name that do not change what it names: "北京市", "Guangdong Province",
# "Hong Kong SAR, China", "人工智能行业". Tried only after the whole text found nothing.
_REGION_PREFIXES = ("中国", "中國", "中华人民共和国", "中華人民共和國")
_REGION_SUFFIXES = (
    " china",
    " prc",
    " special administrative region",
    " sar",
    " city",
    " province",
    " municipality",
    "特别行政区",
    "特別行政區",
    "市",
    "省",
    "地区",
    "地區",
)
_SECTOR_SUFFIXES = (
    " industry",
    " industries",
    " sector",
    "行业",
    "行業",
    "产业",
    "產業",
    "领域",
    "領域",
)

_SPACES = re.compile(r"\s+")
_JOINERS = re.compile(r"[\s_\-–—/·,，]+")
_DROPPED = re.compile(r"[.'’\"“”()（）]")


def _folded(text: str) -> str:
    """The form names are compared in: width-, case-, space- and punctuation-folded, so
    that 'Advanced-Manufacturing', 'advanced_manufacturing' and 'ＡＩ' find their entry."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    return _JOINERS.sub(" ", _DROPPED.sub("", text)).strip()


def _index(table: dict, context: str) -> dict[str, str]:
    """Folded name -> key of the table, from every name of every entry and from the
    catalogues' translations of its label (so the interface's own words always fold)."""
    found: dict[str, str] = {}
    for key, names in table.items():
        for name in (key, names.en, names.zh_hans, names.zh_hant, *names.aliases):
            found.setdefault(_folded(name), key)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for key, names in table.items():
                found.setdefault(_folded(translation.pgettext(context, names.en)), key)
    return found


@functools.cache
def _sector_index() -> dict[str, str]:
    return _index(SECTOR_NAMES, SECTOR_CONTEXT)


@functools.cache
def _region_index() -> dict[str, str]:
    return _index(REGION_NAMES, REGION_CONTEXT)


def _look_up(text: str, index: dict[str, str], prefixes=(), suffixes=()) -> str | None:
    folded = _folded(text)
    if folded in index:
        return index[folded]
    for prefix in prefixes:
        if folded.startswith(prefix) and folded.removeprefix(prefix).strip() in index:
            return index[folded.removeprefix(prefix).strip()]
    for suffix in suffixes:
        shorter = folded.removesuffix(suffix).strip()
        if shorter != folded and shorter in index:
            return index[shorter]
    return None


def sector_code(value: str) -> str:
    """The code of a sector given by its code or any of its names, in any language and
    script ('AI', 'Artificial intelligence', 人工智能, 人工智慧 -> 'ai'); an unknown one
    as given, in the form of a code: lower case, words joined by '_' ('Quantum sensing' ->
    'quantum_sensing', which is also how it reads back, so that a form showing it as words
    saves the same code)."""
    found = _look_up(value, _sector_index(), suffixes=_SECTOR_SUFFIXES)
    return found if found is not None else "_".join(value.lower().split())


def region_name(value: str) -> str:
    """The canonical English name of a region given by any of its names ('北京',
    '北京市', 'Hong Kong SAR', '香港' -> 'Beijing', 'Hong Kong'); an unknown one as given,
    trimmed."""
    place = region_place(value)
    return REGION_NAMES[place].en if place else _SPACES.sub(" ", value).strip()


def region_place(value: str) -> str | None:
    """The engine's id of a region given by one of its names, or None if unknown."""
    return _look_up(value, _region_index(), _REGION_PREFIXES, _REGION_SUFFIXES)


def normalise_sectors(values: Iterable[str] | None) -> list[str]:
    """Sector codes for what was given (see sector_code), blanks dropped, each once, in
    the order given: what every write path stores."""
    codes = (sector_code(v) for v in values or [] if isinstance(v, str) and v.strip())
    return list(dict.fromkeys(codes))


def normalise_region(value: str | None) -> str:
    """A region as stored (see region_name); blank for a blank one."""
    return region_name(value) if value and value.strip() else ""


def normalise_regions(values: Iterable[str] | None) -> list[str]:
    """Regions as stored, blanks dropped, each once, in the order given."""
    names = (normalise_region(v) for v in values or [] if isinstance(v, str))
    return list(dict.fromkeys(name for name in names if name))


def _traditional(language: str) -> bool:
    language = language.lower().replace("_", "-")
    return "hant" in language or language in ("zh-tw", "zh-hk", "zh-mo")


def _in_active_language(context: str, names: Names) -> str:
    """The catalogue's translation of the label; where it has none, the Chinese name
    written here for a Chinese reader, the English label for anyone else."""
    translated = translation.pgettext(context, names.en)
    language = translation.get_language() or ""
    if translated != names.en or not reads_chinese(language):
        return translated
    return names.zh_hant if _traditional(language) else names.zh_hans


def sector_label(value: str) -> str:
    """A sector as words in the active language: a known one by its label (人工智能 in
    Chinese, "Artificial intelligence" in English), an unknown code as words
    ("quantum_sensing" -> "Quantum sensing")."""
    code = sector_code(value)
    if code in SECTOR_NAMES:
        return _in_active_language(SECTOR_CONTEXT, SECTOR_NAMES[code])
    words = code.replace("_", " ")
    return words[:1].upper() + words[1:]


def region_label(value: str) -> str:
    """A region in the active language (Beijing -> 北京 in Chinese); unknown, as written."""
    place = region_place(value)
    if place is None:
        return _SPACES.sub(" ", value).strip()
    return _in_active_language(REGION_CONTEXT, REGION_NAMES[place])


def list_separator() -> str:
    """How the active language separates the items of a short list: 、 in Chinese."""
    return "、" if reads_chinese(translation.get_language()) else ", "


def sector_labels(values: Iterable[str] | None) -> list[str]:
    """Sectors as words in the active language, each once."""
    return list(dict.fromkeys(sector_label(v) for v in values or [] if v and v.strip()))


def region_labels(values: Iterable[str] | None) -> list[str]:
    """Regions in the active language, each once."""
    return list(dict.fromkeys(region_label(v) for v in values or [] if v and v.strip()))


def sectors_text(values: Iterable[str] | None) -> str:
    """Sectors as one line of words in the active language ("人工智能、金融科技")."""
    return list_separator().join(sector_labels(values))


def regions_text(values: Iterable[str] | None) -> str:
    """Regions as one line in the active language ("北京、香港")."""
    return list_separator().join(region_labels(values))


def searchable_words(sectors: Iterable[str] | None = (), regions: Iterable[str] | None = ()) -> str:
    """Sectors and regions with every name they are shown by, in all three languages, for
    a search index: a search for 人工智能 or "Artificial intelligence" finds the tag `ai`,
    北京 finds Beijing, whatever the interface language."""
    words: list[str] = []
    for table, key, values in (
        (SECTOR_NAMES, sector_code, sectors),
        (REGION_NAMES, region_place, regions),
    ):
        for value in values or []:
            if not (isinstance(value, str) and value.strip()):
                continue
            found = key(value)
            names = table.get(found) if found else None
            words += [value, *names[:3]] if names else [value]
    return " ".join(dict.fromkeys(words))
