"""User text made literal for Markdown keeps every character and none of the markup."""

import re

import pytest

from components.text import ZERO_WIDTH, literal

PAYLOADS = [
    "![p](http://127.0.0.1:9/p.png)", "[link](http://127.0.0.1:9/)", "**bold** _it_ ~~s~~",
    "<b>tag</b> <img src=x onerror=alert(1)>", ":smile: :100: :material/home: :red[red]",
    "$x^2$ `code` &lt; | a | b |", "# heading\n> quote\n- item\n+ item\n1. one\n2) two",
    "    indented code", "---\n===", "www.example.com a@b.cn <http://x/>", "LX-20261126-000123",
    "王秀英 10:30 (urgent) 3.5 元", "\\*already escaped\\*",
]


def unescaped(markdown: str) -> str:
    """What a Markdown renderer shows of text that holds only escapes and hard breaks."""
    text = markdown.replace(ZERO_WIDTH, "").replace("  \n", "\n").replace("\u00a0", " ")
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_literal_text_keeps_every_character(payload):
    assert unescaped(literal(payload)) == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_markup_character_is_left_bare(payload):
    marked = literal(payload)
    bare = re.sub(r"\\.", "", marked)  # what is not escaped
    assert not re.search(r"[*_`\[\]<>&~$|]", bare), marked
    assert not re.search(r"(?m)^\u00a0*([#>+=-]|\d+[.)](\s|$))", marked), marked
    assert not re.search(r":[A-Za-z/]|://|www\.|\w@\w", bare), marked


def test_plain_words_numbers_and_receipts_stay_as_they_are():
    for plain in ("LX-20261126-000123", "王秀英", "2026-12-01 10:30", "3.5"):
        assert literal(plain) == plain
