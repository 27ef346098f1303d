"""Which of a record's two names a reader sees: people, organisations and events have a name
(usually Latin) and may have a Chinese one (`name_zh`).

The Chinese interface (zh-hans, zh-hant) shows the Chinese name where there is one; every
other interface, and any record without one, shows `name`. Pure: it reads two attributes,
so one helper serves Person, Organisation and Event alike, and templates, mails and exports
can all ask it.
"""

from __future__ import annotations

from typing import Protocol

from django.utils import translation


class Named(Protocol):
    name: str
    name_zh: str


def reads_chinese(language: str | None) -> bool:
    """Whether a language code (zh, zh-hans, zh-Hant, zh_TW, ...) is a Chinese one."""
    return (language or "").lower().replace("_", "-").split("-")[0] == "zh"


def display_name(record: Named, language: str | None = None) -> str:
    """The name to show first, in `language` (default: the active interface language)."""
    language = translation.get_language() if language is None else language
    name_zh = (getattr(record, "name_zh", "") or "").strip()
    if name_zh and reads_chinese(language):
        return name_zh
    return record.name


def other_name(record: Named, language: str | None = None) -> str:
    """The second name, shown beside the first where a page has room for both; blank when
    the record has one name only (or both are the same)."""
    first = display_name(record, language)
    name_zh = (getattr(record, "name_zh", "") or "").strip()
    second = record.name if first == name_zh else name_zh
    return "" if not second or second == first else second
