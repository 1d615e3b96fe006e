"""Uploaded files as offices save them, checked before they are parsed.

Text: UTF-8, or GBK from Excel on a Chinese desktop. Workbooks (.xlsx, a zip of XML parts):
the sizes the archive declares are checked before a byte is unpacked, and rows are read one
at a time, so a small file that unpacks to gigabytes (a zip bomb) is refused at once.
"""

from __future__ import annotations

import io
import logging
import zipfile

import openpyxl

from portal.errors import DomainError

log = logging.getLogger(__name__)
ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 reads GBK and GB2312 too
# A 100,000-row ledger saved by Excel unpacks to about 70 MB and its parts shrink 5-15 times;
# a zip bomb shrinks a thousand times.
MAX_UNPACKED = 160 * 2**20
MAX_RATIO = 100
MAX_PARTS = 2000


def text(data: bytes) -> str:
    """The file's text; UnicodeDecodeError when it is in neither encoding."""
    for encoding in ENCODINGS[:-1]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode(ENCODINGS[-1])


def workbook_rows(data: bytes, max_rows: int) -> list[list[str]]:
    """The first sheet of an .xlsx workbook as rows of text, the header row first.

    DomainError `upload.error.unreadable` for a damaged file or one that is not a workbook,
    `upload.error.too_big` for one that would unpack too big, `upload.error.too_many_rows`
    past `max_rows` rows under the header.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise DomainError("upload.error.unreadable") from error
    _check_sizes(archive.infolist())
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                      keep_links=False)
        try:
            return _rows(book.worksheets[0], max_rows)
        finally:
            book.close()
    except DomainError:
        raise
    except Exception as error:  # any failure of the parser on a damaged part is the file's fault
        log.info("unreadable workbook: %r", error)
        raise DomainError("upload.error.unreadable") from error


def _check_sizes(parts: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(p.file_size for p in parts)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED or any(
            p.file_size > MAX_RATIO * max(p.compress_size, 1) + 2**16 for p in parts):
        raise DomainError("upload.error.too_big", limit=MAX_UNPACKED // 2**20)


def _rows(sheet, max_rows: int) -> list[list[str]]:
    rows = []
    for values in sheet.iter_rows(values_only=True):
        if len(rows) > max_rows:
            raise DomainError("upload.error.too_many_rows", limit=max_rows)
        rows.append([_cell_text(v) for v in values])
    while rows and not any(rows[-1]):  # rows Excel keeps for their formatting only
        rows.pop()
    return rows


def _cell_text(value: object) -> str:
    """A cell as text, as pandas reads it: 5 not 5.0, a date as 2023-03-06 00:00:00."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
