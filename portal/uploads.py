"""Uploaded text files as offices save them: UTF-8, or GBK from Excel on a Chinese desktop."""

from __future__ import annotations

ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 reads GBK and GB2312 too


def text(data: bytes) -> str:
    """The file's text; UnicodeDecodeError when it is in neither encoding."""
    for encoding in ENCODINGS[:-1]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode(ENCODINGS[-1])
