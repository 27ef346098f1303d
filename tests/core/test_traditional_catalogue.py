"""The Traditional catalogue is derived from the Simplified one, msgstr text only."""

import importlib.util
from pathlib import Path

from opencc_purepy import OpenCC

TOOL = Path(__file__).resolve().parents[2] / "tools" / "traditional_catalogue.py"
spec = importlib.util.spec_from_file_location("traditional_catalogue", TOOL)
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)

SIMPLIFIED = """msgid ""
msgstr ""
"Language: zh_Hans\\n"

#. 会议 in a comment stays as it is
msgid "Sign in"
msgstr "登录"

msgid "Request a meeting with %(name)s"
msgstr ""
"向 %(name)s 请求会议，"
"查看数据"
"""


def test_only_translations_are_converted_with_hong_kong_words():
    converted = tool.convert_catalogue(SIMPLIFIED, OpenCC("s2hk"))
    assert "Language: zh_Hant" in converted
    assert 'msgstr "登入"' in converted  # 登錄 is 登入 in Hong Kong
    assert '"向 %(name)s 請求會議，"' in converted  # placeholders untouched
    assert '"查看資料"' in converted
    assert "#. 会议 in a comment stays as it is" in converted
    assert 'msgid "Request a meeting with %(name)s"' in converted


def test_an_email_address_is_said_once():
    converter = OpenCC("s2hk")
    assert tool.convert("电子邮箱地址，每行一个", converter) == "電郵地址，每行一個"
    assert tool.convert("您的电子邮箱", converter) == "您的電郵地址"
