"""The receipt: everything the citizen needs, and a download that prints cleanly."""

import datetime as dt

from portal import receipts
from portal.intake import Receipt

RECEIPT = Receipt(
    case_id=1, receipt_no="LX-20261126-000123", service_zh="医疗费用报销",
    service_en="Medical expense reimbursement", due_date=dt.date(2026, 12, 17),
    unit_zh="姜山镇姜山村代理点", unit_en="Jiangshan Village Agency Point", agent="姜秀英",
    status="waiting_citizen",
    documents=[{"name_zh": "居民身份证", "name_en": "Resident ID card", "required": True,
                "brought": True},
               {"name_zh": "医疗费用发票", "name_en": "Medical invoices", "required": True,
                "brought": False}],
    lookup_code="7KQ2MXPA")


def test_receipt_lists_documents_received_and_missing_and_the_lookup_address():
    lines = dict(receipts.rows(RECEIPT, "zh", "http://portal.laixi/status"))
    assert lines["已收材料"] == "居民身份证"
    assert lines["待补材料"] == "医疗费用发票"
    assert lines["承诺办结日期"] == "2026-12-17"
    assert lines["经办人"] == "姜秀英"
    assert lines["查询码"] == "7KQ2-MXPA"
    assert "http://portal.laixi/status?r=LX-20261126-000123&c=7KQ2MXPA" in lines["进度查询"]


def test_downloaded_receipt_is_a_standalone_html_page_with_escaped_text():
    bad = RECEIPT.__class__(**{**RECEIPT.__dict__, "agent": "<script>alert(1)</script>"})
    page = receipts.to_html(bad, "en", "http://portal.laixi/status")
    assert page.startswith("<!doctype html>") and "LX-20261126-000123" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Medical invoices" in page and "@media print" in page
