"""Scans, photos and PDFs on a case: checked by content, photos made upright and smaller
without their EXIF, kept behind the storage interface, shown only to those who see the case."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from db.models import Attachment, Case, CaseEvent
from portal import attachments, storage
from portal.attachments import Upload
from portal.errors import InvalidInput
from portal.intake import lookup
from tests.factories import new_case

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def photo(width: int = 4000, height: int = 3000, orientation: int | None = 6) -> bytes:
    """A camera's JPEG: big, lying on its side (EXIF orientation 6), with a GPS position."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x8825] = {2: (36.0, 51.0, 0.0)}  # GPSLatitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bomb(side: int = 100_000) -> bytes:
    """A tiny PNG whose header says it is 100,000 × 100,000 pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(
        b"\x00" * 1000)) + chunk(b"IEND", b"")


def test_a_photo_is_made_upright_and_smaller_and_loses_its_exif():
    kept = attachments.prepare(Upload("photo", "IMG_0001.JPG", photo()), 10 * 2**20)
    image = Image.open(io.BytesIO(kept.content))
    assert kept.media_type == "image/jpeg" and image.size == (1500, 2000)  # turned, fitted
    assert not image.getexif()  # no orientation left to apply, no position to leak
    thumb = Image.open(io.BytesIO(kept.thumbnail))
    assert max(thumb.size) == attachments.THUMB_SIDE


def test_a_scan_with_transparency_is_kept_on_white():
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    kept = attachments.prepare(Upload("document", "scan.png", out.getvalue()), 2**20)
    assert Image.open(io.BytesIO(kept.content)).getpixel((10, 10)) >= (250, 250, 250)


@pytest.mark.parametrize(("name", "data", "error"), [
    ("身份证.jpg", b"MZ\x90\x00 this is a program", "attachment.error.type"),
    ("说明.pdf", "这是一段文字".encode(), "attachment.error.type"),
    ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "attachment.error.unreadable"),
    ("bomb.png", png_bomb(), "attachment.error.too_big"),
    ("bomb.png", png_bomb(8000), "attachment.error.too_big"),  # past ours, short of Pillow's
    ("empty.pdf", b"", "attachment.error.empty"),
    ("big.pdf", b"%PDF-1.4\n" + b"0" * (2**20 + 1), "attachment.error.too_big"),
])
def test_a_file_is_judged_by_its_content_not_its_name(name, data, error):
    with pytest.raises(InvalidInput) as refused:
        attachments.prepare(Upload("document", name, data), 2**20)
    assert refused.value.errors == {"attachments": error}


def test_names_keep_no_folders_and_say_what_the_file_now_is():
    assert attachments.filename("C:\\Users\\张三\\户口簿.png", "image/jpeg") == "户口簿.jpg"
    assert attachments.filename("../../etc/passwd", "application/pdf") == "passwd.pdf"
    assert len(attachments.filename("长" * 300 + ".pdf", "application/pdf")) <= 120


def test_scans_and_the_power_of_attorney_come_with_the_case_taken_in(uow, actors):
    receipt = new_case(uow, actors["agent"], on_behalf=True, poa_signed=True,
                       poa_date=__import__("datetime").date(2026, 11, 30),
                       attachments=(Upload("document", "户口簿.pdf", PDF),
                                    Upload("power_of_attorney", "委托书.jpg", photo(800, 600))))
    found = attachments.listing(uow, actors["agent"], receipt.case_id)
    assert [(a.kind, a.filename, a.media_type) for a in found] == [
        ("document", "户口簿.pdf", "application/pdf"),
        ("power_of_attorney", "委托书.jpg", "image/jpeg")]
    assert found[0].thumbnail is None and found[1].thumbnail
    name, media, content = attachments.content(uow, actors["agent"], found[0].id)
    assert (name, media, content) == ("户口簿.pdf", "application/pdf", PDF)
    with uow:
        kinds = list(uow.session.scalars(select(CaseEvent.kind).where(
            CaseEvent.case_id == receipt.case_id).order_by(CaseEvent.seq)))
        keys = list(uow.session.scalars(select(Attachment.storage_key)))
    assert kinds.count("attached") == 2 and all(k.startswith("db:") for k in keys)


def test_a_bad_file_at_intake_leaves_no_case_behind(uow, actors):
    with pytest.raises(InvalidInput) as refused:
        new_case(uow, actors["agent"], attachments=(Upload("document", "x.pdf", b"nonsense"),))
    assert refused.value.errors == {"attachments": "attachment.error.type"}
    with pytest.raises(InvalidInput) as refused:
        new_case(uow, actors["agent"], attachments=(Upload("power_of_attorney", "x.pdf", PDF),))
    assert refused.value.errors == {"attachments": "attachment.error.poa_only_on_behalf"}
    with uow:
        assert uow.session.scalar(select(Case.id)) is None


def test_the_size_limit_is_a_setting(committed, actors, tuned):
    from portal.uow import UnitOfWork
    tuned(attachment_max_mb=1)
    case_id = new_case(UnitOfWork(), actors["agent"]).case_id
    big = b"%PDF-1.4\n" + b"0" * (2**20)
    with pytest.raises(InvalidInput):
        attachments.attach(UnitOfWork(), actors["agent"], case_id, Upload("document", "a.pdf", big))
    tuned(attachment_max_mb=2)
    assert attachments.attach(UnitOfWork(), actors["agent"], case_id,
                              Upload("document", "a.pdf", big))


def test_attachments_are_never_on_the_public_status(uow, actors):
    receipt = new_case(uow, actors["agent"], attachments=(Upload("document", "户口簿.pdf", PDF),))
    answer = lookup.find(uow, receipt.receipt_no, receipt.lookup_code, "192.0.2.1")
    assert answer.status and "户口簿.pdf" not in repr(answer.status)
    assert "attached" not in lookup.PUBLIC_STEPS


def test_the_database_store_keeps_bytes_by_key(uow):
    with uow:
        key = storage.put(uow.session, b"\x00\x01scan")
        assert key.startswith("db:") and storage.get(uow.session, key) == b"\x00\x01scan"
