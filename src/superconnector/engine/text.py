"""Language detection, script normalisation and tokenisation for English and Chinese text.

Indexing works on a normalised form: NFKC, lower case, Traditional converted to
Simplified. Display always keeps the author's original text.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from typing import TYPE_CHECKING, Any

from superconnector.vocabulary import LanguageCode

if TYPE_CHECKING:
    from opencc_purepy import OpenCC


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


@functools.cache
def _converter(config: str) -> OpenCC:
    from opencc_purepy import OpenCC  # noqa: PLC0415 (OpenCC builds its conversion tables; loaded on first Chinese text)

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


# --- normalisation and tokens ----------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+(?:[.+][a-z0-9]+)*")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_jieba_lock = threading.Lock()

EN_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "they",
        "this",
        "to",
        "we",
        "will",
        "with",
        "within",
        "us",
        "you",
        "your",
        "who",
        "which",
        "what",
        "looking",
        "seeking",
        "offer",
        "offers",
        "need",
        "needs",
        "provide",
        "provides",
        "providing",
        "support",
        "help",
        "new",
        "one",
        "two",
        "more",
        "most",
        "also",
        "based",
        "such",
        "other",
        "over",
        "per",
        "via",
        "about",
        "across",
        "all",
        "any",
        "each",
        "up",
        "both",
    ]
)
ZH_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "为",
        "是",
        "我们",
        "我司",
        "公司",
        "本公司",
        "贵方",
        "提供",
        "寻求",
        "需要",
        "希望",
        "可以",
        "能够",
        "进行",
        "以及",
        "通过",
        "一个",
        "相关",
        "有限公司",
        "等",
        "将",
        "对",
        "并",
        "也",
        "其",
        "于",
        "由",
        "从",
        "向",
        "已",
        "有",
        "及其",
        "主要",
        "我们的",
        "计划",
        "目前",
        "年",
        "月",
        "日",
        "之",
        "亦",
        "该",
        "可",
        "个",
    ]
)


def normalise(text: str) -> str:
    """The indexing form: compatibility-folded, lower case, Simplified script."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def _light_stem(word: str) -> str:
    """Fold the commonest English inflections so 'licences' meets 'licence'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.cache
def _jieba() -> Any:  # the jieba module, which ships no type information
    import jieba  # noqa: PLC0415 (jieba takes about 0.5 s to import, then builds its dictionary; loaded on first Chinese text)

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _segment(run: str) -> list[str]:
    jieba = _jieba()
    with _jieba_lock:  # jieba builds its dictionary lazily and is not thread-safe doing so
        words: list[str] = jieba.lcut(run, HMM=False)
    return words


def tokenize(text: str, *, normalised: bool = False) -> list[str]:
    """Index tokens: English words (lightly stemmed) and jieba words, stopwords removed.

    Chinese runs are segmented with jieba on the Simplified form, so 軟件 and 软件 give
    the same token.
    """
    text = text if normalised else normalise(text)
    tokens: list[str] = []
    position = 0
    for match in _HAN_RUN.finditer(text):
        tokens.extend(_latin_tokens(text[position : match.start()]))
        tokens.extend(w for w in _segment(match.group()) if w.strip() and w not in ZH_STOPWORDS)
        position = match.end()
    tokens.extend(_latin_tokens(text[position:]))
    return tokens


def _latin_tokens(text: str) -> list[str]:
    return [_light_stem(w) for w in _WORD.findall(text) if w not in EN_STOPWORDS and len(w) > 1]


def add_dictionary_words(words: list[str]) -> None:
    """Teach jieba domain terms so that they stay whole (保税仓, 临床试验机构)."""
    jieba = _jieba()
    with _jieba_lock:
        for word in words:
            jieba.add_word(word)
