"""The citizen's receipt as a standalone, printable HTML document."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from portal import lookup
from portal.intake import Receipt
from portal.messages import t

STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 42em;
       margin: 2em auto; color: #222; }
h1 { font-size: 1.4em; border-bottom: 2px solid #c0392b; padding-bottom: .3em; }
.number { font: bold 1.6em monospace; letter-spacing: .05em; }
dt { font-weight: bold; margin-top: .6em; } dd { margin-left: 0; }
@media print { body { margin: 0; } }
"""


def rows(receipt: Receipt, lang: str, lookup_url: str) -> list[tuple[str, str]]:
    """(label, value) lines of the receipt, shared by the page and the download."""
    en = lang == "en"
    brought = [d["name_en" if en else "name_zh"] for d in receipt.documents if d["brought"]]
    missing = [d["name_en" if en else "name_zh"] for d in receipt.documents if not d["brought"]]
    none = t("receipt.none", lang)
    return [
        (t("receipt.service", lang), receipt.service_en if en else receipt.service_zh),
        (t("receipt.status", lang), t(f"status.{receipt.status}", lang)),
        (t("receipt.due", lang), receipt.due_date.isoformat()),
        (t("receipt.documents_received", lang), "; ".join(brought) or none),
        (t("receipt.documents_missing", lang), "; ".join(missing) or none),
        (t("receipt.unit", lang), receipt.unit_en if en else receipt.unit_zh),
        (t("receipt.agent", lang), receipt.agent or none),
        (t("receipt.lookup_code", lang), lookup.format_code(receipt.lookup_code)),
        (t("receipt.lookup", lang), t("receipt.lookup_how", lang, url=link(receipt, lookup_url))),
    ]


def link(receipt: Receipt, lookup_url: str) -> str:
    """The status page's address with the receipt number and code: opening it looks it up."""
    return f"{lookup_url}?{urlencode({'r': receipt.receipt_no, 'c': receipt.lookup_code})}"


def to_html(receipt: Receipt, lang: str, lookup_url: str) -> str:
    lines = "\n".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>"
                      for label, value in rows(receipt, lang, lookup_url))
    title = escape(t("receipt.title", lang))
    return f"""<!doctype html>
<html lang="{'en' if lang == 'en' else 'zh-CN'}"><head><meta charset="utf-8">
<title>{title} {escape(receipt.receipt_no)}</title><style>{STYLE}</style></head>
<body><h1>{escape(t("app.title", lang))} · {title}</h1>
<p>{escape(t("receipt.number", lang))}</p><p class="number">{escape(receipt.receipt_no)}</p>
<dl>{lines}</dl></body></html>
"""
