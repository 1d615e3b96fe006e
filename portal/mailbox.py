"""A citizen's e-mail address: one mailbox, read by the standard library's own parser.

A text that the parser reads as a list (`me@example.cn,postmaster`), a group, a mailbox with
a display name or comments, a quoted or bracketed part, or anything it finds defects in,
is not one address: an e-mail to it could go to people the citizen never named.
"""

from __future__ import annotations

from email.headerregistry import HeaderRegistry

LENGTH_MAX = 120
_parse = HeaderRegistry()


def is_one(text: str) -> bool:
    """Whether `text` is exactly one plain address, as written (user@domain.tld)."""
    if not text or len(text) > LENGTH_MAX or any(c in text for c in '"[]<>()\\'):
        return False
    try:
        header = _parse("To", text)
    except (ValueError, IndexError, TypeError):
        return False
    if header.defects or len(header.groups) != 1 or header.groups[0].display_name is not None:
        return False
    [address] = header.groups[0].addresses or [None]
    return (address is not None and len(header.groups[0].addresses) == 1
            and not address.display_name and address.addr_spec == text
            and bool(address.username) and "." in address.domain.strip("."))
