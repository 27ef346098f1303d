"""Seeded generator of large synthetic events in the exchange format, for benchmarks and tests.

    generate_event(participants=3000, seed=1)  # a cooperation-fair-sized event

Texts come from sector vocabularies in English and Simplified Chinese (Traditional is
converted with OpenCC), so retrieval has real cross-language work to do. Request
popularity is skewed (a few organisations are asked by many), as at real fairs.
Pure Python: no Django, same output for the same arguments.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

from superconnector.engine.text import to_traditional
from superconnector.vocabulary import CATEGORIES as VOCABULARY_CATEGORIES
from superconnector.vocabulary import ORGANISATION_KINDS

FORMAT = "superconnector/v1"

Row = dict[str, Any]  # one record of an exchange document

# sector code -> (English topics, Chinese topics), aligned by position
SECTORS: dict[str, tuple[list[str], list[str]]] = {
    "ai": (
        [
            "large language model deployment",
            "computer vision inspection",
            "AI agents for customer service",
            "speech recognition",
            "recommendation engines",
        ],
        ["大模型私有化部署", "机器视觉质检", "智能客服智能体", "语音识别", "推荐算法"],
    ),
    "semiconductors": (
        [
            "analog chip design",
            "wafer-level packaging",
            "EDA software",
            "power semiconductors",
            "RISC-V processor IP",
        ],
        ["模拟芯片设计", "晶圆级封装", "EDA软件", "功率半导体", "RISC-V处理器IP"],
    ),
    "biotech": (
        [
            "antibody drug discovery",
            "cell therapy manufacturing",
            "mRNA vaccine platform",
            "clinical trial operations",
            "gene sequencing services",
        ],
        ["抗体药物发现", "细胞治疗生产", "mRNA疫苗平台", "临床试验运营", "基因测序服务"],
    ),
    "medtech": (
        [
            "surgical robots",
            "wearable cardiac monitors",
            "AI medical imaging",
            "in-vitro diagnostics",
            "rehabilitation devices",
        ],
        ["手术机器人", "可穿戴心电监测", "AI医学影像", "体外诊断", "康复器械"],
    ),
    "new_energy": (
        [
            "solid-state batteries",
            "energy storage systems",
            "hydrogen fuel cells",
            "rooftop solar",
            "battery recycling",
        ],
        ["固态电池", "储能系统", "氢燃料电池", "屋顶光伏", "电池回收"],
    ),
    "advanced_manufacturing": (
        [
            "industrial robots",
            "precision machining",
            "digital twin factories",
            "3D printing of metal parts",
            "smart logistics equipment",
        ],
        ["工业机器人", "精密加工", "数字孪生工厂", "金属3D打印", "智能物流装备"],
    ),
    "fintech": (
        [
            "cross-border payments",
            "supply chain finance platforms",
            "digital identity verification",
            "regtech compliance tools",
            "tokenised green bonds",
        ],
        ["跨境支付", "供应链金融平台", "数字身份认证", "监管科技合规工具", "绿色债券代币化"],
    ),
    "logistics": (
        [
            "bonded warehousing",
            "air freight forwarding",
            "cold chain logistics",
            "customs brokerage",
            "last-mile delivery",
        ],
        ["保税仓储", "航空货运代理", "冷链物流", "报关服务", "最后一公里配送"],
    ),
    "legal": (
        [
            "Hong Kong listing counsel",
            "cross-border M&A advice",
            "international arbitration",
            "trademark registration",
            "data compliance advice",
        ],
        ["香港上市法律服务", "跨境并购法律咨询", "国际仲裁", "商标注册", "数据合规咨询"],
    ),
    "green_finance": (
        [
            "green loans",
            "ESG reporting",
            "carbon credit trading",
            "green bond issuance",
            "sustainability-linked financing",
        ],
        ["绿色贷款", "ESG报告", "碳信用交易", "绿色债券发行", "可持续发展挂钩融资"],
    ),
}
REGIONS = [
    "Beijing",
    "Hong Kong",
    "Shenzhen",
    "Shanghai",
    "Tianjin",
    "Singapore",
    "Germany",
    "United Kingdom",
    "Saudi Arabia",
    "Malaysia",
]
REGION_WEIGHTS = [30, 30, 8, 8, 4, 5, 4, 4, 3, 4]
KINDS = list(ORGANISATION_KINDS)
KIND_WEIGHTS = [40, 15, 8, 5, 6, 4, 15, 3, 2, 2]
CATEGORIES = list(VOCABULARY_CATEGORIES)
FAMILY = [
    "Chan",
    "Wong",
    "Li",
    "Zhang",
    "Wang",
    "Liu",
    "Chen",
    "Lam",
    "Ho",
    "Leung",
    "Zhao",
    "Yang",
    "Huang",
    "Ng",
    "Lau",
    "Sun",
    "Ma",
    "Zhou",
    "Cheung",
    "Tang",
]
GIVEN = [
    "Wei",
    "Amy",
    "Jun",
    "Kevin",
    "Mei",
    "Grace",
    "Hao",
    "Vincent",
    "Lin",
    "Peter",
    "Xin",
    "Cindy",
    "Ming",
    "Jason",
    "Yan",
    "Karen",
    "Tao",
    "Eric",
    "Jing",
    "Ivy",
]
OFFER_EN = [
    "We offer {topic} with proven deployments for {n} clients.",
    "Our team provides {topic}; pilots can start within {w} weeks.",
]
NEED_EN = [
    "We are looking for a partner for {topic}, budget about USD {m} million.",
    "Seeking {topic} to support expansion into {region} within {w} months.",
]
OFFER_ZH = ["我们提供{topic}服务，已为{n}家客户落地。", "团队专注{topic}，可在{w}周内启动试点。"]
NEED_ZH = [
    "寻求{topic}合作伙伴，预算约{m}百万美元。",
    "需要{topic}支持，计划{w}个月内拓展{region}市场。",
]
REGION_ZH = {
    "Beijing": "北京",
    "Hong Kong": "香港",
    "Shenzhen": "深圳",
    "Shanghai": "上海",
    "Tianjin": "天津",
    "Singapore": "新加坡",
    "Germany": "德国",
    "United Kingdom": "英国",
    "Saudi Arabia": "沙特阿拉伯",
    "Malaysia": "马来西亚",
}


@dataclass(frozen=True)
class EventShape:
    participants: int = 3000
    participants_per_organisation: float = 1.6
    opportunities_per_participant: float = 3.0
    requests_per_participant: float = 6.0
    accepted_share: float = 0.85
    sessions: int = 4
    slots_per_session: int = 9
    slot_minutes: int = 20
    tables: int = 600
    popularity_skew: float = 0.8  # Zipf exponent of how often an organisation is asked
    restricted_share: float = 0.1  # participants who attend only some sessions


def generate_event(
    participants: int = 3000, seed: int = 0, slug: str | None = None, **shape: Any
) -> dict[str, Any]:
    """An exchange document (dict) for a synthetic event of about `participants` people."""
    spec = EventShape(participants=participants, **shape)
    rng = random.Random(seed)
    slug = slug or f"synthetic-{participants}-{seed}"
    organisations = _organisations(spec, rng)
    people = _participants(spec, rng, organisations)
    sessions = _sessions(spec)
    return {
        "format": FORMAT,
        "event": {
            "slug": slug,
            "name": f"Synthetic cooperation fair ({participants} participants, seed {seed})",
            "name_zh": f"合作洽谈会（模拟，{participants}人）",
            "kind": "fair",
            "timezone": "Asia/Hong_Kong",
            "starts_on": sessions[0]["date"],
            "ends_on": sessions[-1]["date"],
            "venue": "Hong Kong Convention and Exhibition Centre",
            "description": "Generated for benchmarks and load tests.",
        },
        "organisations": organisations,
        "participants": people,
        "opportunities": _opportunities(spec, rng, organisations),
        "meeting_sessions": sessions,
        "availability": _availability(spec, rng, people, sessions),
        "meeting_requests": _requests(spec, rng, people),
    }


def _organisations(spec: EventShape, rng: random.Random) -> list[Row]:
    count = max(2, round(spec.participants / spec.participants_per_organisation))
    rows = []
    for index in range(count):
        sectors = rng.sample(list(SECTORS), k=rng.choice([1, 1, 2]))
        region = rng.choices(REGIONS, REGION_WEIGHTS)[0]
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        language = _pick_language(rng, region)
        topic_en, topic_zh = _topic(rng, sectors[0])
        name = f"{rng.choice(FAMILY)} {sectors[0].replace('_', ' ').title()} {index}"
        description = _localise(
            language,
            f"{name} works on {topic_en} in {region}.",
            f"{name}专注于{topic_zh}，总部位于{REGION_ZH[region]}。",
        )
        rows.append(
            {
                "key": f"org-{index}",
                "name": name,
                "kind": kind,
                "region": region,
                "sectors": sectors,
                "description": description,
                "language": language,
            }
        )
    return rows


def _participants(spec: EventShape, rng: random.Random, organisations: list[Row]) -> list[Row]:
    rows = []
    for index in range(spec.participants):
        # Every organisation first gets one person, the rest are spread at random.
        org = organisations[index] if index < len(organisations) else rng.choice(organisations)
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        rows.append(
            {
                "key": f"p-{index}",
                "organisation": org["key"],
                "name": f"{given} {family}",
                "email": f"{given.lower()}.{family.lower()}.{index}@example.com",
                "languages": ["en", "zh"] if org["region"] in ("Beijing", "Hong Kong") else ["en"],
            }
        )
    return rows


def _opportunities(spec: EventShape, rng: random.Random, organisations: list[Row]) -> list[Row]:
    total = round(spec.participants * spec.opportunities_per_participant)
    rows = []
    for index in range(total):
        org = organisations[index % len(organisations)]
        sector = rng.choice(org["sectors"])
        direction = rng.choice(["offer", "need"])
        topic_en, topic_zh = _topic(rng, sector)
        region = rng.choices(REGIONS, REGION_WEIGHTS)[0]
        values = {
            "topic": topic_en,
            "n": rng.randint(3, 80),
            "w": rng.randint(2, 12),
            "m": rng.randint(1, 30),
            "region": region,
        }
        english = rng.choice(OFFER_EN if direction == "offer" else NEED_EN).format(**values)
        chinese = rng.choice(OFFER_ZH if direction == "offer" else NEED_ZH).format(
            **{**values, "topic": topic_zh, "region": REGION_ZH[region]}
        )
        language = _pick_language(rng, org["region"])
        title = _localise(language, topic_en.capitalize(), topic_zh)
        rows.append(
            {
                "key": f"opp-{index}",
                "organisation": org["key"],
                "direction": direction,
                "category": rng.choice(CATEGORIES),
                "title": title,
                "description": _localise(language, english, chinese),
                "sectors": [sector],
                "regions": [region] if rng.random() < 0.4 else [],
                "language": language,
            }
        )
    return rows


def _sessions(spec: EventShape) -> list[Row]:
    rows = []
    first_day = dt.date(2026, 12, 1)
    for index in range(spec.sessions):
        day = first_day + dt.timedelta(days=index // 2)
        start = dt.datetime.combine(day, dt.time(9, 0) if index % 2 == 0 else dt.time(14, 0))
        end = start + dt.timedelta(minutes=spec.slot_minutes * spec.slots_per_session)
        rows.append(
            {
                "key": f"s{index + 1}",
                "date": day.isoformat(),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
                "slot_minutes": spec.slot_minutes,
                "tables": spec.tables,
            }
        )
    return rows


def _availability(
    spec: EventShape, rng: random.Random, people: list[Row], sessions: list[Row]
) -> list[Row]:
    rows = []
    for person in people:
        if len(sessions) > 1 and rng.random() < spec.restricted_share:
            chosen = rng.sample([s["key"] for s in sessions], k=rng.randint(1, len(sessions) - 1))
            rows.append({"participant": person["key"], "sessions": sorted(chosen)})
    return rows


def _requests(spec: EventShape, rng: random.Random, people: list[Row]) -> list[Row]:
    by_org: dict[str, list[Row]] = {}
    for person in people:
        by_org.setdefault(person["organisation"], []).append(person)
    org_keys = list(by_org)
    rng.shuffle(org_keys)
    # Zipf popularity: the organisation at rank r is asked with weight 1 / r^skew.
    weights = [1 / math.pow(rank + 1, spec.popularity_skew) for rank in range(len(org_keys))]
    total = round(spec.participants * spec.requests_per_participant / 2)
    seen: set[frozenset[str]] = set()
    rows: list[Row] = []
    attempts = 0
    while len(rows) < total and attempts < total * 20:
        attempts += 1
        sender = rng.choice(people)
        target_org = rng.choices(org_keys, weights)[0]
        if target_org == sender["organisation"]:
            continue
        recipient = rng.choice(by_org[target_org])
        pair = frozenset((sender["key"], recipient["key"]))
        if pair in seen:
            continue
        seen.add(pair)
        roll = rng.random()
        status = "accepted" if roll < spec.accepted_share else rng.choice(["pending", "declined"])
        rows.append(
            {
                "key": f"r-{len(rows)}",
                "from": sender["key"],
                "to": recipient["key"],
                "status": status,
                "priority": rng.choices([1, 2, 3], [2, 5, 3])[0],
            }
        )
    return rows


def _topic(rng: random.Random, sector: str) -> tuple[str, str]:
    english, chinese = SECTORS[sector]
    index = rng.randrange(len(english))
    return english[index], chinese[index]


def _pick_language(rng: random.Random, region: str) -> str:
    if region == "Hong Kong":
        return rng.choices(["en", "zh-Hant"], [6, 4])[0]
    if region in REGION_ZH and region not in (
        "Singapore",
        "Germany",
        "United Kingdom",
        "Saudi Arabia",
        "Malaysia",
    ):
        return rng.choices(["zh-Hans", "en"], [7, 3])[0]
    return "en"


def _localise(language: str, english: str, simplified: str) -> str:
    if language == "en":
        return english
    return simplified if language == "zh-Hans" else to_traditional(simplified)
