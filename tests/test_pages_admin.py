"""The admin pages through AppTest: a user created with a password shown once, a unit added,
a setting changed, a service type's fields built and previewed, and the change log."""

from __future__ import annotations

from sqlalchemy import delete, select

from db.models import Setting, Unit, User
from portal import settings
from portal.accounts import accounts
from portal.messages import t
from portal.uow import UnitOfWork
from tests.conftest import owner_delete
from tests.test_pages import app, button, texts


def admin_page(file: str):
    return app("admin").run().switch_page(file).run()


def labelled(elements, key: str):
    return next(e for e in elements if e.label == t(key, "zh"))


def test_an_admin_creates_a_user_whose_password_is_shown_once(committed):
    at = admin_page("pages/users.py")
    labelled(at.text_input, "users.username").input("liuhong")
    labelled(at.text_input, "users.display_name").input("刘红")
    labelled(at.selectbox, "users.unit").set_value("jiangshan-v01")
    try:
        button(at, "users.save").click().run()
        assert t("users.created", "zh", username="liuhong") in [s.value for s in at.success]
        password = at.code[0].value
        assert accounts.log_in(UnitOfWork(), "liuhong", password).ok
        assert accounts.signed_in(UnitOfWork(), "liuhong").must_change_password
        at.run()
        assert not at.code  # shown once
    finally:
        owner_delete("DELETE FROM account_events WHERE user_id IN "
                     "(SELECT id FROM users WHERE username = 'liuhong')")
        with UnitOfWork() as uow:
            uow.session.execute(delete(User).where(User.username == "liuhong"))
            uow.commit()


def test_an_admin_adds_a_village_point(committed):
    at = admin_page("pages/units.py")
    with UnitOfWork() as uow:
        town = uow.session.scalar(select(Unit.id).where(Unit.code == "jiangshan"))
    try:
        labelled(at.selectbox, "units.parent").set_value(town)
        labelled(at.text_input, "units.code").input("jiangshan-v21")
        labelled(at.text_input, "units.name_zh").input("姜山镇后庄村代理点")
        labelled(at.text_input, "units.name_en").input("Houzhuang Village Agency Point")
        button(at, "units.add").click().run()
        assert t("units.added", "zh", code="jiangshan-v21") in [s.value for s in at.success]
        assert "姜山镇后庄村代理点" in at.dataframe[0].value.to_string()
    finally:
        with UnitOfWork() as uow:
            uow.session.execute(delete(Unit).where(Unit.code == "jiangshan-v21"))
            uow.commit()


def test_an_admin_changes_a_setting(committed):
    at = admin_page("pages/settings.py")
    try:
        labelled(at.number_input, "settings.lockout_attempts").set_value(6)
        button(at, "settings.save").click().run()
        assert t("settings.saved", "zh", n=1) in [s.value for s in at.success]
        assert settings.current().lockout_attempts == 6
        log = admin_page("pages/changes.py")
        shown = log.dataframe[0].value.to_string()
        assert t("settings.lockout_attempts", "zh") in shown  # by its name, not its code
        assert "lockout_attempts" not in shown
    finally:
        with UnitOfWork() as uow:
            uow.session.execute(delete(Setting))
            uow.commit()
        settings.forget()


def test_the_field_builder_previews_the_intake_form(committed):
    at = admin_page("pages/catalogue.py")
    labelled(at.text_input, "catalogue.field_key").input("depth")
    labelled(at.selectbox, "catalogue.field_kind").set_value("number")
    labelled(at.text_input, "catalogue.field_label_zh").input("井深（米）")
    labelled(at.text_input, "catalogue.field_label_en").input("Depth (m)")
    button(at, "catalogue.add_field").click().run()
    assert not at.exception
    assert "井深（米） / Depth (m)" in texts(at)
    assert [n.label for n in at.number_input if n.label == "井深（米）"] == ["井深（米）"]
    # A second field with the same code is refused with the reason.
    labelled(at.text_input, "catalogue.field_key").input("depth")
    labelled(at.text_input, "catalogue.field_label_zh").input("深度")
    labelled(at.text_input, "catalogue.field_label_en").input("Depth")
    button(at, "catalogue.add_field").click().run()
    assert t("catalogue.error.field_key_twice", "zh") in [e.value for e in at.error]


def test_every_invalid_field_is_named_on_the_page(committed):
    at = admin_page("pages/units.py")
    labelled(at.text_input, "units.code").input("Bad Code")
    button(at, "units.add").click().run()
    # A village under the city hall (the first parent offered), with a bad code and no names.
    assert sorted(e.value for e in at.error) == sorted(
        f"{t('units.field.' + field, 'zh')}: {t(key, 'zh')}" for field, key in (
            ("code", "units.error.code"), ("name_zh", "units.error.name"),
            ("name_en", "units.error.name"), ("parent", "units.error.parent")))
