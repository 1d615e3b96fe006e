"""A file field that speaks the user's language: Streamlit draws its own English ("Upload",
"20MB per file • CSV") inside the drop zone and offers no parameter for it, so those words
are hidden and ours drawn in their place."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from components.i18n import tr
from portal.attachments import Upload

# What an attachment may be picked as; its content decides what it is (portal.attachments).
SUFFIXES = ("jpg", "jpeg", "png", "webp", "pdf")

ZONE = '[data-testid="stFileUploaderDropzone"]'
LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] > div > span'
# The button's words (and icon) are drawn transparent and ours over them: it stays a button
# to click and tab to. The size limit, which nobody clicks, is hidden and ours drawn instead.
CSS = """<style>
%(zone)s button { -webkit-text-fill-color: transparent; position: relative; }
%(zone)s button::after { content: %(button)s; -webkit-text-fill-color: currentColor;
  position: absolute; left: 0; right: 0; top: 0.4rem; text-align: center; }
%(limit_span)s { visibility: hidden; font-size: 0; }
%(limit_span)s::after { content: %(limit)s; visibility: visible; font-size: 0.875rem; }
</style>"""


def file_field(label: str, types: list[str], key: str, *, multiple: bool = False,
               limit_mb: int | None = None) -> Any:
    """One file of `types` (several, if `multiple`), up to `limit_mb` or the server's limit."""
    limit = limit_mb or st.get_option("server.maxUploadSize")
    words = {"button": tr("upload.button"),
             "limit": tr("upload.limit", mb=limit, types="、".join(t.upper() for t in types))}
    st.html(CSS % {"zone": ZONE, "limit_span": LIMIT,
                   **{k: json.dumps(v, ensure_ascii=False) for k, v in words.items()}})
    return st.file_uploader(label, type=types, key=key, accept_multiple_files=multiple)


def attachments(files: list[UploadedFile], kind: str) -> tuple[Upload, ...]:
    """Files picked (or photos taken) as uploads of `kind` for a case."""
    return tuple(Upload(kind, f.name, f.getvalue()) for f in files)
