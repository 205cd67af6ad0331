"""Test data made the way users make it: through the services their pages call.

Items are drafted and moved along the real review chain, revisions reviewed, requests registered by
the office and moved along by the people whose job each step is, annual reports written and signed.
Each helper takes the ``Team`` (gongkai.testing.world) whose people act; for an item or a case of
the team's ``other_department``, its own clerk and head act.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from gongkai.applications import identity
from gongkai.applications import services as application_services
from gongkai.applications.models import Application
from gongkai.applications.workflow import Action as CaseAction
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Attachment, Item, ItemRevision, TextState
from gongkai.catalogue.workflow import Action
from gongkai.core.review_findings import Decision
from gongkai.organisation.models import Department, User
from gongkai.reports import services as report_services
from gongkai.reports.models import AnnualReport
from gongkai.reports.workflow import Action as ReportAction
from gongkai.search.extract import extract
from gongkai.testing.factories import category

SHANGHAI = ZoneInfo("Asia/Shanghai")
TITLE = "关于做好社会保险工作的通知"


def at(year: int, month: int = 6, day: int = 15, hour: int = 10) -> datetime.datetime:
    """A moment in China Standard Time (for time_machine)."""
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def _person(team, role: str, department_id: int | None) -> User:
    """``team``'s ``role`` ("clerk", "dept_head", ...); a clerk or head of the department given."""
    if role in {"clerk", "dept_head"} and department_id == team.other_department.pk:
        return getattr(team, f"other_{role}")
    return getattr(team, role)


def _walk(thing, steps: dict[str, tuple[str, Any]], take: Callable[[Any, str, Any], Any], *, to: str):
    """Take the step ``steps[thing.status]`` (a role and an action) with ``take(thing, role, action)``,
    which answers the thing in its new state, until ``thing`` reaches ``to``. AssertionError if
    ``to`` is not on the way."""
    while thing.status != to and thing.status in steps:
        role, action = steps[thing.status]
        thing = take(thing, role, action)
    assert thing.status == to, f"could not reach {to}, stuck at {thing.status}"
    return thing


# ---------------------------------------------------------------- catalogue items

ITEM_STEPS: dict[str, tuple[str, Action]] = {
    "draft": ("clerk", Action.SUBMIT),
    "returned": ("clerk", Action.SUBMIT),
    "dept_review": ("dept_head", Action.DEPT_APPROVE),
    "secrecy_review": ("secrecy", Action.SECRECY_APPROVE),
    "leader_review": ("leader", Action.LEADER_SIGN),
    "published": ("office", Action.FILE),
}
REVISION_STEPS = {status: step for status, step in ITEM_STEPS.items() if status != "published"}


def draft_item(
    team, title: str = TITLE, *, department: Department | None = None, by: User | None = None, **fields
) -> Item:
    """A draft of ``department`` (default: the team's), written by its clerk unless ``by`` says who.
    Category "法规文件" and a one-line body unless given."""
    department = department or team.department
    fields.setdefault("category", category(team.agency))
    fields.setdefault("body", "<p>正文内容。</p>")
    actor = by or _person(team, "clerk", department.pk)
    return catalogue_services.item_create(
        actor=actor, agency=team.agency, department=department, title=title, **fields
    )


def advance_item(team, item: Item, *, to: str, decision: Decision | None = None) -> Item:
    """Move an item along submit → department → confidentiality → leader (→ filed) until it reaches
    ``to``; a returned item is submitted again. ``decision``: the reviewers' decision on the review
    findings. AssertionError if ``to`` is not on the way."""

    def take(item: Item, role: str, action: Action) -> Item:
        actor = _person(team, role, item.department_id)
        return catalogue_services.item_transition(actor=actor, item=item, action=action, decision=decision)

    return _walk(item, ITEM_STEPS, take, to=to)


def advance_revision(
    team, revision: ItemRevision, *, to: str = "applied", decision: Decision | None = None
) -> ItemRevision:
    """Move a revision along the same chain until it reaches ``to`` (by default: signed, so applied)."""
    department_id = Item.objects.values_list("department_id", flat=True).get(pk=revision.item_id)

    def take(revision: ItemRevision, role: str, action: Action) -> ItemRevision:
        actor = _person(team, role, department_id)
        return catalogue_services.revision_transition(
            actor=actor, revision=revision, action=action, decision=decision
        )

    return _walk(revision, REVISION_STEPS, take, to=to)


def publish(team, title: str, text: str = "", *, on: datetime.datetime | None = None, **fields) -> Item:
    """A published item whose body is ``text``, through the whole review chain (optionally on a date)."""
    fields.setdefault("body", f"<p>{text}</p>" if text else "<p>正文。</p>")
    if on is None:
        return team.published(title, **fields)
    with time_machine.travel(on, tick=False):
        return team.published(title, **fields)


def extract_attachments(item: Item) -> None:
    """Store the text of the item's waiting attachments, as the upload's on_commit or gongkai_tick
    would (in this process: test files are small). Without it they stay "pending", and the
    confidentiality review would rightly refuse to pass what it has not seen."""
    for attachment in Attachment.objects.filter(item=item, extraction_state=TextState.PENDING):
        with attachment.file.open("rb") as handle:
            result = extract(handle.read(), attachment.content_type)
        Attachment.objects.filter(pk=attachment.pk).update(
            visible_text=result.text,
            hidden_parts=result.hidden_parts,
            extraction_state=result.state,
            extraction_limit=result.limit,
            extracted_at=timezone.now(),
        )


# ---------------------------------------------------------------- requests for disclosure

# A natural person asking at the window, for a paper reply to collect.
APPLICANT: dict[str, str] = {
    "applicant_type": "natural",
    "name": "赵建国",
    "id_type": "resident_id",
    "id_number": identity.make_resident_id(datetime.date(1975, 3, 14)),
    "phone": "13923456789",
    "description": "本县2024年度城乡低保资金发放情况",
    "medium": "paper",
    "delivery": "pickup",
}
# A natural person applying online, for a reply by e-mail.
ONLINE_APPLICANT: dict[str, str] = {
    "applicant_type": "natural",
    "name": "王建国",
    "id_type": "resident_id",
    "id_number": identity.make_resident_id(datetime.date(1975, 8, 9)),
    "phone": "13912345678",
    "email": "wjg@example.com",
    "description": "2024年本县义务教育学校布局调整方案",
    "medium": "electronic",
    "delivery": "email",
}
REPLY_TEXT = "现予公开。"


def applicant(**overrides: Any) -> dict[str, Any]:
    """The request form's fields for APPLICANT, with ``overrides``."""
    return {**APPLICANT, **overrides}


def online_applicant(**overrides: Any) -> dict[str, Any]:
    """The request form's fields for ONLINE_APPLICANT, with ``overrides``."""
    return {**ONLINE_APPLICANT, **overrides}


def register(
    team,
    *,
    received_on: datetime.date | None = None,
    files=(),
    channel: str = "window",
    **data: Any,
) -> Application:
    """A request registered by the office (received today unless ``received_on``), or submitted
    online with ``channel="online"``; the fields are ``applicant(**data)``."""
    online = channel == "online"
    return application_services.application_submit(
        agency=team.agency,
        data=applicant(**data),
        files=list(files),
        channel=channel,
        received_on=received_on or timezone.localdate(),
        actor=None if online else team.office,
    )


def forward(team, application: Application, department: Department | None = None, **kwargs) -> Application:
    """The office forwards the case to ``department`` (default: the team's) to draft the reply."""
    return application_services.application_transition(
        actor=team.office,
        application=application,
        action=CaseAction.FORWARD,
        department=department or team.department,
        **kwargs,
    )


def draft_reply(
    actor: User,
    application: Application,
    outcome: str = "disclosed",
    *,
    text: str = REPLY_TEXT,
    withheld_note: str = "",
) -> Application:
    return application_services.reply_draft_save(
        actor=actor,
        application=application,
        outcome_code=outcome,
        reply_text=text,
        withheld_note=withheld_note,
    )


CASE_STEPS: dict[str, tuple[str, CaseAction]] = {
    "registered": ("office", CaseAction.FORWARD),
    "forwarded": ("clerk", CaseAction.SUBMIT_REPLY),
    "dept_review": ("dept_head", CaseAction.DEPT_APPROVE),
    "secrecy_review": ("secrecy", CaseAction.SECRECY_APPROVE),
    "leader_review": ("leader", CaseAction.LEADER_SIGN),
    "approved": ("office", CaseAction.ISSUE_REPLY),
}


def advance_case(
    team,
    application: Application,
    *,
    to: str,
    outcome: str = "disclosed",
    text: str = REPLY_TEXT,
    withheld_note: str = "",
    decision: Decision | None = None,
) -> Application:
    """Move a case along forward → reply → department → confidentiality (→ leader) → reply issued
    until it reaches ``to``. The office forwards to the team's department; its clerk drafts the
    reply (``outcome``, ``text``, ``withheld_note``) unless one is drafted already. AssertionError if
    ``to`` is not on the way."""

    def take(application: Application, role: str, action: CaseAction) -> Application:
        actor = _person(team, role, application.department_id)
        extra = {}
        if action == CaseAction.FORWARD:
            extra["department"] = team.department
        if action == CaseAction.SUBMIT_REPLY and not application.reply_text:
            application = draft_reply(actor, application, outcome, text=text, withheld_note=withheld_note)
        return application_services.application_transition(
            actor=actor, application=application, action=action, decision=decision, **extra
        )

    return _walk(application, CASE_STEPS, take, to=to)


def case_row(
    agency,
    received: datetime.date,
    replied: datetime.date | None = None,
    outcome: str = "",
    *,
    column: str = "natural",
    status: str | None = None,
    name: str = "张三",
) -> Application:
    """A case row as the request services leave it: received on ``received`` and, when ``replied``,
    concluded that day with ``outcome``; ``column`` is the applicant's column of table 三 ("natural"
    or an organisation type). Written directly, for the counting tests of the annual report, which
    need cases received and concluded on dates of past years."""
    natural = column == "natural"
    return Application.objects.create(
        agency=agency,
        channel="window",
        received_on=received,
        applicant_type="natural" if natural else "legal",
        org_type="" if natural else column,
        name=name,
        phone="13912345678",
        description="某项政府信息",
        medium="paper",
        delivery="pickup",
        status=status or ("replied" if replied else "forwarded"),
        outcome=outcome,
        replied_on=replied,
    )


# ---------------------------------------------------------------- annual reports

WRITTEN = {
    "management": "落实公开前保密审查制度，全年审查拟公开信息并标注有效性。",
    "platform": "维护政务公开专栏，按月检查栏目更新和链接可用情况。",
    "supervision": "调整政务公开领导小组，组织业务培训两次，将政务公开纳入年度考核。",
    "problems": "存在的问题：部分栏目更新不够及时。改进措施：建立栏目更新台账。上年度问题已整改完毕。",
}


def write_text(report: AnnualReport, actor: User, **overrides: str) -> AnnualReport:
    """Replace the draft's 【…】 prompts with written text, keeping the generated figure sentences."""
    text = {}
    for key, value in report.text.items():
        kept = value.split("【")[0].strip()
        text[key] = WRITTEN.get(key, kept or "已按要求开展相关工作。")
    text["other"] = "依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。"
    text.update(overrides)
    return report_services.report_save_text(actor=actor, report=report, text=text)


def new_report(team, year: int) -> AnnualReport:
    """The office's draft of the ``year`` report, its text written."""
    report = report_services.report_create(actor=team.office, agency=team.agency, year=year)
    return write_text(report, team.office)


REPORT_STEPS: dict[str, tuple[str, ReportAction]] = {
    "draft": ("office", ReportAction.SUBMIT),
    "returned": ("office", ReportAction.SUBMIT),
    "dept_review": ("dept_head", ReportAction.DEPT_APPROVE),
    "secrecy_review": ("secrecy", ReportAction.SECRECY_APPROVE),
    "leader_review": ("leader", ReportAction.LEADER_SIGN),
}


def advance_report(team, report: AnnualReport, *, to: str) -> AnnualReport:
    """Move a report along the review chain until it reaches ``to``; AssertionError if it cannot."""

    def take(report: AnnualReport, role: str, action: ReportAction) -> AnnualReport:
        return report_services.report_transition(actor=getattr(team, role), report=report, action=action)

    return _walk(report, REPORT_STEPS, take, to=to)
