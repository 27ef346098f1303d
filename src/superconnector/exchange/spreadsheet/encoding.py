"""Which encoding a CSV delegate list is in: UTF-8 (with or without BOM), GBK or Big5.

Excel saves CSV in the machine's legacy code page, so lists from the mainland arrive in
GBK and lists from Hong Kong and Taiwan in Big5, and nothing in the file says which.
"""

from __future__ import annotations

import re

from superconnector.exchange.problems import ImportRejected, Problem
from superconnector.exchange.spreadsheet.aliases import COLUMN_OF, fold


def decode_csv(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM), else GBK or Big5, whichever reads better."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_score_decoding(text, encoding), encoding, text))
    if not candidates:
        raise ImportRejected(
            [
                Problem(
                    "file", "cannot read the file's characters: save it as UTF-8, GBK or Big5 CSV"
                )
            ]
        )
    _score, encoding, text = max(candidates)
    return text, encoding


def _score_decoding(text: str, encoding: str) -> tuple[int, float]:
    """Known header names first, then the share of common characters of that script.

    A wrong two-byte decoding usually still decodes, but into rare characters: the common
    ones are GB2312 level 1 (3,755 hanzi) for GBK and Big5's frequent block (A440-C67E).
    """
    first_line = text.splitlines()[0] if text else ""
    known = sum(1 for cell in re.split(r"[,;\t]", first_line) if fold(cell.strip('"')) in COLUMN_OF)
    han = [c for c in text[:50_000] if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return known, 0.0
    common = sum(1 for c in han if _is_common(c, encoding))
    return known, common / len(han)


def _is_common(char: str, encoding: str) -> bool:
    try:
        if encoding == "gb18030":
            code = char.encode("gb2312")
            return 0xB0 <= code[0] <= 0xD7
        code = char.encode("big5")
        return 0xA440 <= int.from_bytes(code, "big") <= 0xC67E
    except UnicodeEncodeError:
        return False
