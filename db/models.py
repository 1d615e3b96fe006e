"""Typed ORM models of schema v1. Alembic owns the schema; these map it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    FetchedValue,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

TIERS = ("city", "township", "village")
ROLES = ("agent", "officer", "manager", "admin")
STATUSES = (
    "received",
    "in_progress",
    "waiting_citizen",
    "handoff_pending",
    "resolved",
    "closed",
    "reopened",
    "withdrawn",
)
PRIORITIES = ("normal", "urgent")
OUTCOMES = ("approved", "rejected", "answered", "referred")
CHANNELS = ("walk_in", "phone", "home_visit")
HANDOFF_STATES = ("pending", "accepted", "returned", "withdrawn")
HANDOFF_KINDS = ("transfer", "joint")
RETURN_CATEGORIES = ("not_our_department", "documents_incomplete", "wrong_tier", "other")
AUTO_ASSIGN_MODES = ("off", "round_robin", "fewest_open")
NOTICE_LEVELS = ("reminder", "supervision", "report")


def _in(column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_valid")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSONB, list[Any]: JSONB}


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (_in("tier", TIERS), _in("auto_assign", AUTO_ASSIGN_MODES))
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(160))
    tier: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    # Codes from the root down, "/city/shuiji/", so a subtree is one prefix match.
    path: Mapped[str] = mapped_column(String(400), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # How new and accepted cases find a person: not at all, in turn, or to the least loaded.
    auto_assign: Mapped[str] = mapped_column(String(12), default="off", server_default="off")
    # Whether only people qualified for the service's department are chosen.
    auto_assign_qualified: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # The person chosen last, where the round robin goes on from.
    auto_assign_last: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, name="units_auto_assign_last_fkey"))

    parent: Mapped[Unit | None] = relationship(remote_side=[id])
    department: Mapped[Department | None] = relationship()


class User(Base):
    __tablename__ = "users"
    __table_args__ = (_in("role", ROLES), _in("language", ("zh", "en")))
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    password_hash: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(2), default="zh")
    active: Mapped[bool] = mapped_column(default=True)
    on_leave: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Failed log-ins in a row; at the setting's limit the account is locked until locked_until.
    failed_logins: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    must_change_password: Mapped[bool] = mapped_column(default=False,
                                                       server_default=text("false"))
    # The user's e-mail or subject at the city's identity provider (st.login), if any.
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])


ACCOUNT_EVENTS = ("logged_in", "login_failed", "locked", "password_changed", "password_reset",
                  "deactivated", "reactivated")


class AccountEvent(Base):
    """What happened to an account: log-ins, failures, lockouts, resets, deactivation."""

    __tablename__ = "account_events"
    __table_args__ = (_in("kind", ACCOUNT_EVENTS), Index("ix_account_events_user", "user_id", "at"))
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(20))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the admin, for resets


class UserSession(Base):
    """A log-in: the browser holds a random token in an HttpOnly cookie; only its hash is here.

    `handover_hash` is the one-time token the log-in run hands to the browser, exchanged for
    the cookie within `handover_until`. A session ends when `revoked_at` is set (log-out,
    password change or reset, deactivation, an admin, inactivity) or at `expires_at`.
    """

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user", "user_id",
                            postgresql_where=text("revoked_at IS NULL")),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    handover_hash: Mapped[bytes | None] = mapped_column(LargeBinary, unique=True)
    handover_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(20))
    client: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class Setting(Base):
    """One tuned rule of the programme; the defaults live in portal.settings."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)


class UserQualification(Base):
    """A department whose services the person is qualified to handle (for automatic assignment)."""

    __tablename__ = "user_qualifications"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)


class ServiceType(Base):
    __tablename__ = "service_types"
    __table_args__ = (_in("min_tier", TIERS), CheckConstraint("time_limit_days > 0"))
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(160))
    category: Mapped[str] = mapped_column(String(40))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    min_tier: Mapped[str] = mapped_column(String(10))
    time_limit_days: Mapped[int] = mapped_column(SmallInteger)
    # [{"name_zh", "name_en", "required"}]: the one-time notice of documents to bring.
    documents: Mapped[list[Any]] = mapped_column(default=list)
    # Custom intake form fields, defined as data so IT staff change forms without code.
    form_fields: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)

    department: Mapped[Department | None] = relationship()


class Holiday(Base):
    __tablename__ = "holidays"
    __table_args__ = (_in("kind", ("holiday", "workday")),)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80))


class Citizen(Base):
    __tablename__ = "citizens"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        _in("status", STATUSES),
        _in("priority", PRIORITIES),
        _in("channel", CHANNELS),
        CheckConstraint("outcome IS NULL OR outcome IN ('approved', 'rejected', 'answered', "
                        "'referred')", name="outcome_valid"),
        # The queue's default view: one unit's open cases by due date.
        Index("ix_cases_unit_status_due", "unit_id", "status", "due_date"),
        Index("ix_cases_received_at", "received_at"),
        Index("ix_cases_assignee", "assignee_id", "status"),
        Index("ix_cases_open_queue", "unit_id", "due_date", "id",
              postgresql_where=text("status IN ('received', 'in_progress', 'waiting_citizen', "
                                    "'handoff_pending', 'reopened')")),
        Index("ix_cases_open_by_due", "due_date", "id",
              postgresql_where=text("status IN ('received', 'in_progress', 'waiting_citizen', "
                                    "'handoff_pending', 'reopened')")),
        Index("ix_cases_citizen", "citizen_id"),
        Index("ix_cases_resolved_at", "resolved_at"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(24), unique=True)
    # Set by the intake form when it is drawn, so a resubmitted form finds its case again.
    intake_token: Mapped[str | None] = mapped_column(String(40), unique=True)
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id"))
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    # The phone given at intake; its last four digits open the public status lookup.
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    # The citizen's e-mail, when given (by the hotline, say): messages go there too.
    contact_email: Mapped[str | None] = mapped_column(String(120))
    # Printed on the receipt: opens the public status lookup (random, from the database).
    lookup_code: Mapped[str] = mapped_column(String(8), server_default=text("new_lookup_code()"))
    intake_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    channel: Mapped[str] = mapped_column(String(12), default="walk_in")
    note: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The one-time notice as told at intake: [{"name_zh", "name_en", "required", "brought"}].
    documents: Mapped[list[Any]] = mapped_column(default=list)
    # Handled by the agent on the citizen's behalf, with the citizen's power of attorney.
    on_behalf: Mapped[bool] = mapped_column(default=False)
    poa_signed: Mapped[bool | None]
    poa_date: Mapped[dt.date | None] = mapped_column(Date)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_date: Mapped[dt.date] = mapped_column(Date)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The resolution: its outcome and the result told to the citizen.
    outcome: Mapped[str | None] = mapped_column(String(10))
    result: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Handed off three times or returned twice; a manager above may then name a unit
    # first-responsible, which may hand the case on only upwards.
    bounced: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    first_responsible_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    service_type: Mapped[ServiceType] = relationship()
    citizen: Mapped[Citizen] = relationship()
    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])

    __mapper_args__ = {"version_id_col": version}


class CaseMaterial(Base):
    """A material the agent took from the citizen; the delivery step records what went back."""

    __tablename__ = "case_materials"
    __table_args__ = (CheckConstraint("copies > 0", name="copies_positive"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    copies: Mapped[int] = mapped_column(SmallInteger)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    returned_copies: Mapped[int | None] = mapped_column(SmallInteger)
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CaseEvent(Base):
    """One row per change of a case; never updated or deleted (a trigger refuses).

    Each case's events form a hash chain (migration 0016): a trigger numbers them (`seq`),
    stamps `written_at` and sets `hash` over the content and the previous event's hash.
    """

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_reopened", "case_id",
                            postgresql_where=text("kind = 'reopened'")),
                      Index("ux_case_events_case_seq", "case_id", "seq", unique=True))
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seq: Mapped[int] = mapped_column(Integer, server_default=FetchedValue())
    written_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=FetchedValue())
    hash: Mapped[bytes] = mapped_column(LargeBinary, server_default=FetchedValue())


class Handoff(Base):
    """A request to another unit: take the whole case (transfer) or do one part of it (joint)."""

    __tablename__ = "handoffs"
    __table_args__ = (
        _in("state", HANDOFF_STATES),
        _in("kind", HANDOFF_KINDS),
        CheckConstraint("return_category IS NULL OR return_category IN ('not_our_department', "
                        "'documents_incomplete', 'wrong_tier', 'other')",
                        name="return_category_valid"),
        Index("ix_handoffs_pending", "to_unit_id", "requested_at",
              postgresql_where=text("state = 'pending'")),
        Index("ix_handoffs_from_unit", "from_unit_id", "answered_at"),
        Index("ix_handoffs_answered_at", "answered_at"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    # Departments copied at send time, so the flow charts survive later changes to units.
    from_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    to_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    state: Mapped[str] = mapped_column(String(10), default="pending")
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    return_reason: Mapped[str | None] = mapped_column(Text)
    return_category: Mapped[str | None] = mapped_column(String(24))
    # A transfer is completed when the receiver resolves the case, a joint part when done.
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(8), default="transfer", server_default="transfer")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    part: Mapped[str] = mapped_column(Text, default="", server_default="")  # what a part asks
    # The case's status when sent, restored on a return or a withdrawal.
    from_status: Mapped[str | None] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(Text, default="", server_default="")
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A return the sender disputes goes to the manager of the nearest unit above both sides.
    disputed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    disputed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dispute_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    dispute_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    case: Mapped[Case] = relationship()
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id])


RATING_SOURCES = ("citizen", "ledger", "window")


class Feedback(Base):
    """A rating of a case: the citizen's own (on the status page, or on a paper ledger
    imported), once per case; "window" ratings were typed by staff before revision 0019 and
    count in no figure."""

    __tablename__ = "feedback"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_valid"),
                      _in("source", RATING_SOURCES),
                      Index("ix_feedback_recorded_at", "recorded_at"),
                      Index("ux_feedback_one_per_case", "case_id", unique=True,
                            postgresql_where=text("source <> 'window'")))
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # 5 very satisfied ... 1 very dissatisfied; 1 and 2 are bad reviews.
    rating: Mapped[int] = mapped_column(SmallInteger)
    source: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AdminChange(Base):
    """Who changed which setting or reference record, when, from what to what."""

    __tablename__ = "admin_changes"
    __table_args__ = (Index("ix_admin_changes_at", "at"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entity: Mapped[str] = mapped_column(String(40))  # e.g. "holiday"
    entity_key: Mapped[str] = mapped_column(String(80))  # e.g. "2026-10-01"
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


class LookupFailure(Base):
    """A wrong answer to the public status lookup: counted per receipt number and per client
    address, so that guessing slows down whichever browser or session asks."""

    __tablename__ = "lookup_failures"
    __table_args__ = (Index("ix_lookup_failures_receipt", "receipt_no", "at"),
                      Index("ix_lookup_failures_client", "client", "at"))
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    receipt_no: Mapped[str] = mapped_column(String(40))
    client: Mapped[str] = mapped_column(String(64))


class HistoryDigest(Base):
    """A digest over every case's latest event hash written by `upto`: it anchors the chains,
    so that even an event removed from the end of a case's history is noticed."""

    __tablename__ = "history_digests"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    made_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    upto: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    cases: Mapped[int] = mapped_column(Integer)
    events: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[bytes] = mapped_column(LargeBinary)


class Rectification(Base):
    """What a bad review obliges the unit's manager to do: fix it and call the citizen back."""

    __tablename__ = "rectifications"
    __table_args__ = (CheckConstraint("new_rating IS NULL OR new_rating BETWEEN 1 AND 5",
                                      name="new_rating_valid"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_date: Mapped[dt.date] = mapped_column(Date)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action_taken: Mapped[str] = mapped_column(Text, default="")
    # The call-back: who called the citizen, when, what was said and the rating given then.
    called_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    called_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    call_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    new_rating: Mapped[int | None] = mapped_column(SmallInteger)


class Extension(Base):
    """A request to move a case's due date, asked before the deadline and decided by a manager."""

    __tablename__ = "extensions"
    __table_args__ = (_in("state", ("pending", "approved", "refused")),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)
    new_due: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str] = mapped_column(Text, default="")


class SupervisionNotice(Base):
    """A reminder, supervision notice or report about a case's deadline; one of each per deadline."""

    __tablename__ = "supervision_notices"
    __table_args__ = (
        _in("level", NOTICE_LEVELS),
        UniqueConstraint("case_id", "level", "due_date", name="supervision_notices_once"),
        Index("ix_supervision_notices_unit", "unit_id", "at"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    level: Mapped[str] = mapped_column(String(12))
    due_date: Mapped[dt.date] = mapped_column(Date)  # the deadline it is about
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # whose manager it is for
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the assignee reminded
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DailyFigure(Base):
    """One completed day's counts for one unit and service: the dashboard's history.

    Received counts by the intake unit; the rest by the case's unit. Written once the day is
    over (portal.dashboard.rollup), so the cases' transactions never touch it.
    """

    __tablename__ = "daily_figures"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_types.id"), primary_key=True)
    received: Mapped[int] = mapped_column(default=0, server_default="0")
    resolved: Mapped[int] = mapped_column(default=0, server_default="0")
    resolved_on_time: Mapped[int] = mapped_column(default=0, server_default="0")
    open_at_end: Mapped[int] = mapped_column(default=0, server_default="0")
    overdue_at_end: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_1: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_2: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_3: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_4: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_5: Mapped[int] = mapped_column(default=0, server_default="0")


class DailyFiguresDone(Base):
    """The days already folded into daily_figures."""

    __tablename__ = "daily_figures_done"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


API_SCOPES = ("services.read", "requests.read", "requests.write", "events.read",
              "ratings.write", "handoffs.read")
MESSAGE_CHANNELS = ("sms", "email", "app")
MESSAGE_STATES = ("pending", "sent", "dead")
ATTACHMENT_KINDS = ("document", "photo", "power_of_attorney")


class ApiClient(Base):
    """A system that calls the portal's API (the hotline, a province platform): its key's hash,
    what it may do (scopes) and the unit it acts for."""

    __tablename__ = "api_clients"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    scopes: Mapped[list[Any]] = mapped_column()
    key_prefix: Mapped[str] = mapped_column(String(16), unique=True)  # shown, to tell keys apart
    key_hash: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ApiCall(Base):
    """One call of the API, answered or refused: the audit log of the systems around us."""

    __tablename__ = "api_calls"
    __table_args__ = (Index("ix_api_calls_client", "client_id", "at"),
                      Index("ix_api_calls_address", "address", "at"))
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(200))
    status: Mapped[int] = mapped_column(SmallInteger)
    address: Mapped[str] = mapped_column(String(64))


class MessageTemplate(Base):
    """An admin's wording of one event's message in one language (the defaults are in code)."""

    __tablename__ = "message_templates"
    event: Mapped[str] = mapped_column(String(30), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    subject: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)


class OutboxMessage(Base):
    """A message to send, written in the transaction of the event it tells of; the background
    worker sends it, retrying with backoff, until it is sent or given up (dead)."""

    __tablename__ = "outbox"
    __table_args__ = (_in("channel", MESSAGE_CHANNELS), _in("state", MESSAGE_STATES),
                      Index("ix_outbox_due", "next_attempt_at",
                            postgresql_where=text("state = 'pending'")),
                      Index("ix_outbox_case", "case_id"))
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(120))  # a phone, an e-mail or a user's id
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    state: Mapped[str] = mapped_column(String(8), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Notification(Base):
    """A message shown to a member of staff in the portal (the bell), read or not."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user", "user_id", "created_at"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AttachmentBlob(Base):
    """An attachment's bytes, where the database stores them (portal.attachments.storage)."""

    __tablename__ = "attachment_blobs"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    """A scan, photo or PDF attached to a case; its bytes are kept by the storage it names."""

    __tablename__ = "attachments"
    __table_args__ = (_in("kind", ATTACHMENT_KINDS), Index("ix_attachments_case", "case_id"))
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(200))
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
