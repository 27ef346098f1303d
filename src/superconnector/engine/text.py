"""Language detection and script normalisation for English and Chinese text."""

from __future__ import annotations

import functools
import re
from typing import Literal

LanguageCode = Literal["en", "zh-Hans", "zh-Hant"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


@functools.cache
def _converter(config: str):
    from opencc_purepy import OpenCC

    return OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional to Simplified, for indexing and comparison (display keeps the original)."""
    return _converter("t2s").convert(text) if _HAN.search(text) else text


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text) if _HAN.search(text) else text


def _changed_characters(before: str, after: str) -> int:
    return sum(1 for a, b in zip(before, after, strict=False) if a != b)


def detect_language(text: str) -> LanguageCode:
    """Guess which of English, Simplified or Traditional Chinese a text is written in.

    Chinese wins when Han characters carry at least as much of the text as Latin letters
    do (one character counts for about four letters). The script is the one whose
    conversion changes fewer characters: Traditional text has many characters that t2s
    rewrites and few that s2t would.
    """
    han = _HAN.findall(text)
    if not han or len(han) * 4 < len(_LATIN.findall(text)):
        return "en"
    sample = "".join(han)
    traditional_only = _changed_characters(sample, _converter("t2s").convert(sample))
    simplified_only = _changed_characters(sample, _converter("s2t").convert(sample))
    # Ties ("台灣": one character each way) go to Traditional if any character is Traditional-only.
    if traditional_only and traditional_only >= simplified_only:
        return "zh-Hant"
    return "zh-Hans"
