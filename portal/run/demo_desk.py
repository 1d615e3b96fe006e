"""The demo users' own desks: work that waits for the demo agent, officer and manager when
they first log in, made through the portal's own services on the days it would have happened.

The year of history (db/history.py) fills the dashboards, but its cases belong to other
people and are mostly done; a newcomer learning the portal needs open cases of their own,
hand-offs waiting in both directions, a bounced case, a dispute, a rectification, an
extension to decide and supervision notices.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from PIL import Image, ImageDraw
from sqlalchemy import select

from db.models import Case, Unit
from portal import attachments, clock, workdays
from portal.access import Actor
from portal.accounts import accounts
from portal.attachments import Upload
from portal.casework import casework, extensions, supervision
from portal.handoffs import disputes, handoff
from portal.intake import intake, lookup
from portal.intake.citizens import CitizenInput
from portal.intake.intake import IntakeForm
from portal.uow import UnitOfWork

Factory = Callable[[], UnitOfWork]


class Desk:
    """The demo people and their units, and a clock set back to the day each step happened."""

    def __init__(self, uow: Factory) -> None:
        self.uow = uow
        # The manager's desk fills from theirs: the dispute, the rectification, the extension.
        self.agent, self.officer = (accounts.actor(uow(), name) for name in ("agent", "officer"))
        self.medical = accounts.actor(uow(), "staff-jiangshan-medical")
        self.today = clock.today()
        with uow() as work:
            self.calendar = workdays.load(work.session)
            self.units = dict(work.session.execute(select(Unit.code, Unit.id)).all())

    def on(self, working_days_ago: int, hour: int, minute: int = 0) -> None:
        """Set the clock to that working day's hour (counted from the real today)."""
        day = self.today
        for _ in range(working_days_ago):
            day -= dt.timedelta(days=1)
            while not workdays.is_working_day(day, self.calendar):
                day -= dt.timedelta(days=1)
        clock.freeze(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.TZ))

    def take_in(self, actor: Actor, service: str, name: str, phone: str, *, handle: bool = True,
                **form) -> int:
        form.setdefault("brought", (True,) * 5)  # every document of the one-time notice
        return intake.take_in(self.uow(), actor, IntakeForm(
            service_code=service, citizen=CitizenInput(name=name, phone=phone), handle=handle,
            **form)).case_id

    def send(self, actor: Actor, case_id: int, unit: str, reason: str) -> int:
        return handoff.send(self.uow(), actor, case_id, self.units[unit], reason)


def stage(uow: Factory = UnitOfWork) -> None:
    """Lay out every desk; the clock is real again afterwards, and the day's supervision
    sweep has run."""
    desk = Desk(uow)
    try:
        for scene in (_agents_cases, _handed_to_the_officer, _handed_to_the_agent,
                      _bounced_and_disputed, _rated_badly):
            scene(desk)
    finally:
        clock.freeze(None)
    supervision.sweep(uow())


def _agents_cases(desk: Desk) -> None:
    """Open cases at the village point: overdue, due soon with an extension asked, waiting
    for documents, and a new one nobody has taken yet."""
    agent = desk.agent
    desk.on(6, 9, 20)
    desk.take_in(agent, "PENSION-CERT", "刘桂芝", "13853261047", note="老人行动不便，需上门核实")
    desk.on(2, 10, 5)
    due_soon = desk.take_in(agent, "LABOUR-REG", "孙立军", "13605421873")
    desk.on(1, 15, 30)
    extensions.request(desk.uow(), agent, due_soon,
                       workdays.add_working_days(desk.today, 6, desk.calendar),
                       "用工单位证明需企业盖章，群众下周才能送来")
    desk.on(3, 9, 0)
    waiting = desk.take_in(agent, "LABOUR-REG", "姜玉兰", "15963207719")
    desk.on(3, 9, 40)
    casework.request_documents(desk.uow(), agent, waiting, "请补交户口簿原件")
    attachments.attach(desk.uow(), agent, waiting, Upload("document", "身份证复印件.jpg", _scan()))
    desk.on(0, 8, 40)
    desk.take_in(agent, "TEMP-AID", "周春梅", "13589314620", handle=False,
                 answers={"hardship": ["disaster"]}, note="家中突遇火灾，急需临时救助")


def _handed_to_the_officer(desk: Desk) -> None:
    """Both ways between the village point and the township's social security window: one
    waiting for the officer's answer, one the officer took on, and the officer's own case
    waiting at the city hall."""
    agent, officer = desk.agent, desk.officer
    desk.on(1, 14, 10)
    enrol = desk.take_in(agent, "PENSION-ENROL", "张海涛", "13176548032",
                         answers={"grade": "500"})
    desk.send(agent, enrol, "jiangshan-hrss", "参保登记须由镇人社窗口审核办理")
    desk.on(3, 10, 20)
    training = desk.take_in(agent, "SKILLS-TRAIN", "赵德明", "18765430291")
    sent = desk.send(agent, training, "jiangshan-hrss", "培训报名须由镇人社窗口统一录入")
    desk.on(3, 14, 0)
    handoff.accept(desk.uow(), officer, sent, claim=True)
    desk.on(2, 11, 15)
    claim = desk.take_in(officer, "MEDICAL-CLAIM", "吴建华", "13954217786",
                         answers={"hospital": "青岛大学附属医院", "amount": 3860,
                                  "admitted": desk.today - dt.timedelta(days=30)})
    desk.send(officer, claim, "city-medical", "异地就医报销须由市医保窗口审核")


def _handed_to_the_agent(desk: Desk) -> None:
    """The officer sends the village point a case of one of its villagers to look into."""
    desk.on(1, 9, 30)
    case_id = desk.take_in(desk.officer, "OLD-AGE", "李凤英", "13698741250")
    desk.send(desk.officer, case_id, "jiangshan-v01", "申请人居住在姜山村，请代理点上门核实后办理")


def _bounced_and_disputed(desk: Desk) -> None:
    """Sent on and returned twice: the case is marked bounced, and the agent refers the last
    return to the manager above both units."""
    agent = desk.agent
    desk.on(5, 9, 10)
    case_id = desk.take_in(agent, "MEDICAL-ENROL", "郑淑芬", "15166023487")
    sent = desk.send(agent, case_id, "jiangshan-hrss", "参保缴费请镇窗口办理")
    desk.on(5, 15, 0)
    handoff.return_to_sender(desk.uow(), desk.officer, sent, "not_our_department",
                      "医保参保缴费属医保窗口，请转镇医保窗口")
    desk.on(4, 9, 30)
    again = desk.send(agent, case_id, "jiangshan-medical", "按人社窗口意见转医保窗口")
    desk.on(4, 16, 20)
    handoff.return_to_sender(desk.uow(), desk.medical, again, "documents_incomplete",
                      "户籍信息需村代理点先行核实")
    desk.on(3, 10, 0)
    disputes.refer(desk.uow(), agent, again, "户籍已在受理时核验，参保缴费应由医保窗口办理")


def _rated_badly(desk: Desk) -> None:
    """A citizen rated the service "very dissatisfied": a rectification for the manager."""
    agent = desk.agent
    desk.on(4, 10, 0)
    case_id = desk.take_in(agent, "PENSION-CERT", "王凤兰", "13791522468")
    desk.on(3, 11, 0)
    casework.resolve(desk.uow(), agent, case_id, "approved", "认证已通过，待遇按月发放")
    desk.on(3, 16, 0)
    casework.deliver(desk.uow(), agent, case_id)
    with desk.uow() as work:
        receipt_no, code = work.session.execute(select(Case.receipt_no, Case.lookup_code).where(
            Case.id == case_id)).one()
    desk.on(2, 19, 30)
    lookup.rate(desk.uow(), receipt_no, code, "demo", 1,
                "来回跑了两趟才办成，窗口没有一次说清要带什么")


def _scan() -> bytes:
    """A page as a village point's scanner gives it: A4 at 150 dpi, a card and lines of text."""
    page = Image.new("RGB", (1240, 1754), (250, 250, 246))
    draw = ImageDraw.Draw(page)
    draw.rounded_rectangle((170, 180, 1070, 740), 30, outline=(90, 90, 90), width=4)
    draw.rectangle((800, 280, 1010, 540), fill=(205, 210, 215))
    for row in range(8):
        y = 290 + row * 52
        draw.line((230, y, 230 + (520 if row % 3 else 380), y), fill=(60, 60, 60), width=12)
    for row in range(14):
        y = 900 + row * 48
        draw.line((170, y, 1070 - (row % 4) * 90, y), fill=(150, 150, 150), width=6)
    out = io.BytesIO()
    page.save(out, "JPEG", quality=80)
    return out.getvalue()
