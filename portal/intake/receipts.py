"""The citizen's receipt: the same lines on the screen, in the print view and in the PDF.

The status link and its QR code are built on the `public_base_url` setting, the address
citizens reach the portal at from outside; an agent's browser address (often 127.0.0.1 or
an intranet name) means nothing on a citizen's phone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from portal import settings
from portal.intake import lookup
from portal.intake.intake import Receipt
from portal.messages import t

# A font every PDF reader has for Chinese (Adobe's CID font, not embedded): no font file
# ships with the portal, and the PDF stays a few kilobytes.
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass(frozen=True)
class Line:
    label: str
    value: str


def status_page(base_url: str) -> str:
    """The public status page's address: short enough to type from paper."""
    return f"{base_url.rstrip('/')}/status"


def link(receipt: Receipt, base_url: str) -> str:
    """The status page with the receipt number and code: opening it looks the case up."""
    return settings.status_link(base_url, receipt.receipt_no, receipt.lookup_code)


def rows(receipt: Receipt, lang: str, base_url: str) -> list[Line]:
    """The receipt's lines, shared by the page, the print view and the PDF."""
    en = lang == "en"
    name, joined = ("name_en", "; ") if en else ("name_zh", "；")
    brought = [d[name] for d in receipt.documents if d["brought"]]
    to_bring = [d[name] if d["required"] else t("receipt.optional", lang, name=d[name])
                for d in receipt.documents if not d["brought"]]
    none = t("receipt.none", lang)
    return [Line(t(label, lang), value) for label, value in (
        ("receipt.received_at", f"{receipt.received_at:%Y-%m-%d %H:%M}"),
        ("receipt.citizen", receipt.citizen),
        ("receipt.service", receipt.service_en if en else receipt.service_zh),
        ("receipt.unit", receipt.unit_en if en else receipt.unit_zh),
        ("receipt.agent", receipt.agent or none),
        ("receipt.due", receipt.due_date.isoformat()),
        ("receipt.status", t(f"status.{receipt.status}", lang)),
        ("receipt.documents_received", joined.join(brought) or none),
        ("receipt.documents_missing", joined.join(to_bring) or none),
        ("receipt.lookup_code", lookup.format_code(receipt.lookup_code)),
        ("receipt.lookup", status_page(base_url)),
    )]


def qr_png(receipt: Receipt, base_url: str) -> bytes:
    out = io.BytesIO()
    segno.make(link(receipt, base_url), error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def to_pdf(receipt: Receipt, lang: str, base_url: str) -> bytes:
    """An A5 page: title, receipt number, the lines, the QR code and how to use it."""
    out = io.BytesIO()
    width, height = A5
    pdf = Canvas(out, pagesize=A5, pageCompression=1)
    pdf.setTitle(f"{t('receipt.title', lang)} {receipt.receipt_no}")
    left, y = 14 * mm, height - 18 * mm
    pdf.setFont(FONT, 15)
    pdf.drawString(left, y, f"{t('app.title', lang)} · {t('receipt.title', lang)}")
    pdf.setStrokeColorRGB(0.75, 0.22, 0.17)
    pdf.line(left, y - 3 * mm, width - left, y - 3 * mm)
    y -= 12 * mm
    pdf.setFont(FONT, 9)
    pdf.drawString(left, y, t("receipt.number", lang))
    pdf.setFont(FONT, 17)
    pdf.drawString(left, y - 7 * mm, receipt.receipt_no)
    y -= 16 * mm
    label_width = 28 * mm
    for line in rows(receipt, lang, base_url):
        pdf.setFont(FONT, 9)
        pdf.drawString(left, y, line.label)
        pdf.setFont(FONT, 10)
        for part in _wrapped(line.value, width - 2 * left - label_width, 10):
            pdf.drawString(left + label_width, y, part)
            y -= 5.5 * mm
        y -= 1.2 * mm
    _qr(pdf, link(receipt, base_url), left, y - 32 * mm, 30 * mm)
    pdf.setFont(FONT, 9)
    for n, part in enumerate(_wrapped(t("receipt.lookup_how", lang),
                                      width - 2 * left - 36 * mm, 9)):
        pdf.drawString(left + 36 * mm, y - 6 * mm - n * 5 * mm, part)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _qr(pdf: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code drawn as squares: sharp at any printer's resolution."""
    matrix = [list(row) for row in segno.make(text, error="m").matrix]
    cell = size / len(matrix)
    pdf.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * cell, y + size - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def _wrapped(text: str, width: float, size: float) -> list[str]:
    """The text cut into lines that fit `width` points (character by character: Chinese has
    no spaces to break at)."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, size) > width and line:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line or not lines else lines
