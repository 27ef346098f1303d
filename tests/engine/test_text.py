import pytest

from superconnector.engine.text import detect_language, to_simplified, to_traditional


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hong Kong listing adviser for a Main Board IPO", "en"),
        ("寻求香港上市保荐人，计划明年递表", "zh-Hans"),
        ("尋求香港上市保薦人，計劃明年遞表", "zh-Hant"),
        ("我們提供 trade credit insurance 服務", "zh-Hant"),
        ("AI 芯片 design partner wanted for our SoC team in Beijing", "en"),
        ("出口信用保險", "zh-Hant"),
        ("临床试验机构", "zh-Hans"),
        ("", "en"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_script_conversion_keeps_latin_text():
    assert to_simplified("軟件 software") == "软件 software"
    assert to_traditional("软件") == "軟件"
    assert to_simplified("plain English") == "plain English"


def test_tokens_are_script_independent_and_drop_stopwords():
    from superconnector.engine.text import tokenize

    assert tokenize("軟件開發") == tokenize("软件开发")
    assert "the" not in tokenize("The licences and the filings")
    assert {"licence", "filing"} <= set(tokenize("The licences and the filings"))
    assert {"trade", "credit", "insurance"} <= set(tokenize("Trade-credit insurance"))
