"""Administration in portal/: the unit tree, the service catalogue's form builder, settings and
the change log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import Case, CaseEvent, Unit
from portal import forms, settings
from portal.admin import changes, service_types, unit_admin
from portal.admin.service_types import Draft
from portal.admin.unit_admin import NewUnit
from portal.casework import queue
from portal.errors import InvalidInput, NotPermitted
from portal.intake import intake
from tests.conftest import actor_for
from tests.factories import new_case


def unit_id(uow, code: str) -> int:
    with uow:
        return uow.session.scalar(select(Unit.id).where(Unit.code == code))


def path_of(uow, code: str) -> str:
    with uow:
        return uow.session.scalar(select(Unit.path).where(Unit.code == code))


def test_a_new_village_point_sits_under_its_town(uow, actors):
    admin = actors["admin"]
    new = unit_admin.add(uow, admin, NewUnit("jiangshan-v21", "姜山镇后庄村代理点",
                                             "Houzhuang Village Agency Point", "village",
                                             unit_id(uow, "jiangshan")))
    assert path_of(uow, "jiangshan-v21") == "/city/jiangshan/jiangshan-v21/"
    assert (new, "jiangshan-v21", "姜山镇后庄村代理点") in {
        (r.id, r.code, r.name) for r in unit_admin.tree(uow, admin, "zh")}


@pytest.mark.parametrize(("new", "errors"), [
    (NewUnit("Bad Code", "名", "Name", "village", 0), {"code": "units.error.code"}),
    (NewUnit("jiangshan-v01", "名", "Name", "village", 0), {"code": "units.error.code_taken"}),
    (NewUnit("x-v1", "", "Name", "village", 0), {"name_zh": "units.error.name"}),
    (NewUnit("x-v1", "名", "Name", "village", -1), {"parent": "units.error.parent"}),  # city
])
def test_a_unit_that_breaks_the_rules_is_refused(uow, actors, new, errors):
    parent = unit_id(uow, "jiangshan") if new.parent_id == 0 else unit_id(uow, "city")
    with pytest.raises(InvalidInput) as refused:
        unit_admin.add(uow, actors["admin"], NewUnit(new.code, new.name_zh, new.name_en,
                                                     new.tier, parent))
    assert refused.value.errors == errors


def test_moving_a_village_moves_its_path_and_keeps_its_cases(uow, actors):
    admin, agent = actors["admin"], actors["agent"]
    case_id = new_case(uow, agent).case_id
    unit_admin.move(uow, admin, agent.unit_id, unit_id(uow, "shuiji"))
    assert path_of(uow, "jiangshan-v01") == "/city/shuiji/jiangshan-v01/"
    # The town's manager now sees the case; the old town's does not.
    shuiji, jiangshan = actor_for("mgr-shuiji"), actor_for("mgr-jiangshan")
    flt = queue.QueueFilter(view="subtree")
    assert case_id in set(queue.unit_queue(uow, shuiji, "zh", flt)["id"])
    assert case_id not in set(queue.unit_queue(uow, jiangshan, "zh", flt)["id"])
    with pytest.raises(InvalidInput):  # under its own subtree
        unit_admin.move(uow, admin, unit_id(uow, "jiangshan"), unit_id(uow, "jiangshan-v02"))


def test_closing_a_unit_asks_where_its_open_cases_go(uow, actors):
    admin, agent = actors["admin"], actors["agent"]
    new = unit_admin.add(uow, admin, NewUnit("jiangshan-v21", "后庄村代理点", "Houzhuang",
                                             "village", unit_id(uow, "jiangshan")))
    case_id = new_case(uow, agent).case_id
    with uow:  # a case that ended up at the new point
        uow.session.get(Case, case_id).unit_id = new
        uow.commit()
    with pytest.raises(InvalidInput) as refused:
        unit_admin.close(uow, admin, new, None)
    assert refused.value.errors == {"cases_to": "units.error.cases_to"}
    assert unit_admin.close(uow, admin, new, agent.unit_id) == 1
    with uow:
        assert uow.session.get(Case, case_id).unit_id == agent.unit_id
        assert uow.session.get(Unit, new).active is False
        assert uow.session.scalar(select(CaseEvent.kind).where(
            CaseEvent.case_id == case_id).order_by(CaseEvent.id.desc())) == "unit_closed"


def test_a_unit_with_people_or_open_units_below_is_not_closed(uow, actors):
    with pytest.raises(InvalidInput) as people:
        unit_admin.close(uow, actors["admin"], actors["agent"].unit_id, None)
    assert people.value.errors == {"unit": "units.error.people"}
    with pytest.raises(InvalidInput) as below:
        unit_admin.close(uow, actors["admin"], unit_id(uow, "jiangshan"), None)
    assert below.value.errors == {"unit": "units.error.open_children"}


def test_unit_changes_are_recorded(uow, actors):
    admin = actors["admin"]
    unit_admin.rename(uow, admin, actors["agent"].unit_id, "姜山村便民代理点", "Jiangshan Point")
    [change] = changes.recent(uow, admin, "unit", "jiangshan-v01")
    assert dict((w, (b, a)) for w, b, a in changes.difference(change)) == {
        "name_zh": ("姜山镇姜山村代理点", "姜山村便民代理点"),
        "name_en": ("Jiangshan Village Agency Point, Jiangshan Town", "Jiangshan Point")}
    assert change.by == admin.display_name


WELL = [{"key": "well_location", "type": "text", "label_zh": "水井位置",
         "label_en": "Well location", "required": True},
        {"key": "depth", "type": "number", "label_zh": "井深", "label_en": "Depth"},
        {"key": "damage", "type": "choice", "label_zh": "损坏", "label_en": "Damage",
         "options": [{"value": "pump", "label_zh": "水泵", "label_en": "Pump"}]}]


def well_draft(fields=WELL) -> Draft:
    return Draft("WELL-REPAIR", "饮水井维修", "Well repair", "agriculture", None, "village", 5,
                 [], list(fields))


def test_a_service_type_saved_is_asked_at_intake_at_once(uow, actors):
    service_types.save(uow, actors["admin"], well_draft())
    assert "WELL-REPAIR" in [code for code, *_ in intake.services(uow)]
    receipt = new_case(uow, actors["agent"], service="WELL-REPAIR",
                       answers={"well_location": "村东", "depth": 12, "damage": "pump"})
    with uow:
        assert uow.session.get(Case, receipt.case_id).answers == {
            "well_location": "村东", "depth": 12, "damage": "pump"}


def test_a_field_left_out_is_retired_and_its_answers_stay_readable(uow, actors):
    admin = actors["admin"]
    service_id = service_types.save(uow, admin, well_draft())
    case_id = new_case(uow, actors["agent"], service="WELL-REPAIR",
                       answers={"well_location": "村东", "depth": 12}).case_id
    service_types.save(uow, admin, well_draft([WELL[0], WELL[2]]), service_id)
    [(_, stored)] = [s for s in service_types.listing(uow, admin) if s[0] == service_id]
    assert [(f["key"], bool(f.get("retired"))) for f in stored.fields] == [
        ("well_location", False), ("damage", False), ("depth", True)]
    specs = forms.parse(stored.fields)
    assert [s.key for s in forms.asked(specs)] == ["well_location", "damage"]
    with uow:
        answers = uow.session.get(Case, case_id).answers
    assert ("井深", "12") in forms.display(specs, answers, "zh", ("是", "否"))


def test_a_saved_fields_kind_cannot_change(uow, actors):
    service_id = service_types.save(uow, actors["admin"], well_draft())
    changed = [WELL[0], WELL[1] | {"type": "text"}, WELL[2]]
    with pytest.raises(InvalidInput) as refused:
        service_types.save(uow, actors["admin"], well_draft(changed), service_id)
    assert refused.value.errors == {"field.2": "catalogue.error.field_kind_changed"}


def test_the_builder_adds_reorders_and_retires_fields():
    fields = service_types.with_field([], WELL[0])
    fields = service_types.with_field(fields, WELL[1])
    fields = service_types.with_field(fields, WELL[2] | {"options": service_types.parse_options(
        "pump | 水泵 | Pump\nwall")})
    assert fields[2]["options"][1] == {"value": "wall", "label_zh": "wall", "label_en": "wall"}
    fields = service_types.moved(fields, 2, -1)
    assert [f["key"] for f in fields] == ["well_location", "damage", "depth"]
    assert [f["key"] for f in service_types.moved(fields, 0, -1)] == [f["key"] for f in fields]
    fields = service_types.retired(fields, 0)
    assert fields[0]["retired"] is True
    with pytest.raises(InvalidInput) as twice:
        service_types.with_field(fields, WELL[1])
    assert twice.value.errors == {"field": "catalogue.error.field_key_twice"}
    with pytest.raises(InvalidInput) as no_options:
        service_types.with_field(fields, {"key": "kind", "type": "choice", "label_zh": "类",
                                          "label_en": "Kind", "options": []})
    assert no_options.value.errors == {"field": "catalogue.error.field_options"}


def test_settings_are_checked_recorded_and_used(committed, actors):
    admin = actors["admin"]
    try:
        with pytest.raises(InvalidInput) as refused:
            settings.save(_uow(), admin, {"lockout_attempts": 1, "agents_may_assign": "yes"})
        assert refused.value.errors == {"lockout_attempts": "settings.error.range",
                                        "agents_may_assign": "settings.error.kind"}
        assert settings.save(_uow(), admin, {"lockout_attempts": 7,
                                             "yellow_working_days": 1}) == 1
        assert settings.current().lockout_attempts == 7
        with pytest.raises(NotPermitted):
            settings.save(_uow(), actors["manager"], {"lockout_attempts": 6})
        [change] = changes.recent(_uow(), admin, "setting", "lockout_attempts")[:1]
        assert (change.before, change.after) == ({"value": 5}, {"value": 7})
    finally:
        from sqlalchemy import delete

        from db.models import Setting
        with _uow() as uow:
            uow.session.execute(delete(Setting))
            uow.commit()
        settings.forget()


def _uow():
    from portal.uow import UnitOfWork
    return UnitOfWork()


def test_the_change_log_names_records_fields_and_values_in_the_users_language(uow, actors):
    from portal import units
    from portal.admin import users
    from tests.factories import make_user
    admin = actors["admin"]
    user_id, username = make_user(uow, admin)
    users.edit(uow, admin, user_id, users.Profile(username, "测试用户", "officer", "jiangshan-hrss"))
    users.deactivate(uow, admin, user_id, None)
    users.reset_password(uow, admin, user_id)
    service_types.save(uow, admin, well_draft())
    departments = {zh: dict(units.departments(uow, zh)) for zh in ("zh", "en")}
    reset, deactivated, edited = changes.recent(uow, admin, "user", username)[:3]
    assert changes.described(reset, "zh", departments["zh"]) == "密码: ∅ → 已重置"
    assert changes.entity_label(deactivated.entity, "zh") == "用户"
    assert changes.described(deactivated, "zh", departments["zh"]) == (
        "在用: 是 → 否; 移交件数: ∅ → 0")
    assert changes.described(edited, "en", departments["en"]) == (
        "role: agent → officer; unit: jiangshan-v01 → jiangshan-hrss")
    [service] = changes.recent(uow, admin, "service_type", "WELL-REPAIR")
    assert "受理表单字段: ∅ → 水井位置、井深、损坏" in changes.described(service, "zh", departments["zh"])
    assert "最低可办层级: ∅ → 村（社区）级" in changes.described(service, "zh", departments["zh"])
    # The service by its name, as agents know it, not only by its code.
    names = changes.service_names(uow, "zh")
    assert changes.key_label(service, "zh", names) == f"{names['WELL-REPAIR']}（WELL-REPAIR）"


def test_the_change_log_lists_the_newest_first_and_filters(uow, actors):
    admin = actors["admin"]
    unit_admin.rename(uow, admin, actors["agent"].unit_id, "甲", "A")
    service_types.save(uow, admin, well_draft())
    newest = changes.recent(uow, admin)
    assert [(c.entity, c.entity_key) for c in newest[:2]] == [
        ("service_type", "WELL-REPAIR"), ("unit", "jiangshan-v01")]
    assert {c.entity for c in changes.recent(uow, admin, "unit")} == {"unit"}
    assert {"unit", "service_type"} <= set(changes.entities(uow, admin))
    with pytest.raises(NotPermitted):
        changes.recent(uow, actors["manager"])


def test_documents_are_written_one_per_line():
    text = "居民身份证 | Resident ID card | 必需\n户口簿 | Household register | 可选\n照片"
    documents = service_types.parse_documents(text)
    assert documents == [
        {"name_zh": "居民身份证", "name_en": "Resident ID card", "required": True},
        {"name_zh": "户口簿", "name_en": "Household register", "required": False},
        {"name_zh": "照片", "name_en": "照片", "required": True}]
    assert service_types.parse_documents(service_types.documents_text(documents)) == documents
