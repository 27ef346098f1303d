"""What organisers call things in their lists: column titles and cell values in English and
Chinese, each mapped to the field or code the exchange document uses.

Everything is compared after folding (case, width, spaces and punctuation removed), so
"E-mail", "email" and "ＥＭＡＩＬ" are one alias. The codes of closed vocabularies
(organisation kinds, roles) come from superconnector.vocabulary: each code is an alias of
itself, so a code added there is read from a list at once, and words here for a code the
vocabulary lacks stop the module loading rather than let a cell through that the document
would refuse. The interface's own labels for those codes ("Professional service provider",
专业服务机构, 專業服務機構), in every language it speaks, are read too: they come from the
choices and the translation catalogues at first use, not from a copy here.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.conf import settings
from django.db.models import TextChoices
from django.utils import translation

from superconnector.directory.models.choices import OrganisationKind, Role
from superconnector.vocabulary import ORGANISATION_KINDS, ROLES

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "delegate name",
        "contact name",
        "participant",
        "姓名",
        "名字",
        "與會者",
        "与会者",
    ),
    "name_zh": (
        "chinese name",
        "name in chinese",
        "name (chinese)",
        "name_zh",
        "中文姓名",
        "中文名",
        "中文名字",
    ),
    "title": (
        "title",
        "job title",
        "position",
        "designation",
        "職位",
        "职位",
        "職務",
        "职务",
        "職稱",
        "职称",
        "頭銜",
        "头衔",
    ),
    "organisation": (
        "organisation",
        "organization",
        "company",
        "company name",
        "institution",
        "employer",
        "organisation name",
        "organization name",
        "機構",
        "机构",
        "公司",
        "單位",
        "单位",
        "機構名稱",
        "机构名称",
        "公司名稱",
        "公司名称",
        "工作單位",
        "工作单位",
    ),
    "email": (
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "mail",
        "電郵",
        "电邮",
        "電子郵件",
        "电子邮件",
        "郵箱",
        "邮箱",
        "電郵地址",
        "电邮地址",
    ),
    "phone": (
        "phone",
        "telephone",
        "tel",
        "mobile",
        "phone number",
        "電話",
        "电话",
        "手機",
        "手机",
        "聯絡電話",
        "联系电话",
    ),
    "kind": (
        "organisation type",
        "organization type",
        "kind",
        "type",
        "機構類型",
        "机构类型",
        "類型",
        "类型",
    ),
    "region": (
        "region",
        "city",
        "country",
        "location",
        "地區",
        "地区",
        "城市",
        "國家/地區",
        "国家/地区",
    ),
    "sectors": ("sectors", "sector", "industry", "industries", "行業", "行业", "領域", "领域"),
    "role": ("role", "角色", "身份"),
    "languages": ("languages", "language", "spoken languages", "語言", "语言"),
    "key": ("key", "id", "delegate id", "registration id", "編號", "编号", "登記編號", "登记编号"),
}
REQUIRED = ("name", "email", "organisation")


def code_aliases(
    codes: tuple[str, ...], words: dict[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """The aliases of every code of a closed vocabulary, in the vocabulary's order.

    Each code answers to itself first, then to the words given for it; words for a code
    the vocabulary does not have are a mistake in this table, refused here.
    """
    if unknown := set(words) - set(codes):
        raise ValueError(f"aliases for codes the vocabulary does not have: {sorted(unknown)}")
    return {code: tuple(dict.fromkeys((code, *words.get(code, ())))) for code in codes}


KIND_WORDS = code_aliases(
    ORGANISATION_KINDS,
    {
        "enterprise": ("company", "corporate", "企業", "企业", "公司"),
        "startup": ("start-up", "初創", "初创", "初創企業", "初创企业"),
        "investor": ("vc", "venture capital", "投資者", "投资者", "投資機構", "投资机构"),
        "financial_institution": (
            "financial institution",
            "bank",
            "銀行",
            "银行",
            "金融機構",
            "金融机构",
        ),
        "research_institution": (
            "research institution",
            "lab",
            "laboratory",
            "研究機構",
            "研究机构",
            "實驗室",
            "实验室",
            "研究院",
        ),
        "university": ("大學", "大学", "高校"),
        "service_provider": (
            "service provider",
            "professional services",
            "專業服務",
            "专业服务",
            "服務機構",
            "服务机构",
        ),
        "government": ("政府", "政府部門", "政府部门"),
        "chamber": ("chamber of commerce", "商會", "商会"),
        "association": ("協會", "协会"),
    },
)
ROLE_WORDS = code_aliases(
    ROLES,
    {
        "delegate": ("代表", "參會者", "参会者"),
        "speaker": ("講者", "讲者", "嘉賓", "嘉宾"),
        "vip": ("貴賓", "贵宾"),
        "organiser": ("organizer", "staff", "主辦", "主办", "工作人員", "工作人员"),
        "press": ("media", "媒體", "媒体", "記者", "记者"),
    },
)
# Spoken languages are an open list (a person's languages are free codes, unlike the
# closed vocabulary.LANGUAGES of the scripts texts are written in): a word not here is
# kept as it is, lower-cased.
LANGUAGE_WORDS = {
    "en": ("en", "english", "英語", "英语", "英文"),
    "zh": ("zh", "mandarin", "putonghua", "chinese", "普通話", "普通话", "中文", "國語", "国语"),
    "yue": ("yue", "cantonese", "粵語", "粤语", "廣東話", "广东话"),
}


def fold(text: str) -> str:
    """A title or cell as compared with the aliases: NFKC, case-folded, no spaces or
    punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-.:()（）*]+", "", text)


def _reverse(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(alias): code for code, aliases in table.items() for alias in aliases}


COLUMN_OF = _reverse(COLUMNS)
KIND_OF = _reverse(KIND_WORDS)
ROLE_OF = _reverse(ROLE_WORDS)
LANGUAGE_OF = _reverse(LANGUAGE_WORDS)


def interface_labels(choices: type[TextChoices]) -> dict[str, tuple[str, ...]]:
    """Each code's label as the interface shows it, in every language it speaks."""
    labels: dict[str, list[str]] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices.choices:
                labels.setdefault(code, []).append(str(label))
    return {code: tuple(dict.fromkeys(words)) for code, words in labels.items()}


@functools.cache
def _label_codes(choices: type[TextChoices]) -> dict[str, str]:
    # Built at first use: the catalogues can only be read once Django is set up.
    return _reverse(interface_labels(choices))


def kind_code(cell: str) -> str:
    """The organisation kind a cell names (code, alias or interface label), or ""."""
    folded = fold(cell)
    return KIND_OF.get(folded) or _label_codes(OrganisationKind).get(folded, "")


def role_code(cell: str) -> str:
    """The role a cell names (code, alias or interface label), or ""."""
    folded = fold(cell)
    return ROLE_OF.get(folded) or _label_codes(Role).get(folded, "")
