"""The receipt: everything the citizen needs, on paper they can use: a PDF with Chinese text,
a QR code and a link to the public status page that works from a citizen's phone."""

import datetime as dt
import io

import pypdf
import pytest

from portal import identity, settings
from portal.errors import InvalidInput
from portal.intake import receipts
from portal.intake.intake import Receipt

PUBLIC = "https://zwfw.laixi.gov.cn"
RECEIPT = Receipt(
    case_id=1, receipt_no="LX-20261126-000123", service_zh="城乡居民基本养老保险参保登记",
    service_en="Rural and urban residents' pension enrolment", due_date=dt.date(2026, 12, 17),
    unit_zh="姜山镇姜山村代理点", unit_en="Jiangshan Village Agency Point", agent="姜秀英",
    status="waiting_citizen",
    documents=[{"name_zh": "居民身份证", "name_en": "Resident ID card", "required": True,
                "brought": True},
               {"name_zh": "户口簿", "name_en": "Household register", "required": True,
                "brought": False},
               {"name_zh": "银行卡或存折", "name_en": "Bank card or passbook", "required": False,
                "brought": False}],
    lookup_code="7KQ2MXPA", received_at=dt.datetime(2026, 11, 26, 9, 41), citizen="王*英")


def lines(lang: str) -> dict[str, str]:
    return {line.label: line.value for line in receipts.rows(RECEIPT, lang, PUBLIC)}


def test_the_receipt_names_when_who_what_where_and_what_is_still_to_bring():
    zh = lines("zh")
    assert zh["受理时间"] == "2026-11-26 09:41"
    assert zh["申请人"] == "王*英"
    assert zh["已收材料"] == "居民身份证"
    # The bank card is optional: marked so, never listed as if it were missing.
    assert zh["待补材料"] == "户口簿；银行卡或存折（非必需）"
    assert zh["承诺办结日期"] == "2026-12-17"
    assert zh["经办人"] == "姜秀英"
    assert zh["查询码"] == "7KQ2-MXPA"
    assert zh["进度查询"] == "https://zwfw.laixi.gov.cn/status"  # alone: nothing to swallow
    en = lines("en")
    assert en["Documents still missing"] == "Household register; Bank card or passbook (optional)"


def test_the_link_and_qr_code_open_the_status_page_with_the_case_looked_up():
    assert receipts.link(RECEIPT, PUBLIC + "/") == (
        "https://zwfw.laixi.gov.cn/status?r=LX-20261126-000123&c=7KQ2MXPA")
    assert receipts.qr_png(RECEIPT, PUBLIC).startswith(b"\x89PNG")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_is_one_page_with_every_line_in_its_language(lang):
    pdf = pypdf.PdfReader(io.BytesIO(receipts.to_pdf(RECEIPT, lang, PUBLIC)))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text().replace("\n", "")
    assert RECEIPT.receipt_no in text
    for line in receipts.rows(RECEIPT, lang, PUBLIC):
        assert line.label in text and line.value.replace(" ", "") in text.replace(" ", "")
    assert ("受理新件" not in text) and ("New case" not in text)  # the page's heading is not


def test_names_are_masked_on_paper():
    assert [identity.mask_name(n) for n in ("王秀英", "李明", "欧阳文博", "张")] == [
        "王*英", "李*", "欧**博", "张"]


@pytest.mark.parametrize("value", ["zwfw.laixi.gov.cn", "ftp://x.cn", "https://x.cn/?a=1",
                                   "https://", "javascript:alert(1)", "https://x.cn/#top"])
def test_the_public_address_must_be_a_plain_web_address(value):
    assert settings.errors({"public_base_url": value}) == {
        "public_base_url": "settings.error.url"}
    assert settings.errors({"public_base_url": PUBLIC}) == {}
    assert settings.errors({"public_base_url": ""}) == {}


def test_an_admin_sets_the_public_address(uow, actors):
    settings.save(uow, actors["admin"], {"public_base_url": PUBLIC})
    with pytest.raises(InvalidInput):
        settings.save(uow, actors["admin"], {"public_base_url": "intranet:8501"})
