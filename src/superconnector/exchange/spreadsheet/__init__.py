"""Delegate lists as organisers receive them: CSV or XLSX, headers in English or Chinese.

Every row is checked first and every problem reported by row and column; only a clean
list is turned into an exchange document (organisations + participants) and imported
through the same all-or-nothing path as JSON. By concern, in the order a list goes through:

- aliases.py: column titles and cell values (organisation kinds, roles, languages) in
  English and Chinese, mapped to fields and vocabulary codes; pure Python.
- encoding.py: which encoding a CSV is in (UTF-8, GBK or Big5).
- xlsx.py: reading an .xlsx file, refusing zip bombs before parsing.
- reading.py: a CSV or XLSX file read into a Sheet (header and rows of text), with the
  file-level limits (rows, malformed quoting, huge cells).
- rows.py: the header mapped to fields and every row checked, giving Delegates.
- build.py: Delegates turned into an exchange document, noting what the list assumed.
- importing.py: the whole path, with the importer's problems named by spreadsheet row.
"""

from superconnector.exchange.spreadsheet.build import build_document
from superconnector.exchange.spreadsheet.encoding import decode_csv
from superconnector.exchange.spreadsheet.importing import import_delegate_list
from superconnector.exchange.spreadsheet.reading import (
    MAX_ROWS,
    SPREADSHEET_SUFFIXES,
    Sheet,
    read_sheet,
)
from superconnector.exchange.spreadsheet.rows import Delegate, check_rows, map_columns
from superconnector.exchange.spreadsheet.xlsx import MAX_XLSX_UNPACKED_BYTES

__all__ = [
    "MAX_ROWS",
    "MAX_XLSX_UNPACKED_BYTES",
    "SPREADSHEET_SUFFIXES",
    "Delegate",
    "Sheet",
    "build_document",
    "check_rows",
    "decode_csv",
    "import_delegate_list",
    "map_columns",
    "read_sheet",
]
