"""Text that people typed, shown as they typed it: never as Markdown, HTML, a link or an icon.

Streamlit renders Markdown in st.markdown, captions, alerts, titles and every widget label,
so a note holding `![x](http://…)` would make each browser that shows it fetch that address.
`literal()` makes any value inert inside Markdown; `show()` draws a value as a paragraph.
Messages from the catalogue get their parameters made literal by `components.i18n.tr`.
"""

from __future__ import annotations

import re

import streamlit as st

# Characters that make markup wherever they stand: emphasis, code, links and images, HTML
# tags and entities, strikethrough, $maths$, tables. A backslash makes each plain text.
_INLINE = re.compile(r"([\\`*_\[\]<>&~$|])")
# What Markdown makes of a line by how it starts: headings, quotes, lists, rules, setext
# underlines, numbered lists.
_LINE_MARK = re.compile(r"^[#>+=-]")
_NUMBERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
# What Streamlit and GFM still find in plain text: :red[…] directives (a colon before a
# letter), :emoji: and :material/icon: codes, and addresses made into links (http://, www.,
# e-mail). A zero-width space after the colon, the @ or the www breaks each pattern.
_PATTERNS = re.compile(r":(?=[A-Za-z_/+\-]|[\w+\-/]+:)|(?<=\bwww)(?=\.)|(?<=\w@)(?=\w)",
                       re.IGNORECASE)
ZERO_WIDTH = "\u200b"


def literal(value: object) -> str:
    """`value` as Markdown that shows exactly its text, its line breaks and indents kept."""
    lines = []
    for line in str(value).splitlines() or [""]:
        stripped = line.lstrip(" \t")
        indent = "\u00a0" * (len(line) - len(stripped))  # four spaces would make a code block
        text = _PATTERNS.sub(lambda m: m.group(0) + ZERO_WIDTH, _INLINE.sub(r"\\\1", stripped))
        text = _NUMBERED.sub(r"\1\\\2", _LINE_MARK.sub(r"\\\g<0>", text))
        lines.append(indent + text)
    return "  \n".join(lines)


def show(value: object) -> None:
    """A person's text as a paragraph, exactly as typed."""
    st.text(str(value))


def labelled(label: str, value: object) -> None:
    """`label: value` on one line: the label (a message) bold, the value exactly as typed."""
    st.markdown(f"**{label}**: {literal(value)}")
