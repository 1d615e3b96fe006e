"""Scans, photos and PDFs attached to a case: checked by their content, images made smaller.

What a file is, is read from its first bytes, never its name. Photos from a tablet's camera
are turned upright, downscaled to MAX_SIDE and saved again as JPEG (which also drops their
EXIF, GPS position included); a thumbnail is kept beside them for the case file. Only those
who may see the case see its attachments: they are never on the public status page and
never in the API.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ATTACHMENT_KINDS, Attachment, Case, User
from portal import access, clock, lifecycle, settings, storage
from portal.access import Actor
from portal.errors import InvalidInput, NotFound
from portal.storable import storable
from portal.units import case_in_scope
from portal.uow import UnitOfWork

KINDS = ATTACHMENT_KINDS
MAX_SIDE = 2000  # a page scanned at 200 dpi stays readable
THUMB_SIDE = 240
MAX_PIXELS = 50_000_000  # bigger is no photo but a decompression bomb
NAME_MAX = 120
SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
              (b"%PDF-", "application/pdf"))


@dataclass(frozen=True)
class Upload:
    kind: str  # document, photo or power_of_attorney
    filename: str
    data: bytes


@dataclass(frozen=True)
class Prepared:
    media_type: str
    content: bytes
    thumbnail: bytes | None


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    kind: str
    filename: str
    media_type: str
    size: int
    thumbnail: bytes | None
    uploaded_by: str
    uploaded_at: dt.datetime


def media_type(data: bytes) -> str | None:
    """What the file is by its first bytes: JPEG, PNG, WebP or PDF; None for anything else."""
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def prepare(upload: Upload, max_bytes: int) -> Prepared:
    """The file as it will be kept; InvalidInput naming what is wrong with it."""
    if upload.kind not in KINDS or not isinstance(upload.data, bytes):
        raise InvalidInput({"attachments": "attachment.error.kind"})
    if not upload.data:
        raise InvalidInput({"attachments": "attachment.error.empty"})
    if len(upload.data) > max_bytes:
        raise InvalidInput({"attachments": "attachment.error.too_big"})
    found = media_type(upload.data)
    if found is None:
        raise InvalidInput({"attachments": "attachment.error.type"})
    if found == "application/pdf":
        return Prepared(found, upload.data, None)
    return _image(upload.data)


def _image(data: bytes) -> Prepared:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise InvalidInput({"attachments": "attachment.error.too_big"})
            image = ImageOps.exif_transpose(image)
            image = _flattened(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            content = _jpeg(image, 85)
            image.thumbnail((THUMB_SIDE, THUMB_SIDE))
            return Prepared("image/jpeg", content, _jpeg(image, 70))
    except Image.DecompressionBombError as error:  # Pillow's own check, at twice our limit
        raise InvalidInput({"attachments": "attachment.error.too_big"}) from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise InvalidInput({"attachments": "attachment.error.unreadable"}) from error


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on white: a scan saved with transparency prints as it looked."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def filename(name: str, media: str) -> str:
    """The name as given, without folders, cut to fit; the extension of what it now is."""
    base = os.path.basename(str(name).replace("\\", "/")).strip() or "scan"
    stem = os.path.splitext(base)[0][:NAME_MAX - 5] or "scan"
    return f"{stem}.{media.rpartition('/')[2].replace('jpeg', 'jpg')}"


def store(session: Session, actor: Actor, case: Case, upload: Upload) -> Attachment:
    """Keep the file with the (flushed, in-scope) case in the caller's transaction."""
    if not storable(upload.filename):
        raise InvalidInput({"attachments": "form.error.characters"})
    limit = settings.current(session).attachment_max_mb * 2**20
    prepared = prepare(upload, limit)
    item = Attachment(case_id=case.id, kind=upload.kind,
                      filename=filename(upload.filename, prepared.media_type),
                      media_type=prepared.media_type, size=len(prepared.content),
                      storage_key=storage.put(session, prepared.content),
                      thumbnail=prepared.thumbnail, uploaded_by=actor.id,
                      uploaded_at=clock.now())
    session.add(item)
    session.flush()
    lifecycle.record(session, case, "attached", actor_id=actor.id,
                     data={"attachment_id": item.id, "kind": item.kind, "filename": item.filename})
    return item


def attach(uow: UnitOfWork, actor: Actor, case_id: int, upload: Upload) -> int:
    """Attach a file to a case in scope; the attachment's id."""
    access.require(actor, "case.attach")
    with uow:
        case = uow.session.scalar(select(Case).where(Case.id == case_id, _visible(actor)))
        if case is None:
            raise NotFound(case=case_id)
        item = store(uow.session, actor, case, upload)
        uow.commit()
        return item.id


def listing(uow: UnitOfWork, actor: Actor, case_id: int) -> list[AttachmentInfo]:
    """The case's attachments, oldest first, with their thumbnails but not their bytes."""
    access.require(actor, "case.view")
    with uow:
        rows = uow.session.execute(
            select(Attachment.id, Attachment.kind, Attachment.filename, Attachment.media_type,
                   Attachment.size, Attachment.thumbnail, User.display_name,
                   clock.local_time(Attachment.uploaded_at))
            .join(Case, Case.id == Attachment.case_id)
            .join(User, User.id == Attachment.uploaded_by)
            .where(Attachment.case_id == case_id, _visible(actor))
            .order_by(Attachment.id))
        return [AttachmentInfo(*row) for row in rows]


def content(uow: UnitOfWork, actor: Actor, attachment_id: int) -> tuple[str, str, bytes]:
    """An attachment's name, media type and bytes, for those who may see its case."""
    access.require(actor, "case.view")
    with uow:
        item = uow.session.scalar(select(Attachment).join(Case, Case.id == Attachment.case_id)
                                  .where(Attachment.id == attachment_id, _visible(actor)))
        if item is None:
            raise NotFound(attachment=attachment_id)
        return item.filename, item.media_type, storage.get(uow.session, item.storage_key)


def _visible(actor: Actor):
    return case_in_scope(actor)
