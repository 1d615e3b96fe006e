"""Custom fields as data: every kind is validated, stored as JSON and shown back."""

import datetime as dt

import pytest

from db.reference import FORM_FIELDS
from portal import forms

FIELDS = forms.parse([
    {"key": "name", "type": "text", "label_zh": "名称", "label_en": "Name", "required": True,
     "pattern": r"[\u4e00-\u9fa5A-Za-z ]+"},
    {"key": "story", "type": "long_text", "label_zh": "说明", "label_en": "Story"},
    {"key": "area", "type": "number", "label_zh": "面积", "label_en": "Area", "min": 1, "max": 300},
    {"key": "on", "type": "date", "label_zh": "日期", "label_en": "Date"},
    {"key": "kind", "type": "choice", "label_zh": "类别", "label_en": "Kind",
     "options": [{"value": "a", "label_zh": "甲", "label_en": "A"},
                 {"value": "b", "label_zh": "乙", "label_en": "B"}]},
    {"key": "many", "type": "multi_choice", "label_zh": "多选", "label_en": "Many",
     "options": [{"value": "x", "label_zh": "天", "label_en": "X"},
                 {"value": "y", "label_zh": "地", "label_en": "Y"}]},
    {"key": "ok", "type": "yes_no", "label_zh": "是否", "label_en": "OK"},
    {"key": "head_id", "type": "id_number", "label_zh": "户主身份证号", "label_en": "Head's ID"},
    {"key": "tel", "type": "phone", "label_zh": "电话", "label_en": "Phone"},
    {"key": "old", "type": "text", "label_zh": "旧字段", "label_en": "Old", "retired": True,
     "required": True},
])


def test_valid_answers_are_cleaned_into_json():
    answers, errors = forms.clean(FIELDS, {
        "name": "  张 三 ", "area": 120, "on": dt.date(2026, 11, 2), "kind": "b",
        "many": ["x", "y"], "ok": False, "head_id": "11010519491231002x", "tel": "139 5321 2345"})
    assert errors == {}
    assert answers == {"name": "张 三", "area": 120, "on": "2026-11-02", "kind": "b",
                       "many": ["x", "y"], "ok": False, "head_id": "11010519491231002X",
                       "tel": "13953212345"}


@pytest.mark.parametrize(("key", "value", "error"), [
    ("name", "", "form.error.required"),
    ("name", "a1", "form.error.pattern"),
    ("story", "字" * 2001, "form.error.too_long"),
    ("area", 0, "form.error.range"),
    ("area", 301, "form.error.range"),
    ("area", "12", "form.error.number"),
    ("on", "2026-11-02", "form.error.date"),
    ("kind", "c", "form.error.choice"),
    ("many", ["x", "z"], "form.error.choice"),
    ("ok", "yes", "form.error.choice"),
    ("head_id", "110105194912310021", "identity.error.id_check_digit"),
    ("tel", "12345", "identity.error.phone_invalid"),
])
def test_each_kind_of_bad_answer_is_named(key, value, error):
    answers = {"name": "张三", key: value}
    _, errors = forms.clean(FIELDS, answers)
    assert errors == {f"field.{key}": error}


def test_a_retired_field_is_not_asked_but_its_stored_answer_still_shows():
    assert "old" not in [s.key for s in forms.asked(FIELDS)]
    _, errors = forms.clean(FIELDS, {"name": "张三"})
    assert errors == {}  # required, but retired
    shown = forms.display(FIELDS, {"old": "旧值", "kind": "a", "ok": True,
                                   "head_id": "11010519491231002X"}, "en", ("yes", "no"))
    assert shown == [("Kind", "A"), ("OK", "yes"), ("Head's ID", "1101**********002X"),
                     ("Old", "旧值")]


def test_an_unknown_field_type_is_refused_loudly():
    with pytest.raises(ValueError, match="colour"):
        forms.parse([{"key": "c", "type": "colour", "label_zh": "色", "label_en": "Colour"}])


def test_the_demo_catalogue_parses():
    from db.reference import FORM_FIELDS
    for code, fields in FORM_FIELDS.items():
        assert forms.parse(fields), code


def test_a_month_field_asks_for_a_month_not_a_whole_date():
    month = forms.parse([{"key": "start", "type": "month", "label_zh": "参保起始月份",
                          "label_en": "Starts", "required": True}])
    assert forms.clean(month, {"start": "2026-12"}) == ({"start": "2026-12"}, {})
    for wrong in ("2026-13", "2026-12-01", dt.date(2026, 12, 1), "12/2026"):
        assert forms.clean(month, {"start": wrong}) == ({}, {"field.start": "form.error.month"})
    assert forms.display(month, {"start": "2026-03"}, "zh", ("是", "否")) == [
        ("参保起始月份", "2026年3月")]
    offered = forms.months_around(dt.date(2026, 12, 2))
    assert offered[0] == "2028-12" and "2026-12" in offered and offered[-1] == "2016-12"
    enrol = next(s for s in forms.parse(FORM_FIELDS["PENSION-ENROL"]) if s.key == "start_month")
    assert enrol.type == "month"


def test_the_intake_page_offers_months_for_a_month_field(committed):
    from portal.messages import t
    from tests.test_pages import app
    at = app("agent").run()
    at.selectbox(key="intake_service").set_value("PENSION-ENROL").run()
    field = next(s for s in at.selectbox if s.label == "参保起始月份")
    assert field.placeholder == t("form.month", "zh")
    assert "2026年12月" in field.options  # as drawn: the year and the month, no day
