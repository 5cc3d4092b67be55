"""Opening an uploaded workbook safely: a zip whose parts would inflate past a bound is
refused before openpyxl reads it, and anything openpyxl cannot read is an answer, not a
crash."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

# A form of a few hundred rows inflates to well under a megabyte; 64 MB leaves room for
# styles and images while refusing a zip bomb.
MAX_INFLATED_BYTES = 64 * 1024 * 1024


class NotAWorkbook(ValueError):
    """The bytes are not an .xlsx workbook openpyxl can read."""


def open_workbook(data: bytes) -> Workbook:
    if not data:
        raise NotAWorkbook("the request body is empty: send the .xlsx file as the body")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise NotAWorkbook("the file is not an .xlsx workbook (not a zip archive)") from None
    if inflated > MAX_INFLATED_BYTES:
        raise NotAWorkbook(f"the workbook inflates past {MAX_INFLATED_BYTES} bytes")
    if "xl/workbook.xml" not in names:
        raise NotAWorkbook("the file is a zip archive but not an .xlsx workbook")
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises many kinds on a damaged file
        raise NotAWorkbook(f"the workbook cannot be read: {type(e).__name__}") from None
    if not wb.worksheets:
        raise NotAWorkbook("the workbook has no worksheet")
    return wb
