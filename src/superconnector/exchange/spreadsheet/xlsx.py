"""Reading the first sheet of an .xlsx delegate list, refusing hostile files before parsing.

An .xlsx file is a zip archive of XML: a small upload can unpack to gigabytes (a zip
bomb), so the unpacked size is checked from the archive's directory first; openpyxl reads
the XML through defusedxml when it is installed, which stops XML entity bombs.
"""

from __future__ import annotations

import io
import zipfile

from superconnector.exchange.problems import ImportRejected, Problem

MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024


def read_xlsx_rows(data: bytes, max_rows: int) -> list[list[str]]:
    """The first sheet's rows as text, stopping soon after `max_rows` data rows (the caller
    refuses a list that long, and reading on would only cost memory)."""
    from openpyxl import load_workbook  # noqa: PLC0415 (openpyxl takes about 0.8 s to import; only XLSX files need it)

    _refuse_zip_bombs(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise ImportRejected([Problem("file", f"cannot read the .xlsx file: {exc}")]) from None
    sheet = workbook.worksheets[0]
    rows: list[list[str]] = []
    for values in sheet.iter_rows(values_only=True):
        if len(rows) > max_rows + 1:
            break
        rows.append([_cell_text(v) for v in values])
    workbook.close()
    return rows


def _refuse_zip_bombs(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportRejected(
            [Problem("file", "not a valid .xlsx file (it is not a zip archive)")]
        ) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportRejected(
            [
                Problem(
                    "file",
                    f"the .xlsx unpacks to {unpacked // 2**20} MiB, more than the "
                    f"{MAX_XLSX_UNPACKED_BYTES // 2**20} MiB allowed",
                )
            ]
        )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers typed as numbers
    return str(value).strip()
