"""Accounts as PostgreSQL guards them: password rules, lockout, resets, deactivation, and users
imported from CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import AccountEvent, AdminChange, Case, User
from portal import clock
from portal.accounts import accounts, sessions
from portal.admin import users
from portal.admin.users import Profile
from portal.casework import queue
from portal.errors import InvalidInput
from portal.uow import UnitOfWork
from tests.factories import GOOD_PASSWORD as GOOD
from tests.factories import at_once, make_user, new_case

MOMENT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=clock.TZ)


def events(uow, user_id) -> list[str]:
    with uow:
        return list(uow.session.scalars(select(AccountEvent.kind).where(
            AccountEvent.user_id == user_id).order_by(AccountEvent.id)))


@pytest.mark.parametrize(("password", "error"), [
    ("短密码7", "password.error.too_short"),
    ("汉" * 25, "password.error.too_long"),  # 75 bytes: bcrypt would silently cut it
    ("a" * 73, "password.error.too_long"),
    ("12345678", "password.error.trivial"),
    ("hgfedcba", "password.error.trivial"),
    ("abababab", "password.error.trivial"),
    ("Password1", "password.error.trivial"),
    ("xx-wangxy-2026", "password.error.trivial"),  # holds the username
    ("莱西市水集街道为民服务全程代理中心窗口一号二号三", None),  # 24 characters, 72 bytes
    (GOOD, None),
])
def test_password_rules(database_url, password, error):
    assert accounts.password_error(password, "wangxy") == error


def test_five_failures_lock_the_account_for_fifteen_minutes(uow, actors, frozen_clock):
    frozen_clock(MOMENT)
    user_id, username = make_user(uow, actors["admin"])
    for _ in range(4):
        assert accounts.log_in(uow, username, "wrong-password") == accounts.Attempt(ok=False)
    fifth = accounts.log_in(uow, username, "wrong-password")
    assert fifth.locked_until == MOMENT + dt.timedelta(minutes=15)
    # Locked: even the right password is refused, without extending the lock.
    frozen_clock(MOMENT + dt.timedelta(minutes=14))
    assert accounts.log_in(uow, username, GOOD).locked_until == fifth.locked_until
    frozen_clock(MOMENT + dt.timedelta(minutes=15, seconds=1))
    assert accounts.log_in(uow, username, GOOD).ok
    assert events(uow, user_id) == ["login_failed"] * 5 + ["locked", "login_failed", "logged_in"]


def test_a_success_starts_the_count_again(uow, actors):
    _, username = make_user(uow, actors["admin"])
    for _ in range(4):
        accounts.log_in(uow, username, "wrong-password")
    assert accounts.log_in(uow, username, GOOD).ok
    for _ in range(4):
        assert not accounts.log_in(uow, username, "wrong-password").locked_until


def test_the_lockout_follows_the_settings(uow, actors, tuned, frozen_clock):
    tuned(lockout_attempts=3, lockout_minutes=60)
    frozen_clock(MOMENT)
    _, username = make_user(uow, actors["admin"])
    accounts.log_in(uow, username, "x1")
    accounts.log_in(uow, username, "x2")
    assert accounts.log_in(uow, username, "x3").locked_until == MOMENT + dt.timedelta(hours=1)


def test_a_password_over_72_bytes_is_a_message_not_an_error(uow, actors):
    user_id, username = make_user(uow, actors["admin"])
    attempt = accounts.log_in(uow, username, GOOD + "汉" * 30)
    assert attempt == accounts.Attempt(ok=False, too_long=True)
    assert events(uow, user_id) == ["login_failed"]


def test_unknown_and_deactivated_users_are_refused_alike(uow, actors):
    user_id, username = make_user(uow, actors["admin"])
    users.deactivate(uow, actors["admin"], user_id, None)
    assert accounts.log_in(uow, username, GOOD) == accounts.Attempt(ok=False)
    assert accounts.log_in(uow, "nobody-here", GOOD) == accounts.Attempt(ok=False)


def test_parallel_guesses_are_all_counted_and_lock_once(committed_user):
    user_id, username = committed_user
    at_once(lambda: accounts.log_in(UnitOfWork(), username, "wrong-password"), [()] * 8)
    kinds = events(UnitOfWork(), user_id)
    # Five failures lock; the three after them meet the lock.
    assert kinds.count("locked") == 1 and kinds.count("login_failed") == 8
    assert accounts.log_in(UnitOfWork(), username, GOOD).locked_until is not None


def test_changing_ones_password_ends_the_other_sessions(uow, actors, frozen_clock):
    frozen_clock(MOMENT)
    user_id, username = make_user(uow, actors["admin"])
    me = accounts.actor(uow, username)
    here = sessions.start(uow, user_id, "192.0.2.1", "here")
    there = sessions.start(uow, user_id, "192.0.2.2", "there")
    this = sessions.current(uow, here.token, touch=False)
    with pytest.raises(InvalidInput) as wrong:
        accounts.change_password(uow, me, "not-my-password", "Another-pass-9", this.session_id)
    assert wrong.value.errors == {"current": "password.error.current"}
    with pytest.raises(InvalidInput) as weak:
        accounts.change_password(uow, me, GOOD, "11111111", this.session_id)
    assert weak.value.errors == {"new": "password.error.trivial"}
    frozen_clock(MOMENT + dt.timedelta(minutes=1))
    accounts.change_password(uow, me, GOOD, "Another-pass-9", this.session_id)
    assert sessions.current(uow, there.token, touch=False) == "login.session_ended"
    assert sessions.current(uow, here.token, touch=False).actor.username == username
    assert accounts.log_in(uow, username, "Another-pass-9").ok
    assert not accounts.log_in(uow, username, GOOD).ok
    assert events(uow, user_id)[-3:] == ["password_changed", "logged_in", "login_failed"]


def test_an_admin_reset_forces_a_change_and_lifts_a_lock(uow, actors):
    admin = actors["admin"]
    user_id, username = make_user(uow, admin)
    for _ in range(5):
        accounts.log_in(uow, username, "wrong-password")
    temporary = users.reset_password(uow, admin, user_id)
    assert accounts.log_in(uow, username, temporary).ok
    assert accounts.signed_in(uow, username).must_change_password
    with uow:
        after = uow.session.scalars(select(AdminChange.after).where(
            AdminChange.entity_key == username).order_by(AdminChange.id.desc())).first()
    assert after == {"password": "reset"}
    accounts.change_password(uow, accounts.actor(uow, username), temporary, "Brand-new-77", None)
    assert not accounts.signed_in(uow, username).must_change_password


def test_deactivating_hands_the_open_cases_to_a_colleague(uow, actors):
    admin = actors["admin"]
    user_id, username = make_user(uow, admin)
    leaver = accounts.actor(uow, username)
    mine = [new_case(uow, leaver).case_id for _ in range(2)]
    for case_id in mine:
        queue.claim(uow, leaver, case_id)
    colleague = actors["agent"]
    assert (colleague.id, colleague.display_name) in users.colleagues(uow, admin, user_id)
    assert users.deactivate(uow, admin, user_id, colleague.id) == 2
    with uow:
        held = set(uow.session.scalars(select(Case.assignee_id).where(Case.id.in_(mine))))
    assert held == {colleague.id}
    assert accounts.actor(uow, username) is None
    assert accounts.signed_in(uow, username) is None


def test_deactivating_can_send_the_cases_back_to_the_unit_queue(uow, actors):
    admin = actors["admin"]
    user_id, username = make_user(uow, admin)
    leaver = accounts.actor(uow, username)
    case_id = new_case(uow, leaver).case_id
    queue.claim(uow, leaver, case_id)
    users.deactivate(uow, admin, user_id, None)
    with uow:
        case = uow.session.get(Case, case_id)
        assert (case.assignee_id, case.status) == (None, "received")


def test_the_target_of_a_reassignment_must_be_a_colleague(uow, actors):
    admin = actors["admin"]
    user_id, username = make_user(uow, admin)
    casework_actor = accounts.actor(uow, username)
    queue.claim(uow, casework_actor, new_case(uow, casework_actor).case_id)
    with pytest.raises(InvalidInput) as refused:
        users.deactivate(uow, admin, user_id, actors["officer"].id)  # another unit
    assert refused.value.errors == {"reassign_to": "users.error.reassign_to"}
    with pytest.raises(InvalidInput):
        users.deactivate(uow, admin, admin.id, None)  # oneself


def test_a_csv_with_bad_rows_creates_nobody_and_names_every_bad_row(uow, actors):
    data = ("username,display_name,role,unit_code,language\n"
            "liuhong,刘红,agent,jiangshan-v01,zh\n"
            "Bad Name,张三,agent,jiangshan-v01,zh\n"
            "zhaoli,赵丽,chief,jiangshan-v01,zh\n"
            "liuhong,刘红,agent,no-such-unit,\n").encode()
    profiles = users.read_csv(data)
    errors, created = users.import_profiles(uow, actors["admin"], profiles, dry_run=False)
    assert created == []
    assert errors == {3: {"username": "users.error.username"},
                      4: {"role": "users.error.role"},
                      5: {"username": "users.error.username_twice",
                          "unit_code": "users.error.unit"}}
    with uow:
        assert uow.session.scalar(select(User.id).where(User.username == "liuhong")) is None


def test_a_good_csv_creates_every_user_with_a_password_to_change(uow, actors):
    data = ("\ufeffusername,display_name,role,unit_code\n"
            "liuhong,刘红,agent,jiangshan-v01\nzhaoli,赵丽,officer,jiangshan-hrss\n").encode()
    assert users.import_profiles(uow, actors["admin"], users.read_csv(data),
                                 dry_run=True) == ({}, [])
    errors, created = users.import_profiles(uow, actors["admin"], users.read_csv(data),
                                            dry_run=False)
    assert not errors and [u for u, _ in created] == ["liuhong", "zhaoli"]
    assert accounts.log_in(uow, "zhaoli", created[1][1]).ok
    assert accounts.signed_in(uow, "zhaoli").must_change_password


def test_a_csv_saved_by_excel_in_gbk_is_read_and_other_bytes_are_named(database_url):
    data = "username,display_name,role,unit_code\nliuhong,刘红,agent,jiangshan-v01\n"
    [profile] = users.read_csv(data.encode("gbk"))
    assert (profile.username, profile.display_name) == ("liuhong", "刘红")
    with pytest.raises(InvalidInput) as refused:
        users.read_csv(b"username,display_name,role,unit_code\n\xff\xfe\x81\n")
    assert refused.value.errors == {"file": "users.error.encoding"}


def test_a_csv_without_the_columns_is_refused(database_url):
    with pytest.raises(InvalidInput):
        users.read_csv(b"name,phone\n")


def test_the_provider_user_is_found_by_email_or_subject(uow, actors):
    user_id, username = make_user(uow, actors["admin"])
    with uow:
        uow.session.get(User, user_id).external_id = "Liu.Hong@laixi.gov.cn"
        uow.commit()
    assert accounts.by_identity(uow, {"email": "liu.hong@LAIXI.gov.cn"}) == username
    assert accounts.by_identity(uow, {"email": None, "sub": "liu.hong@laixi.gov.cn"}) == username
    assert accounts.by_identity(uow, {"email": "other@laixi.gov.cn"}) is None
    assert accounts.by_identity(uow, {}) is None
    users.deactivate(uow, actors["admin"], user_id, None)
    assert accounts.by_identity(uow, {"email": "liu.hong@laixi.gov.cn"}) is None


def test_an_identity_is_linked_to_one_user_only(uow, actors):
    admin = actors["admin"]
    users.create(uow, admin, Profile("liuhong", "刘红", "agent", "jiangshan-v01", "zh",
                                     "liu.hong@laixi.gov.cn"))
    with pytest.raises(InvalidInput) as taken:
        users.create(uow, admin, Profile("liuhong2", "刘红", "agent", "jiangshan-v01", "zh",
                                         "LIU.HONG@laixi.gov.cn"))
    assert taken.value.errors == {"external_id": "users.error.external_id_taken"}


def test_moving_a_user_to_another_unit_hands_their_cases_over(uow, actors):
    admin = actors["admin"]
    user_id, username = make_user(uow, admin)
    mover = accounts.actor(uow, username)
    case_id = new_case(uow, mover).case_id
    queue.claim(uow, mover, case_id)
    moved = users.edit(uow, admin, user_id, Profile(username, "测试用户", "officer",
                                                    "jiangshan-hrss"), actors["agent"].id)
    assert moved == 1
    assert accounts.actor(uow, username).unit_id == actors["officer"].unit_id
    with uow:
        assert uow.session.get(Case, case_id).assignee_id == actors["agent"].id
        after = uow.session.scalars(select(AdminChange.after).where(
            AdminChange.entity_key == username).order_by(AdminChange.id.desc())).first()
    assert (after["role"], after["unit_code"]) == ("officer", "jiangshan-hrss")
