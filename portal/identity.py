"""Citizens' identifiers: the 18-digit resident ID number (GB 11643) and phone numbers."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

ID_FORMAT = re.compile(r"[1-9]\d{16}[\dX]")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def typed(value: str) -> str:
    """What was typed, read as a number is meant: a Chinese input method's full-width digits,
    letters and dashes (１３９…, Ｘ, －) become the plain ones."""
    return unicodedata.normalize("NFKC", value)


def normalise_id(value: str) -> str:
    return typed(value).strip().upper().replace(" ", "")


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_number_error(value: str, today: dt.date | None = None) -> str | None:
    """Message key of what is wrong with a resident ID number, or None when it is valid."""
    number = normalise_id(value)
    if len(number) != 18:
        return "identity.error.id_length"
    if not ID_FORMAT.fullmatch(number):
        return "identity.error.id_format"
    born = birth_date(number)
    if born is None or not EARLIEST_BIRTH <= born <= (today or dt.date.today()):
        return "identity.error.id_birth_date"
    if number[17] != check_digit(number[:17]):
        return "identity.error.id_check_digit"
    return None


def birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def mask_id(number: str) -> str:
    """`3702**********1234`: enough to recognise a number, not enough to use it."""
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else "****"


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()]", "", typed(value))


def is_mobile(value: str) -> bool:
    return bool(MOBILE.fullmatch(normalise_phone(value)))


def phone_error(value: str, *, mobile_only: bool = False) -> str | None:
    """Message key of what is wrong with a phone number, or None when it is valid."""
    phone = normalise_phone(value)
    if not phone:
        return "identity.error.phone_required"
    if MOBILE.fullmatch(phone) or (not mobile_only and LANDLINE.fullmatch(phone)):
        return None
    return "identity.error.mobile_invalid" if mobile_only else "identity.error.phone_invalid"


def mask_name(name: str) -> str:
    """`王*英`, `李*`: enough for the citizen to know the paper is theirs."""
    name = name.strip()
    if len(name) <= 2:
        return name[:1] + "*" * (len(name) - 1)
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"
