"""Administering the service catalogue: service types and their intake form fields, as data.

Intake reads a service type's fields when the form is drawn, so a saved change is asked at
the next intake. A field is never deleted once saved: leaving it out retires it, so answers
already stored keep their label; and its kind cannot change under those answers.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from db.models import TIERS, AdminChange, ServiceType
from portal import access, clock, forms
from portal.access import Actor
from portal.errors import InvalidInput, NotFound
from portal.messages import MESSAGES
from portal.uow import UnitOfWork

CODE = re.compile(r"[A-Z][A-Z0-9-]{1,39}")
FIELD_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
CHOICE_TYPES = ("choice", "multi_choice")
TIME_LIMIT_MAX = 365
# A service's category is one the catalogue can name in both languages.
CATEGORIES = tuple(k.removeprefix("category.") for k in MESSAGES if k.startswith("category."))


@dataclass
class Draft:
    """A service type as the editor holds it; fields are forms' JSON objects, in order."""

    code: str
    name_zh: str
    name_en: str
    category: str
    department_id: int | None
    min_tier: str
    time_limit_days: int
    documents: list[dict[str, Any]] = field(default_factory=list)
    fields: list[dict[str, Any]] = field(default_factory=list)
    active: bool = True


def listing(uow: UnitOfWork, actor: Actor) -> list[tuple[int, Draft]]:
    """Every service type, active ones first, as (id, draft)."""
    access.require(actor, "catalogue.edit")
    with uow:
        rows = uow.session.scalars(select(ServiceType).order_by(
            ServiceType.active.desc(), ServiceType.code)).all()
        return [(s.id, _draft(s)) for s in rows]


def _draft(s: ServiceType) -> Draft:
    return Draft(s.code, s.name_zh, s.name_en, s.category, s.department_id, s.min_tier,
                 s.time_limit_days, list(s.documents), list(s.form_fields), s.active)


def errors(draft: Draft) -> dict[str, str]:
    """Field of the draft (or `field.<n>` for the n-th form field, 1-based) -> message key."""
    found = {}
    if not CODE.fullmatch(draft.code):
        found["code"] = "catalogue.error.code"
    if draft.category not in CATEGORIES:
        found["category"] = "catalogue.error.category"
    for name, limit in (("name_zh", 80), ("name_en", 160), ("category", 40)):
        if not getattr(draft, name).strip() or len(getattr(draft, name)) > limit:
            found[name] = "catalogue.error.required"
    if draft.min_tier not in TIERS:
        found["min_tier"] = "catalogue.error.tier"
    if not 1 <= draft.time_limit_days <= TIME_LIMIT_MAX:
        found["time_limit_days"] = "catalogue.error.time_limit"
    keys = [f.get("key") for f in draft.fields]
    for n, raw in enumerate(draft.fields, 1):
        if error := _field_error(raw, keys.count(raw.get("key")) > 1):
            found[f"field.{n}"] = error
    return found


def _field_error(raw: dict[str, Any], repeated: bool) -> str | None:
    if not FIELD_KEY.fullmatch(str(raw.get("key") or "")):
        return "catalogue.error.field_key"
    if repeated:
        return "catalogue.error.field_key_twice"
    if raw.get("type") not in forms.TYPES:
        return "catalogue.error.field_type"
    if not str(raw.get("label_zh") or "").strip() or not str(raw.get("label_en") or "").strip():
        return "catalogue.error.field_label"
    options = [o.get("value") for o in raw.get("options") or []]
    if raw["type"] in CHOICE_TYPES and (not options or len(set(options)) < len(options)):
        return "catalogue.error.field_options"
    low, high = raw.get("min"), raw.get("max")
    if low is not None and high is not None and low > high:
        return "catalogue.error.field_range"
    if raw.get("pattern"):
        try:
            re.compile(raw["pattern"])
        except re.error:
            return "catalogue.error.field_pattern"
    return None


def save(uow: UnitOfWork, actor: Actor, draft: Draft, service_id: int | None = None) -> int:
    """Create (no id) or change a service type; returns its id."""
    access.require(actor, "catalogue.edit")
    draft.code = draft.code.strip().upper()
    if found := errors(draft):
        raise InvalidInput(found)
    with uow:
        taken = uow.session.scalar(select(ServiceType.id).where(ServiceType.code == draft.code))
        if taken is not None and taken != service_id:
            raise InvalidInput({"code": "catalogue.error.code_taken"})
        service = ServiceType() if service_id is None else uow.session.scalar(
            select(ServiceType).where(ServiceType.id == service_id).with_for_update())
        if service is None:
            raise NotFound(service_type=service_id)
        before = asdict(_draft(service)) if service_id is not None else None
        stored = list(service.form_fields or [])
        draft.fields = _keep_stored(stored, draft.fields)
        for name, value in asdict(draft).items():
            setattr(service, "form_fields" if name == "fields" else name, value)
        if service_id is None:
            uow.session.add(service)
        uow.session.flush()
        uow.session.add(AdminChange(at=clock.now(), actor_id=actor.id, entity="service_type",
                                    entity_key=draft.code, before=before, after=asdict(draft)))
        uow.commit()
        return service.id


def _keep_stored(stored: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> list[dict]:
    """The wanted fields, plus every stored field left out, retired; kinds may not change."""
    kinds = {f["key"]: f["type"] for f in stored}
    for n, raw in enumerate(wanted, 1):
        if raw["key"] in kinds and kinds[raw["key"]] != raw["type"]:
            raise InvalidInput({f"field.{n}": "catalogue.error.field_kind_changed"})
    kept = {f["key"] for f in wanted}
    return wanted + [f | {"retired": True} for f in stored if f["key"] not in kept]


# The field builder's steps: each takes the draft's fields and returns the new list.

def with_field(fields: list[dict[str, Any]], raw: dict[str, Any],
               at: int | None = None) -> list[dict[str, Any]]:
    """The fields with `raw` added at the end, or put in place of field `at` (0-based)."""
    raw = {k: v for k, v in raw.items() if v not in (None, "", [])} | {
        "required": bool(raw.get("required")), "retired": bool(raw.get("retired"))}
    others = [f.get("key") for i, f in enumerate(fields) if i != at]
    if error := _field_error(raw, raw.get("key") in others):
        raise InvalidInput({"field": error})
    if at is None:
        return [*fields, raw]
    if fields[at]["key"] != raw["key"] and fields[at]["type"] != raw["type"]:
        raise InvalidInput({"field": "catalogue.error.field_kind_changed"})
    return [*fields[:at], raw, *fields[at + 1:]]


def moved(fields: list[dict[str, Any]], index: int, step: int) -> list[dict[str, Any]]:
    """The fields with field `index` moved `step` places (-1 up, 1 down), within bounds."""
    target = min(max(index + step, 0), len(fields) - 1)
    reordered = list(fields)
    reordered.insert(target, reordered.pop(index))
    return reordered


def retired(fields: list[dict[str, Any]], index: int, retire: bool = True) -> list[dict]:
    """The fields with field `index` retired (no longer asked) or asked again."""
    return [f | {"retired": retire} if i == index else f for i, f in enumerate(fields)]


def parse_options(text: str) -> list[dict[str, str]]:
    """Options from lines "value | 中文 | English"; a line with one word uses it for all three."""
    options = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if parts[0]:
            zh = parts[1] if len(parts) > 1 and parts[1] else parts[0]
            en = parts[2] if len(parts) > 2 and parts[2] else zh
            options.append({"value": parts[0], "label_zh": zh, "label_en": en})
    return options


def options_text(options: list[dict[str, str]]) -> str:
    return "\n".join(f"{o['value']} | {o['label_zh']} | {o['label_en']}" for o in options)


REQUIRED_WORDS = ("必需", "必须", "required", "yes")


def parse_documents(text: str) -> list[dict[str, Any]]:
    """The one-time notice's documents from lines "中文 | English | 必需" (or "可选")."""
    documents = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if parts[0]:
            documents.append({"name_zh": parts[0],
                              "name_en": parts[1] if len(parts) > 1 and parts[1] else parts[0],
                              "required": len(parts) < 3 or parts[2].lower() in REQUIRED_WORDS})
    return documents


def documents_text(documents: list[dict[str, Any]]) -> str:
    return "\n".join(f"{d['name_zh']} | {d['name_en']} | {'必需' if d.get('required') else '可选'}"
                     for d in documents)
