"""Text PostgreSQL can store: no NUL character and no half of a UTF-16 surrogate pair.

Either would fail the whole transaction at the database instead of naming the field.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: object) -> bool:
    """Whether `value` is a str that can be stored as it is."""
    return isinstance(value, str) and not _UNSTORABLE.search(value)
