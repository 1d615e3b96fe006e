"""Historical cases from paper ledgers: check the whole file first, then import all or nothing."""

import pandas as pd
import streamlit as st

from components import tables
from components.feedback import reported
from components.guard import page_title, require_page
from components.i18n import lang, tr
from components.upload import file_field
from portal.admin import ledger
from portal.uow import UnitOfWork

actor = require_page("ledger_import")
page_title("ledger_import")
st.caption(tr("ledger.caption"))
st.markdown(tr("ledger.columns", **ledger.columns_help(lang())))
st.download_button(tr("ledger.template"), lambda: ledger.template_csv(lang()),
                   tr("ledger.template_file"), "text/csv")

upload = file_field(tr("ledger.file"), ["csv", "xlsx"], "ledger_file")
check, write = st.columns(2)
dry_run = check.button(tr("import.check"), disabled=upload is None)
real = write.button(tr("import.write"), type="primary", disabled=upload is None)
if upload is not None and (dry_run or real):
    with reported():
        frame = ledger.read(upload.getvalue(), upload.name)
        with st.spinner(tr("ledger.working", n=len(frame))):
            report = ledger.load(UnitOfWork(), actor, frame, dry_run=not real)
        if report.errors:
            st.error(tr("import.bad_rows", n=len(report.errors)))
            tables.plain(pd.DataFrame([
                {tr("import.row"): n, tr("import.problems"): "; ".join(tr(k) for k in keys)}
                for n, keys in report.errors.items()]))
        elif report.written:
            st.success(tr("ledger.imported", n=report.written))
        else:
            st.success(tr("import.all_good", n=report.rows))
