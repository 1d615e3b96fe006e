"""The message catalogue: every user-visible string, in zh-CN and English."""

from __future__ import annotations

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"

# key -> (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("为民服务全程代理平台", "Service Agent Portal"),
    "app.language": ("语言", "Language"),
    "app.signed_in_as": ("{name}（{role}）· {unit}", "{name} ({role}) · {unit}"),
    "app.logout": ("退出登录", "Log out"),
    "section.work": ("办件", "Cases"),
    "section.overview": ("总览", "Overview"),
    "section.account": ("账户", "Account"),
    "page.login": ("登录", "Log in"),
    "page.new_case": ("受理新件", "New case"),
    "page.queue": ("单位待办", "Unit queue"),
    "page.handoffs": ("转办", "Hand-offs"),
    "page.dashboard": ("数据看板", "Dashboard"),
    "role.agent": ("代办员", "agent"),
    "role.officer": ("窗口工作人员", "officer"),
    "role.manager": ("管理人员", "manager"),
    "role.admin": ("系统管理员", "admin"),
    "tier.city": ("市级", "city"),
    "tier.township": ("镇（街道）级", "township"),
    "tier.village": ("村（社区）级", "village"),
    "status.received": ("已受理", "received"),
    "status.in_progress": ("办理中", "in progress"),
    "status.waiting_citizen": ("待补材料", "waiting for citizen"),
    "status.handoff_pending": ("转办待接收", "hand-off pending"),
    "status.resolved": ("已办结", "resolved"),
    "status.closed": ("已归档", "closed"),
    "status.reopened": ("已重启", "reopened"),
    "status.withdrawn": ("已撤回", "withdrawn"),
    "channel.walk_in": ("窗口受理", "walk-in"),
    "channel.phone": ("电话受理", "phone"),
    "channel.home_visit": ("上门代办", "home visit"),
    # Log-in
    "login.form": ("登录", "Log in"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.failed": ("用户名或密码不正确。", "Wrong username or password."),
    "login.welcome": ("登录成功，正在进入……", "Logged in, opening the portal…"),
    "login.intro": (
        "市、镇（街道）、村（社区）三级为民服务全程代理工作平台。",
        "The shared workspace of the city, township and village service agents.",
    ),
    # Page guard
    "guard.login_required": ("请先登录后再打开此页面。", "Please log in before opening this page."),
    "guard.not_permitted": ("您的角色无权打开此页面。", "Your role may not open this page."),
    "guard.go_login": ("前往登录", "Go to log-in"),
    # Errors from the domain
    "error.domain": ("操作未能完成。", "The action could not be completed."),
    "error.invalid_transition": (
        "当前状态（{current}）下不能进行此操作。",
        "This action is not allowed while the case is {current}.",
    ),
    "error.not_permitted": ("您无权进行此操作。", "You are not permitted to do this."),
    "error.stale_case": (
        "办件 {receipt_no} 已被他人更新，请刷新后重试。",
        "Case {receipt_no} was changed by someone else; refresh and try again.",
    ),
    "error.not_found": ("未找到该记录。", "That record was not found."),
    "error.invalid_input": ("请更正标出的字段。", "Please correct the marked fields."),
    "error.already_claimed": (
        "办件 {receipt_no} 已被他人认领。", "Case {receipt_no} has already been claimed."),
    "error.handoff_answered": ("该转办已被处理。", "This hand-off has already been answered."),
    "error.database": (
        "暂时无法连接数据库，您的输入已保留，请稍后重试。",
        "The database cannot be reached right now; your input is kept, please try again.",
    ),
    # Intake
    "intake.service": ("服务事项", "Service"),
    "intake.service_help": ("输入名称或编码搜索", "Type a name or code to search"),
    "intake.service_option": ("{name}（{days} 个工作日）", "{name} ({days} working days)"),
    "intake.citizen_name": ("群众姓名", "Citizen's name"),
    "intake.phone": ("联系电话", "Phone"),
    "intake.channel": ("受理方式", "Channel"),
    "intake.note": ("诉求说明", "Request details"),
    "intake.submit": ("受理并出具回执", "Accept and issue receipt"),
    "intake.error.service_required": ("请选择服务事项。", "Choose a service."),
    "intake.error.name_required": ("请填写群众姓名。", "Enter the citizen's name."),
    "intake.error.name_too_long": ("姓名不能超过 60 个字。", "The name may have at most 60 characters."),
    "intake.error.phone_required": ("请填写联系电话。", "Enter a phone number."),
    "intake.error.phone_invalid": (
        "请填写 11 位手机号或带区号的固定电话。",
        "Enter an 11-digit mobile number or a landline with its area code.",
    ),
    "intake.error.note_too_long": (
        "诉求说明不能超过 2000 字。", "Details may have at most 2,000 characters."),
    "intake.error.channel_invalid": ("请选择受理方式。", "Choose a channel."),
    "intake.new": ("受理下一件", "Take the next case"),
    "receipt.title": ("受理回执", "Receipt"),
    "receipt.number": ("受理回执编号", "Receipt number"),
    "receipt.service": ("服务事项", "Service"),
    "receipt.due": ("承诺办结日期", "Promised by"),
    "receipt.unit": ("受理单位", "Accepted at"),
    "receipt.status": ("状态", "Status"),
    # Queue
    "queue.caption": ("本单位未办结的办件，按承诺日期排序。", "Open cases of your unit, soonest due first."),
    "queue.open_count": ("未办结", "Open"),
    "queue.empty": ("没有待办的办件。", "No open cases."),
    "queue.page": ("页码", "Page"),
    "queue.select": ("选择办件", "Choose a case"),
    "queue.claim": ("认领", "Claim"),
    "queue.claimed": ("已认领办件 {receipt_no}。", "You claimed case {receipt_no}."),
    "col.receipt_no": ("回执编号", "Receipt no."),
    "col.service": ("服务事项", "Service"),
    "col.citizen": ("群众", "Citizen"),
    "col.status": ("状态", "Status"),
    "col.assignee": ("经办人", "Assignee"),
    "col.received_at": ("受理时间", "Received"),
    "col.due_date": ("承诺日期", "Due"),
    "col.from_unit": ("转出单位", "From"),
    "col.to_unit": ("接收单位", "To"),
    "col.reason": ("转办理由", "Reason"),
    "col.requested_at": ("转办时间", "Sent"),
    # Hand-offs
    "handoff.send_title": ("转办办件", "Hand off a case"),
    "handoff.case": ("办件", "Case"),
    "handoff.to_unit": ("接收单位", "To unit"),
    "handoff.to_unit_help": ("输入单位名称搜索", "Type a unit's name to search"),
    "handoff.reason": ("转办理由", "Reason"),
    "handoff.send": ("发送转办", "Send hand-off"),
    "handoff.sent": ("办件 {receipt_no} 已转出，等待对方接收。",
                     "Case {receipt_no} was sent and awaits acceptance."),
    "handoff.none_to_send": ("本单位没有可转办的办件。", "Your unit has no case to hand off."),
    "handoff.inbox_title": ("待接收的转办", "Incoming hand-offs"),
    "handoff.inbox_empty": ("没有待接收的转办。", "No incoming hand-offs."),
    "handoff.sent_title": ("已转出待接收", "Sent, awaiting acceptance"),
    "handoff.sent_empty": ("没有等待对方接收的转办。", "Nothing awaiting acceptance."),
    "handoff.pick": ("选择转办", "Choose a hand-off"),
    "handoff.accept": ("接收", "Accept"),
    "handoff.accepted": ("已接收办件 {receipt_no}。", "You accepted case {receipt_no}."),
    "handoff.error.reason_required": ("请填写转办理由。", "Give a reason for the hand-off."),
    "handoff.error.reason_too_long": (
        "转办理由不能超过 500 字。", "The reason may have at most 500 characters."),
    "handoff.error.same_unit": ("不能转给本单位。", "A case cannot be handed to its own unit."),
    "handoff.error.unknown_unit": ("请选择有效的接收单位。", "Choose an active unit."),
    # Dashboard
    "dash.caption": ("数据范围：{unit}。数据时间 {time}。", "Scope: {unit}. Data as of {time}."),
    "kpi.received_today": ("今日受理", "Received today"),
    "kpi.open": ("在办", "Open"),
    "kpi.overdue": ("超期", "Overdue"),
    "kpi.resolved_today": ("今日办结", "Resolved today"),
    "chart.per_day": ("近 30 天每日受理与办结", "Received and resolved per day, last 30 days"),
    "chart.day": ("日期", "Day"),
    "chart.cases": ("件数", "Cases"),
    "chart.kind": ("类别", "Kind"),
    "chart.received": ("受理", "received"),
    "chart.resolved": ("办结", "resolved"),
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The message `key` in `lang`, with `{params}` filled in."""
    zh, en = MESSAGES[key]
    text = en if lang == "en" else zh
    return text.format(**params) if params else text
