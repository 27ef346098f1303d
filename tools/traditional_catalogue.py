"""Derive the Traditional Chinese (Hong Kong) catalogue from the Simplified one.

    python tools/traditional_catalogue.py

Translators keep one Chinese catalogue, zh_Hans; zh_Hant is regenerated from it with
OpenCC's Simplified-to-Hong-Kong conversion, then a few words Hong Kong readers expect
differently in an interface. Only msgstr text is converted, never msgid or comments.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "superconnector" / "locale"

# Interface words where Hong Kong usage differs from a character-by-character conversion.
HONG_KONG_WORDS = {
    "攝像頭": "相機",
    "登錄": "登入",
    "數據": "資料",
    "信息": "資訊",
    "賬戶": "帳戶",
    "賬號": "帳號",
    "視頻": "影片",
    "默認": "預設",
    "搜索": "搜尋",
    "文件": "檔案",
    "鏈接": "連結",
    # OpenCC's Hong Kong forms write 户, so the 賬戶 entry above never matches its output.
    "賬户": "帳戶",
    "户": "戶",
    # Glyph forms of OpenCC's Hong Kong table that Hong Kong input methods and sites rarely use.
    "説": "說",
    "閲": "閱",
    # OpenCC reads 并发 ("concurrent") in 审核并发布 ("review and publish").
    "併發布": "並發佈",
    "回復": "回覆",
    "資料看板": "儀表板",
    "文檔": "文件",
    "導入": "匯入",
    "導出": "匯出",
    "設置": "設定",
    "保存": "儲存",
    "打印": "列印",
    "運行": "執行",
    "創建": "建立",
    "添加": "新增",
    "質量": "質素",
    "文本": "文字",
    "聯繫": "聯絡",
    "屏蔽": "封鎖",
    "伙伴": "夥伴",
    "擴展名": "副檔名",
    "單元格": "儲存格",
    "電子表格": "試算表",
    "粘貼": "貼",
    "日曆應用": "日曆應用程式",
    "退出登入": "登出",
    "電子郵箱地址": "電郵地址",  # before 電子郵箱, or it becomes 電郵地址地址
    "電子郵箱": "電郵地址",
    "該郵箱": "該電郵地址",
    "通過郵件": "透過電郵",
    "發送郵件": "發送電郵",
    "查收郵件": "查看電郵",
    "此郵件": "此電郵",
    "字段": "欄位",
    "命令行": "命令列",
}


def convert(text: str, converter) -> str:
    result = converter.convert(text)
    for simplified_usage, hong_kong in HONG_KONG_WORDS.items():
        result = result.replace(simplified_usage, hong_kong)
    return result


def convert_catalogue(source: str, converter) -> str:
    """The .po text with every msgstr (and its continuation lines) converted."""
    out, in_msgstr = [], False
    for line in source.splitlines(keepends=True):
        if line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        if in_msgstr:
            # Convert only inside the quotes, leaving escapes and placeholders intact.
            line = re.sub(r'"(.*)"', lambda m: '"' + convert(m.group(1), converter) + '"', line)
        out.append(line)
    text = "".join(out)
    return text.replace("Language: zh_Hans", "Language: zh_Hant")


def main() -> int:
    from opencc_purepy import OpenCC

    source = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
    if not source.is_file():
        print(f"no Simplified catalogue at {source}", file=sys.stderr)
        return 1
    target = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        convert_catalogue(source.read_text(encoding="utf-8"), OpenCC("s2hk")), encoding="utf-8"
    )
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
