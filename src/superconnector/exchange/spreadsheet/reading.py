"""A delegate list's file (CSV or XLSX) read into a header and rows of text.

Only the file's form is checked here (readable, not empty, not too long, quotes that
close); what the cells say is checked in rows.py.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from superconnector.exchange.problems import ImportRejected, Problem
from superconnector.exchange.spreadsheet.encoding import decode_csv
from superconnector.exchange.spreadsheet.xlsx import read_xlsx_rows

SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
MAX_ROWS = 100_000


@dataclass
class Sheet:
    header: list[str]
    rows: list[list[str]]  # data rows; row i is spreadsheet row i + 2
    encoding: str = ""


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read the first sheet of a CSV or XLSX file into strings."""
    if filename.lower().endswith(".xlsx"):
        return _to_sheet(read_xlsx_rows(data, MAX_ROWS), "xlsx")
    text, encoding = decode_csv(data)
    try:
        # The sniffer tells commas from semicolons and tabs, which Excel uses by locale.
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # Strict: an unterminated quote would otherwise swallow every later row into one cell
    # without a word, and those delegates would silently not be imported.
    reader = csv.reader(io.StringIO(text), dialect, strict=True)
    try:
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # A huge cell (a 5 MB name), not broken quoting: say so.
            message = (
                f"a cell there is longer than {csv.field_size_limit():,} characters, far more "
                "than any column holds"
            )
        else:
            message = (
                f"the CSV is malformed there ({error}); check the quotes on that line "
                "and the one before"
            )
        raise ImportRejected([Problem(f"line {reader.line_num}", message)]) from None
    return _to_sheet(rows, encoding)


def _to_sheet(rows: list[list[str]], encoding: str) -> Sheet:
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise ImportRejected([Problem("file", "the file is empty")])
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRejected(
            [Problem("file", f"more than {MAX_ROWS:,} rows; split the list into smaller files")]
        )
    return Sheet(header=rows[0], rows=rows[1:], encoding=encoding)
