"""Reminders and escalations (提醒与督办) of the periodic tick, each sent once per case, kind and due date.

Idempotent by construction: before anything is sent, a Reminder row is inserted for
(case, kind, due date) in the same transaction as the workbench notifications; the unique
constraint lets exactly one run win that insert, and e-mail leaves only after that transaction
commits. A late run still finds everything that is due soon or overdue today (``<=``, never
``==``), so a missed run catches up instead of losing the reminder.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.applications.cases import case_workflow
from gongkai.applications.clockview import case_events, case_rules
from gongkai.applications.identity import looks_like_personal_data
from gongkai.applications.models import Application, Reminder, StaffNotification
from gongkai.applications.notices import cn_date
from gongkai.applications.workflow import OPEN_STATUSES
from gongkai.core.personal_data import mask_personal_data
from gongkai.core.roles import DEPARTMENT_SCOPED_ROLES, Role
from gongkai.organisation.models import User
from gongkai.workdays.calendar import WorkCalendar
from gongkai.workdays.clock import PAUSE_STARTED_BY, ClockState, Event, compute
from gongkai.workdays.selectors import current_calendar
from gongkai.workdays.urgency import DUE_SOON_WORKDAYS

logger = logging.getLogger(__name__)

SUBJECT_CHARS = 30
# Full-width digits and letters as ASCII, so a number typed either way is found; punctuation stays.
_FULL_WIDTH_ALNUM = {
    code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}

ESCALATION_ROLES = (Role.OFFICE, Role.LEADER)


@dataclass
class TickResult:
    due_soon_sent: int = 0
    overdue_sent: int = 0
    skipped: int = 0  # due, but already sent (by this or a concurrent run) or nobody to tell


@dataclass(frozen=True)
class Due:
    """A reminder a case is due for today."""

    application: Application
    kind: Reminder.Kind
    due_on: datetime.date
    clock: ClockState


def _due_for(application: Application, calendar: WorkCalendar, today: datetime.date) -> Due | None:
    events = case_events(application)
    rules = case_rules(application)
    clock = compute(rules=rules, events=events, calendar=calendar, today=today)
    if clock.replied_on is not None or clock.lapsed is not None:
        return None
    if clock.overdue:
        due_on = clock.due
        paused = dict(clock.open_pauses)
        if paused:
            # While paused the clock's due date moves a day with every paused working day; the
            # due date the case missed is the one before the pause, so key the escalation on it.
            # A case paused in time is not overdue (the clock can say so on a day off).
            closed = [*events, *(Event(kind=PAUSE_STARTED_BY[k].end, on=on) for k, on in paused.items())]
            due_on = compute(rules=rules, events=closed, calendar=calendar, today=today).due
            if due_on >= min(paused.values()):
                return None
        return Due(application, Reminder.Kind.OVERDUE, due_on, clock)
    if clock.running and clock.due <= calendar.add(today, DUE_SOON_WORKDAYS):
        return Due(application, Reminder.Kind.DUE_SOON, clock.due, clock)
    return None


def reminders_due(today: datetime.date) -> list[Due]:
    """Every open case that is due soon or overdue on ``today``, whether or not already reminded."""
    calendar = current_calendar()
    cases = Application.objects.filter(status__in=[s.value for s in OPEN_STATUSES]).select_related(
        "agency", "department"
    )
    result = []
    for application in cases.prefetch_related("events", "reminders").order_by("pk"):
        try:
            due = _due_for(application, calendar, today)
        except ValueError:
            # One impossible history must not stop every other case's reminders.
            logger.exception("申请 %s 的期限无法计算，本次跳过。", application.query_code)
            continue
        if due is not None:
            result.append(due)
    return result


def claim(*, application: Application, kind: str, due_on: datetime.date) -> bool:
    """Record that this reminder is sent; False when another run (even a concurrent one) has."""
    try:
        with transaction.atomic():
            Reminder.objects.create(application=application, kind=kind, due_on=due_on)
    except IntegrityError:
        return False
    return True


def _staff(application: Application, *roles: Role) -> QuerySet[User]:
    users = User.objects.filter(
        agency_id=application.agency_id, is_active=True, roles__role__in=[r.value for r in roles]
    )
    if set(roles) <= DEPARTMENT_SCOPED_ROLES:
        if application.department_id is None:
            return User.objects.none()
        users = users.filter(department_id=application.department_id)
    return users.distinct().order_by("pk")


def recipients(application: Application, kind: str) -> list[User]:
    """Overdue: the disclosure office and the leaders. Due soon: whom the case waits for, else the office."""
    if kind == Reminder.Kind.OVERDUE:
        return list(_staff(application, *ESCALATION_ROLES))
    # The workflow's answer; where department staff are among those waited for, they are the
    # ones told (the office acts for every department, and is told when nobody else is).
    roles = case_workflow(application).waiting_roles(application.status_enum) or {Role.OFFICE}
    primary = (roles & DEPARTMENT_SCOPED_ROLES) or roles
    return list(_staff(application, *sorted(primary))) or list(_staff(application, Role.OFFICE))


def request_subject(application: Application) -> str:
    """What was asked for, short and with the applicant's own identifiers blanked out."""
    text = " ".join(application.description.translate(_FULL_WIDTH_ALNUM).split())
    secrets = [application.name, application.id_number, application.phone, application.contact_person]
    secrets += looks_like_personal_data(text)
    for secret in sorted({s.strip() for s in secrets if s and s.strip()}, key=len, reverse=True):
        text = text.replace(secret.translate(_FULL_WIDTH_ALNUM), "*" * len(secret))
    # Landlines, card numbers and house numbers too (core.personal_data), before the text is cut.
    text = mask_personal_data(text)
    return text if len(text) <= SUBJECT_CHARS else text[:SUBJECT_CHARS] + "…"


def _subject(due: Due) -> str:
    code, day = due.application.query_code, cn_date(due.due_on)
    if due.kind == Reminder.Kind.OVERDUE:
        return f"【已超期】政府信息公开申请 {code} 已超过{day}的答复期限"
    return f"【即将到期】政府信息公开申请 {code} 须于{day}前答复"


def _days_line(due: Due) -> str:
    left = due.clock.working_days_left
    return f"已超期：{-left}个工作日" if due.kind == Reminder.Kind.OVERDUE else f"剩余工作日：{left}个"


def _notification_text(due: Due) -> str:
    application = due.application
    what = f"申请 {application.query_code}（{request_subject(application)}）"
    if due.kind == Reminder.Kind.OVERDUE:
        return f"【已超期】{what}答复期限为{cn_date(due.due_on)}，{_days_line(due)}，请督办。"
    return f"【即将到期】{what}须于{cn_date(due.due_on)}前答复，{_days_line(due)}。"


def _body(due: Due, user: User) -> str:
    application = due.application
    lead = (
        "以下政府信息公开申请已超过答复期限，请督促办理："
        if due.kind == Reminder.Kind.OVERDUE
        else "以下政府信息公开申请即将到期，请及时办理："
    )
    lines = [
        f"{user.display_name}：",
        "",
        lead,
        "",
        f"查询码：{application.query_code}",
        f"申请内容：{request_subject(application)}",
        f"办理状态：{application.status_label}",
        f"承办股室：{application.department.name if application.department else '—'}",
        f"收到申请日期：{cn_date(application.received_on)}",
        f"答复期限：{cn_date(due.due_on)}",
        _days_line(due),
        f"办理页面：{settings.SITE_URL.rstrip('/')}{application.get_absolute_url()}",
        "",
        "本邮件由政务公开平台自动发送，请勿直接回复。",
    ]
    return "\n".join(lines)


def _deliver(messages: list[mail.EmailMessage]) -> None:
    with mail.get_connection() as connection:
        for message in messages:
            try:
                connection.send_messages([message])
            except Exception:
                # The reminder is recorded and shown in the workbench; one bad address stops no other.
                logger.exception("提醒邮件发送失败：%s", message.to)


def remind(due: Due) -> bool | None:
    """Send one reminder once: True when sent now, False when already sent, None when nobody to tell."""
    application = due.application
    with transaction.atomic():
        people = recipients(application, due.kind)
        if not people:
            logger.warning("申请 %s 无人可接收%s。", application.query_code, due.kind.label)
            return None
        if not claim(application=application, kind=due.kind, due_on=due.due_on):
            return False
        text = _notification_text(due)
        StaffNotification.objects.bulk_create(
            StaffNotification(user=user, application=application, text=text) for user in people
        )
        messages = [
            mail.EmailMessage(_subject(due), _body(due, user), to=[user.email])
            for user in people
            if user.email
        ]
        if messages:
            transaction.on_commit(lambda: _deliver(messages), robust=True)
    logger.info("已发送%s：%s（%s）", due.kind.label, application.query_code, due.due_on)
    return True


def tick(*, now: datetime.datetime | None = None) -> TickResult:
    """Remind the assignees of cases due soon and escalate overdue ones, each once per due date."""
    today = timezone.localdate(now)
    result = TickResult()
    for due in reminders_due(today):
        already = {(r.kind, r.due_on) for r in due.application.reminders.all()}
        sent = None if (due.kind, due.due_on) in already else remind(due)
        if not sent:
            result.skipped += 1
        elif due.kind == Reminder.Kind.OVERDUE:
            result.overdue_sent += 1
        else:
            result.due_soon_sent += 1
    return result


def unread_notifications(user, limit: int = 10) -> QuerySet[StaffNotification]:
    """The latest reminders and escalations the user has not read, for the workbench home."""
    return StaffNotification.objects.filter(user=user, read_at__isnull=True)[:limit]
