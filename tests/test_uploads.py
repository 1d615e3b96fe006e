"""Uploaded workbooks are checked before they are parsed: a zip bomb is refused at once and
in little memory, a damaged file gets a message, never an exception."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile

import pytest

from db.config import ROOT
from db.ledger_sample import ledger
from portal import uploads
from portal.admin import ledger as import_
from portal.errors import DomainError

ROW = (b'<row><c t="inlineStr"><is><t>2023-03-06</t></is></c>'
       b'<c t="inlineStr"><is><t>PENSION-CERT</t></is></c></row>')


def workbook(rows: int = 3) -> bytes:
    buffer = io.BytesIO()
    ledger(rows).to_excel(buffer, index=False)
    return buffer.getvalue()


def with_sheet(sheet: bytes | None = None, *, stream_rows: int = 0) -> bytes:
    """A real workbook whose first sheet is replaced: by `sheet`, or by `stream_rows` rows."""
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for part in source.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                target.writestr(part, source.read(part))
            elif sheet is not None:
                target.writestr(part.filename, sheet)
            else:
                with target.open(part.filename, "w") as f:
                    f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                            b'spreadsheetml/2006/main"><sheetData>')
                    chunk = ROW * 10_000
                    for _ in range(stream_rows // 10_000):
                        f.write(chunk)
                    f.write(b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """About a gigabyte of rows packed into a few MB, as a ledger workbook."""
    return with_sheet(stream_rows=11_000_000)


def refused(data: bytes, name: str = "台账.xlsx") -> str:
    with pytest.raises(DomainError) as refusal:
        import_.read(data, name)
    return refusal.value.key


def test_a_zip_bomb_is_refused_at_once_in_little_memory(bomb, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    assert len(bomb) < 5 * 2**20
    probe = f"""
import json, resource, sys, time
from portal.admin import ledger
from portal.errors import DomainError
data = open({str(path)!r}, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    ledger.read(data, "bomb.xlsx")
    key = None
except DomainError as error:
    key = error.key
took = time.perf_counter() - started
extra = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({{"key": key, "seconds": took, "extra_mb": extra / 1024}}))
"""
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["key"] == "upload.error.too_big"
    assert result["seconds"] < 2 and result["extra_mb"] < 100, result


def test_a_bomb_that_declares_small_sizes_is_cut_off_at_what_it_declares(bomb):
    """The central directory claims 1 MB; unpacking stops there and the check sum fails."""
    data = bytearray(bomb)
    for offset in _central_entries(data):
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46:offset + 46 + name_length] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, offset + 24, 2**20)
    assert refused(bytes(data)) == "upload.error.unreadable"


def _central_entries(data: bytearray) -> list[int]:
    offsets, at = [], data.find(b"PK\x01\x02")
    while at != -1:
        offsets.append(at)
        at = data.find(b"PK\x01\x02", at + 4)
    return offsets


@pytest.mark.parametrize("damage", ["random bytes", "a zip of a text file", "cut in half",
                                    "garbage for a sheet", "no sheet at all"])
def test_a_damaged_workbook_gets_a_message_not_an_exception(damage):
    good = workbook()
    if damage == "random bytes":
        data = bytes(range(256)) * 40
    elif damage == "a zip of a text file":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("readme.txt", "not a workbook")
        data = buffer.getvalue()
    elif damage == "cut in half":
        data = good[:len(good) // 2]
    elif damage == "garbage for a sheet":
        data = with_sheet(b"<worksheet><sheetData><row><c t='n'><v>x</v></c></row>")
    else:
        data = with_sheet(b"")
    assert refused(data) == "upload.error.unreadable"


def test_rows_past_the_limit_are_refused_while_reading(monkeypatch):
    monkeypatch.setattr(import_, "MAX_ROWS", 50)
    assert refused(workbook(51)) == "upload.error.too_many_rows"
    assert len(import_.read(workbook(50), "台账.xlsx")) == 50


def test_an_old_excel_file_is_named_as_such():
    assert refused(b"\xd0\xcf\x11\xe0 old excel", "台账.xls") == "ledger.error.old_excel"


def test_a_workbook_reads_as_pandas_would():
    frame = ledger(5).astype(object)
    frame.loc[0, "rating"] = 5.0  # a number cell reads "5", as typed, not "5.0"
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    rows = uploads.workbook_rows(buffer.getvalue(), 100)
    assert rows[0] == list(frame.columns)
    assert rows[1][list(frame.columns).index("rating")] == "5"
    assert [r[list(frame.columns).index("citizen_name")] for r in rows[1:]] == \
        frame["citizen_name"].tolist()


def test_a_csv_with_a_nul_byte_or_bad_bytes_gets_a_message():
    assert refused(b"received_date,phone\n2023-01-01,1\x00\n\"unclosed", "t.csv") in (
        "ledger.error.unreadable", "ledger.error.columns")
    assert refused(b"\xff\xfe\x00\x00" * 100, "t.csv") == "ledger.error.unreadable"
