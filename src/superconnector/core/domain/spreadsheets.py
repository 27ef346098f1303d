"""Downloads as XLSX workbooks whose text is text: no formula, no apostrophe.

A CSV file carries no cell types, so a spreadsheet guesses them and runs "=…", "+…", "-…"
and "@…" as formulas; CSV exports keep the apostrophe guard for that
(`meetings.domain.agenda.spreadsheet_safe`). An XLSX file states each cell's type: text
written as a string cell is never evaluated, so it goes in as it is. The guard's apostrophe
there was a visible character in the cell ("'+86 10 …" for a phone number).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence


def xlsx_bytes(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook of one sheet called `title`: the column names, then the rows, every
    string a text cell (openpyxl would otherwise store "=…" as a formula)."""
    from openpyxl import Workbook  # noqa: PLC0415 (openpyxl takes about 0.8 s to import; only XLSX files need it)
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 (as above)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # Excel's limit for sheet names

    def as_cells(values: Sequence[object]) -> list[WriteOnlyCell]:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        return cells

    sheet.append(as_cells(columns))
    for row in rows:
        sheet.append(as_cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
