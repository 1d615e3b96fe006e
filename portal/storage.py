"""Where attachments' bytes are kept: behind one small interface, in PostgreSQL by default.

An attachment row names its bytes by a key that starts with its storage's name ("db:42"),
so a second store (an S3-compatible one at a city's scale, docs/api.md) can take new files
while the old keys still read from where they were written.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from db.models import AttachmentBlob
from portal.errors import NotFound


class Storage(Protocol):
    prefix: str

    def put(self, session: Session, content: bytes) -> str:
        """Keep `content` in the caller's transaction; its key."""

    def get(self, session: Session, key: str) -> bytes: ...


class DatabaseStorage:
    """A row of attachment_blobs per file: kept and backed up with everything else."""

    prefix = "db"

    def put(self, session: Session, content: bytes) -> str:
        blob = AttachmentBlob(content=content)
        session.add(blob)
        session.flush()
        return f"{self.prefix}:{blob.id}"

    def get(self, session: Session, key: str) -> bytes:
        blob = session.get(AttachmentBlob, int(key.partition(":")[2]))
        if blob is None:
            raise NotFound(attachment=key)
        return blob.content


STORES: dict[str, Storage] = {DatabaseStorage.prefix: DatabaseStorage()}
CURRENT = DatabaseStorage.prefix  # where new files go


def put(session: Session, content: bytes) -> str:
    return STORES[CURRENT].put(session, content)


def get(session: Session, key: str) -> bytes:
    return STORES[key.partition(":")[0]].get(session, key)
