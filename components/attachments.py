"""The case file's attachments: thumbnails, downloads fetched on the click, and adding a scan
or a photo from a tablet's camera."""

from __future__ import annotations

from functools import partial

import streamlit as st

from components import upload
from components.feedback import acted, reported
from components.i18n import tr
from components.text import literal
from portal import access, attachments, settings
from portal.access import Actor
from portal.casework.casefile import CaseFile
from portal.uow import UnitOfWork

COLUMNS = 4


def section(actor: Actor, case: CaseFile) -> None:
    st.markdown(f"**{tr('attachment.title')}**")
    case_id = case.id
    with reported():
        # Read only for a case its history says has some: most case files have none.
        attached = any(event.kind == "attached" for event in case.events)
        items = attachments.listing(UnitOfWork(), actor, case_id) if attached else []
        if not items:
            st.caption(tr("attachment.none"))
        for row in range(0, len(items), COLUMNS):
            for column, item in zip(st.columns(COLUMNS), items[row:row + COLUMNS], strict=False):
                with column:
                    _card(actor, item)
    if access.may(actor.role, "case.attach"):
        _add(actor, case_id)


def _card(actor: Actor, item: attachments.AttachmentInfo) -> None:
    if item.thumbnail:
        st.image(item.thumbnail, width=160)
    else:
        st.markdown(":material/picture_as_pdf:")
    st.markdown(f"**{tr(f'attachment.kind.{item.kind}')}** · {literal(item.filename)}")
    st.caption(tr("attachment.by", name=item.uploaded_by, at=f"{item.uploaded_at:%Y-%m-%d %H:%M}",
                  size=f"{max(1, round(item.size / 1024)):,}\u00a0KB"))
    # The bytes are read when the button is clicked, not on every run of the page.
    st.download_button(tr("attachment.download"), data=partial(_content, actor, item.id),
                       file_name=item.filename, mime=item.media_type, on_click="ignore",
                       key=f"attachment_{item.id}", icon=":material/download:")


def _content(actor: Actor, attachment_id: int) -> bytes:
    return attachments.content(UnitOfWork(), actor, attachment_id)[2]


def _add(actor: Actor, case_id: int) -> None:
    # Drawn when asked for: most runs of the case file add nothing, and a desk without a
    # camera is never prompted for one.
    if not st.toggle(tr("attachment.add"), key=f"attach_open_{case_id}"):
        return
    kinds = {k: tr(f"attachment.kind.{k}") for k in attachments.KINDS}
    camera = st.toggle(tr("attachment.camera"), key=f"attach_camera_on_{case_id}")
    with st.form(f"attach_{case_id}", clear_on_submit=True):
        kind = st.radio(tr("attachment.kind"), list(kinds), horizontal=True,
                        format_func=kinds.__getitem__, key=f"attach_kind_{case_id}")
        if camera:
            picked = st.camera_input(tr("attachment.camera"), key=f"attach_photo_{case_id}")
        else:
            picked = upload.file_field(tr("attachment.file"), list(upload.SUFFIXES),
                                       f"attach_file_{case_id}",
                                       limit_mb=settings.current().attachment_max_mb)
        if st.form_submit_button(tr("attachment.save"), type="primary"):
            if picked is None:
                st.error(tr("attachment.error.empty"))
                return
            acted(lambda: attachments.attach(UnitOfWork(), actor, case_id,
                                             upload.attachments([picked], kind)[0]),
                  tr("attachment.saved"))
