"""Reads of requests for disclosure: queues with their clocks, one case for its staff."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.applications.cases import agency_workflow, extension_approver_roles
from gongkai.applications.clockview import case_clock
from gongkai.applications.identity import phone_tail as tail_of
from gongkai.applications.models import Application, DeliveryState, ExtensionRequest, Notice
from gongkai.applications.workflow import OPEN_STATUSES, Status
from gongkai.core.tasks import waiting_filter
from gongkai.documents.fonts import missing_characters
from gongkai.organisation.models import User
from gongkai.organisation.permissions import is_staff_of
from gongkai.workdays.clock import ClockState
from gongkai.workdays.selectors import current_calendar

DUE_SOON_WORKDAYS = 3

QUEUES = {
    "mine": "等待我办理",
    "new": "新登记",
    "due_soon": "3个工作日内到期",
    "overdue": "已超期",
    "paused": "暂停计时",
    "open": "全部在办",
    "done": "已办结",
}


@dataclass(frozen=True)
class CaseRow:
    application: Application
    clock: ClockState


def applications_for_staff(user) -> QuerySet[Application]:
    return Application.objects.filter(agency_id=user.agency_id).select_related("agency", "department")


def staff_application(user, pk: int) -> Application:
    """A case of the viewer's own agency; other agencies' cases do not exist for them."""
    if not getattr(user, "is_agency_staff", False):
        raise Http404
    try:
        return applications_for_staff(user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("未找到该申请。") from None


def waiting_for_user(user: User) -> Q:
    """Cases waiting for ``user``: the answer of the workflow of the user's agency."""
    if user.agency is None:
        return Q(pk__in=[])
    return waiting_filter(agency_workflow(user.agency), user, author_field=None)


def pending_extensions_for(user: User) -> list[ExtensionRequest]:
    if user.agency_id is None:
        return []
    rows = ExtensionRequest.objects.filter(
        state=ExtensionRequest.State.PENDING,
        application__agency_id=user.agency_id,
        application__status__in=[s.value for s in OPEN_STATUSES],
    ).select_related("application__agency")
    return [row for row in rows if user.has_role(*extension_approver_roles(row.application))]


def queue(user: User, name: str, today: datetime.date | None = None) -> list[CaseRow]:
    """One queue of the workbench, with each case's clock computed from its events."""
    today = today or timezone.localdate()
    base = applications_for_staff(user).prefetch_related("events")
    if name == "done":
        done = base.exclude(status__in=[s.value for s in OPEN_STATUSES]).order_by("-replied_on", "-id")[:200]
        return [CaseRow(a, case_clock(a, today)) for a in done]
    open_cases = base.filter(status__in=[s.value for s in OPEN_STATUSES])
    if name == "new":
        open_cases = open_cases.filter(status=Status.REGISTERED)
    elif name == "mine":
        open_cases = open_cases.filter(waiting_for_user(user))
    rows = [CaseRow(a, case_clock(a, today)) for a in open_cases]
    calendar = current_calendar()
    if name == "due_soon":
        rows = [
            r for r in rows if not r.clock.overdue and r.clock.due <= calendar.add(today, DUE_SOON_WORKDAYS)
        ]
    elif name == "overdue":
        rows = [r for r in rows if r.clock.overdue]
    elif name == "paused":
        rows = [r for r in rows if not r.clock.running]
    rows.sort(key=lambda r: (r.clock.due, r.application.pk))
    return rows


def queue_counts(user, today: datetime.date | None = None) -> dict[str, int]:
    return {name: len(queue(user, name, today)) for name in ("mine", "new", "due_soon", "overdue", "paused")}


# At most this many letters go into one batch print (about half a second each the first time).
BATCH_PRINT_MAX = 50


def notices_to_deliver(user: User) -> QuerySet[Notice]:
    """待打印/待送达文书: the letters of the user's agency not yet delivered (a failed delivery
    stays until a new attempt succeeds), oldest first; none of cases voided as repeats."""
    if user.agency_id is None:
        return Notice.objects.none()
    return (
        Notice.objects.filter(application__agency_id=user.agency_id)
        .exclude(delivery_state=DeliveryState.DELIVERED)
        .exclude(application__status=Status.VOIDED)
        .select_related("application")
        .order_by("issued_on", "id")
    )


def notices_for_printing(user: User, pks: list[int]) -> list[Notice]:
    """The letters of the user's agency among ``pks`` (others' are simply not found), in list order."""
    if user.agency_id is None or not pks:
        return []
    return list(
        Notice.objects.filter(application__agency_id=user.agency_id, pk__in=pks[:BATCH_PRINT_MAX])
        .select_related("application", "application__agency")
        .order_by("issued_on", "id")
    )


def application_by_code(query_code: str, phone_tail: str) -> Application:
    """The public look-up: code and last four phone digits, or the same 404 for any mismatch."""
    code = (query_code or "").strip().upper()
    if len(code) != 12 or not (code.isascii() and code.isalnum()) or not phone_tail or len(phone_tail) != 4:
        raise Http404
    application = Application.objects.select_related("agency").filter(query_code=code).first()
    if application is None or tail_of(application.phone) != phone_tail:
        raise Http404
    return application


def can_view_case(user, application: Application) -> bool:
    return is_staff_of(user, application.agency_id)


# Fields of a request that its letters quote (salutation, 申请内容, reply, contact lines).
LETTER_FIELDS = (
    "name",
    "contact_person",
    "legal_representative",
    "address",
    "description",
    "reply_text",
    "withheld_note",
)


def letter_unprintable_characters(application: Application) -> tuple[str, ...]:
    """Characters of the request (and of its issued letters) that no PDF font can print.

    The PDF letters show them as 〓 (``documents.render.MISSING_GLYPH``); the case page lists them so
    the clerk can check before a letter goes out. Returns the distinct characters in order; () when all
    print. Source: ``documents.fonts.missing_characters`` (main face plus fallback faces).
    """
    texts = [getattr(application, field) or "" for field in LETTER_FIELDS]
    texts += [application.agency.name, application.agency.phone or ""]
    texts += [notice.text for notice in application.notices.all()]
    return missing_characters(*texts)


def report_counts(*, agency_id: int, year: int) -> dict[str, dict[str, int]]:
    """Table 三 figures from the records, by applicant column (``Application.applicant_column``).

    Returns ``{"received": {column: n}, <outcome code>: {column: n}, ...}``: requests received in
    ``year`` (一、本年新收) and replies dated in ``year`` by outcome (the leaf rows, outcomes.OUTCOMES).
    Voided cases (作废, repeats) never count: ``Application.objects.reported()``.
    """
    cases = Application.objects.reported().filter(agency_id=agency_id)
    counts: dict[str, Counter] = {
        "received": Counter(a.applicant_column for a in cases.filter(received_on__year=year))
    }
    for application in cases.filter(replied_on__year=year).exclude(outcome=""):
        counts.setdefault(application.outcome, Counter())[application.applicant_column] += 1
    return {key: dict(counter) for key, counter in counts.items()}
