"""Custom intake fields defined as data on a service type: their kinds, rules and answers.

A field is a JSON object: {"key", "type", "label_zh", "label_en", "required", "options",
"min", "max", "pattern", "retired"}; options are [{"value", "label_zh", "label_en"}].
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal import identity
from portal.storable import storable

TYPES = ("text", "long_text", "number", "date", "month", "choice", "multi_choice", "yes_no",
         "id_number", "phone")
MONTH = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])")  # a month is stored as "2026-12"
TEXT_MAX = 200
LONG_TEXT_MAX = 2000


@dataclass(frozen=True)
class Option:
    value: str
    label_zh: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh


@dataclass(frozen=True)
class FieldSpec:
    key: str
    type: str
    label_zh: str
    label_en: str
    required: bool = False
    options: tuple[Option, ...] = field(default_factory=tuple)
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    retired: bool = False  # no longer asked; answers already stored stay readable

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh

    def option_label(self, value: str, lang: str) -> str:
        return next((o.label(lang) for o in self.options if o.value == value), value)


def parse(definitions: list[dict[str, Any]]) -> list[FieldSpec]:
    """Field specs from a service type's JSON, in order; unknown types are refused loudly."""
    specs = []
    for raw in definitions:
        if raw.get("type") not in TYPES:
            raise ValueError(f"unknown field type {raw.get('type')!r} of field {raw.get('key')!r}")
        options = tuple(Option(str(o["value"]), o["label_zh"], o["label_en"])
                        for o in raw.get("options", []))
        specs.append(FieldSpec(
            key=raw["key"], type=raw["type"], label_zh=raw["label_zh"], label_en=raw["label_en"],
            required=bool(raw.get("required")), options=options, min=raw.get("min"),
            max=raw.get("max"), pattern=raw.get("pattern"), retired=bool(raw.get("retired"))))
    return specs


def asked(specs: list[FieldSpec]) -> list[FieldSpec]:
    return [s for s in specs if not s.retired]


def clean(specs: list[FieldSpec], answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers made storable (JSON) and the message key of every invalid one, keyed `field.<key>`.

    An answer of the wrong kind for its field (a number for a text, a text for a date) is
    refused like any other invalid answer.
    """
    cleaned, errors = {}, {}
    given = answers if isinstance(answers, Mapping) else {}
    for spec in asked(specs):
        raw = given.get(spec.key)
        if error := _kind_error(spec, raw):
            errors[f"field.{spec.key}"] = error
            continue
        value = _normalise(spec, raw)
        if _empty(value):
            if spec.required:
                errors[f"field.{spec.key}"] = "form.error.required"
            continue
        if error := _check(spec, value):
            errors[f"field.{spec.key}"] = error
            continue
        cleaned[spec.key] = value.isoformat() if isinstance(value, dt.date) else value
    return cleaned, errors


# What a wrong kind of answer is told, by the field's kind; text kinds say form.error.kind.
_WRONG_KIND = {"number": "form.error.number", "date": "form.error.date",
               "month": "form.error.month",
               "yes_no": "form.error.choice", "choice": "form.error.choice",
               "multi_choice": "form.error.choice"}


def _kind_error(spec: FieldSpec, value: Any) -> str | None:
    """Why `value` is not an answer of the field's kind (None for no answer), if it is not."""
    kind = spec.type
    if value is None:
        return None
    if kind == "number":
        fits = isinstance(value, int | float) and not isinstance(value, bool) and \
            math.isfinite(value)
    elif kind == "date":
        fits = isinstance(value, dt.date)
    elif kind == "yes_no":
        fits = isinstance(value, bool)
    elif kind == "multi_choice":
        fits = isinstance(value, list | tuple | set | frozenset) and all(
            isinstance(v, str) for v in value)
        value = "".join(value) if fits else value
    else:
        fits = isinstance(value, str)
    if not fits:
        return _WRONG_KIND.get(kind, "form.error.kind")
    return None if not isinstance(value, str) or storable(value) else "form.error.characters"


def _normalise(spec: FieldSpec, value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if spec.type == "id_number":
            value = identity.normalise_id(value)
        elif spec.type == "phone":
            value = identity.normalise_phone(value)
    if spec.type == "multi_choice" and value is not None:
        value = list(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _check(spec: FieldSpec, value: Any) -> str | None:
    kind = spec.type
    if kind in ("text", "long_text"):
        if len(value) > (TEXT_MAX if kind == "text" else LONG_TEXT_MAX):
            return "form.error.too_long"
        if spec.pattern and not re.fullmatch(spec.pattern, value):
            return "form.error.pattern"
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "form.error.number"
        if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
            return "form.error.range"
    elif kind == "date":
        if not isinstance(value, dt.date):
            return "form.error.date"
    elif kind == "month":
        if not MONTH.fullmatch(value):
            return "form.error.month"
    elif kind == "choice":
        if value not in {o.value for o in spec.options}:
            return "form.error.choice"
    elif kind == "multi_choice":
        if not set(value) <= {o.value for o in spec.options}:
            return "form.error.choice"
    elif kind == "yes_no":
        if not isinstance(value, bool):
            return "form.error.choice"
    elif kind == "id_number":
        return identity.id_number_error(value)
    elif kind == "phone":
        return identity.phone_error(value)
    return None


def display(specs: list[FieldSpec], answers: dict[str, Any], lang: str,
            yes_no: tuple[str, str]) -> list[tuple[str, str]]:
    """(label, shown value) of every stored answer, retired fields included, ID numbers masked."""
    rows = []
    for spec in specs:
        if spec.key not in answers:
            continue
        value = answers[spec.key]
        if spec.type == "choice":
            shown = spec.option_label(value, lang)
        elif spec.type == "multi_choice":
            shown = "、".join(spec.option_label(v, lang) for v in value)
        elif spec.type == "yes_no":
            shown = yes_no[0] if value else yes_no[1]
        elif spec.type == "id_number":
            shown = identity.mask_id(value)
        elif spec.type == "month" and MONTH.fullmatch(str(value)):
            shown = month_label(value, lang)
        else:
            shown = str(value)
        rows.append((spec.label(lang), shown))
    return rows


def month_label(month: str, lang: str) -> str:
    """A stored month ("2026-12") as people read it: 2026年12月, or 2026-12 in English."""
    year, number = month.split("-")
    return f"{year}年{int(number)}月" if lang == "zh" else month


def months_around(today: dt.date, back: int = 120, ahead: int = 24) -> list[str]:
    """The months a month field offers, newest first: `ahead` months on, `back` months ago."""
    first = today.year * 12 + today.month - 1 + ahead
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, first - ahead - back - 1, -1)]
