"""Reads of requests for disclosure: queues with their clocks, one case for its staff."""

import datetime
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.applications.cases import agency_workflow, extension_approver_roles
from gongkai.applications.clockview import case_clock
from gongkai.applications.identity import phone_tail as tail_of
from gongkai.applications.models import Application, DeliveryState, ExtensionRequest, Notice
from gongkai.applications.workflow import OPEN_STATUSES, Status
from gongkai.core.roles import Role
from gongkai.core.tasks import waiting_filter
from gongkai.documents.fonts import missing_characters
from gongkai.organisation.models import Department, User
from gongkai.organisation.permissions import is_staff_of
from gongkai.workdays.calendar import WorkCalendar
from gongkai.workdays.clock import ClockState
from gongkai.workdays.selectors import current_calendar
from gongkai.workdays.urgency import NOT_URGENT, Urgency, urgency

QUEUES = {
    "mine": "等待我办理",
    "new": "新登记",
    "due_soon": "3个工作日内到期",
    "overdue": "已超期",
    "paused": "暂停计时",
    "open": "全部在办",
    "done": "已办结",
}
DONE_LIMIT = 200


@dataclass(frozen=True)
class CaseRow:
    application: Application
    clock: ClockState
    urgency: Urgency = NOT_URGENT

    @property
    def next_due(self) -> datetime.date:
        """The date the row is sorted by: its most pressing milestone's, else the reply's."""
        first = self.urgency.first
        return first.due if first is not None else self.clock.due


@dataclass(frozen=True)
class QueueFilter:
    """The queue page's filter: one department (股室) of the agency, and a search by query code
    (spaces and case ignored) or applicant name. The empty filter shows everything."""

    department_id: int | None = None
    search: str = ""

    @property
    def active(self) -> bool:
        return self.department_id is not None or bool(self.search)


EVERYTHING = QueueFilter()


def normalised_code(text: str) -> str:
    """A query code as typed ("ab12 cd34 ef56", "AB12-CD34", full-width letters) in its stored form:
    separators dropped, upper case."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum()).upper()


def _filtered(cases: QuerySet[Application], filters: QueueFilter) -> QuerySet[Application]:
    if filters.department_id is not None:
        cases = cases.filter(department_id=filters.department_id)
    text = " ".join(unicodedata.normalize("NFKC", filters.search).split())
    if text:
        wanted = Q(name__icontains=text)
        code = normalised_code(text)
        if code.isascii() and code.isalnum():
            wanted |= Q(query_code__contains=code)
        cases = cases.filter(wanted)
    return cases


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


def _pending_extensions(user: User) -> list[ExtensionRequest]:
    """Extension requests of the user's agency's open cases awaiting a decision."""
    if user.agency_id is None:
        return []
    return list(
        ExtensionRequest.objects.filter(
            state=ExtensionRequest.State.PENDING,
            application__agency_id=user.agency_id,
            application__status__in=[s.value for s in OPEN_STATUSES],
        ).select_related("application__agency")
    )


def pending_extensions_for(user: User) -> list[ExtensionRequest]:
    """The pending extension requests the user may decide (the workflow's approvers)."""
    return [
        row for row in _pending_extensions(user) if user.has_role(*extension_approver_roles(row.application))
    ]


def case_row(application: Application, today: datetime.date, calendar: WorkCalendar) -> CaseRow:
    """A case with its clock and its urgency: the computation the case page shows (clockview)."""
    clock = case_clock(application, today, calendar=calendar)
    return CaseRow(application, clock, urgency(clock, today=today, calendar=calendar))


_QUEUE_TESTS: dict[str, Callable[[CaseRow], bool]] = {
    "due_soon": lambda r: r.urgency.level == "due_soon",
    "overdue": lambda r: r.urgency.overdue,
    "paused": lambda r: not r.clock.running,
}


def queue(
    user: User, name: str, today: datetime.date | None = None, *, filters: QueueFilter = EVERYTHING
) -> list[CaseRow]:
    """One queue of the workbench, with each case's clock computed from its events.

    The database narrows the cases first (agency, filter, status, whom they wait for), so no clock
    is computed for a case the queue does not show (except where the clock decides: due soon,
    overdue, paused).
    """
    today = today or timezone.localdate()
    calendar = current_calendar()
    base = _filtered(applications_for_staff(user), filters).prefetch_related("events")
    if name == "done":
        done = base.exclude(status__in=[s.value for s in OPEN_STATUSES]).order_by("-replied_on", "-id")
        return [case_row(a, today, calendar) for a in done[:DONE_LIMIT]]
    open_cases = base.filter(status__in=[s.value for s in OPEN_STATUSES])
    if name in _DATABASE_QUEUES:
        open_cases = _DATABASE_QUEUES[name](user, open_cases)
    rows = [case_row(a, today, calendar) for a in open_cases]
    if name in _QUEUE_TESTS:
        rows = [r for r in rows if _QUEUE_TESTS[name](r)]
    rows.sort(key=lambda r: (r.next_due, r.application.pk))
    return rows


def queue_with_counts(
    user: User, name: str, today: datetime.date | None = None, *, filters: QueueFilter = EVERYTHING
) -> tuple[list[CaseRow], dict[str, int]]:
    """The queue page: the named queue and the size of each counted queue, with each open case's
    clock computed once (the counts of due-soon, overdue and paused cases need every open clock)."""
    today = today or timezone.localdate()
    if name == "done":
        return queue(user, name, today, filters=filters), queue_counts(user, today, filters=filters)
    open_rows = queue(user, "open", today, filters=filters)
    counts = _counts(user, open_rows, filters)
    if name in _QUEUE_TESTS:
        return [r for r in open_rows if _QUEUE_TESTS[name](r)], counts
    if name in _DATABASE_QUEUES:
        shown = set(_DATABASE_QUEUES[name](user, _open(user, filters)).values_list("pk", flat=True))
        return [r for r in open_rows if r.application.pk in shown], counts
    return open_rows, counts


def queue_counts(
    user: User, today: datetime.date | None = None, *, filters: QueueFilter = EVERYTHING
) -> dict[str, int]:
    """The number of cases in each counted queue."""
    return _counts(user, queue(user, "open", today, filters=filters), filters)


def _open(user: User, filters: QueueFilter) -> QuerySet[Application]:
    return _filtered(applications_for_staff(user), filters).filter(
        status__in=[s.value for s in OPEN_STATUSES]
    )


_DATABASE_QUEUES: dict[str, Callable[[User, QuerySet[Application]], QuerySet[Application]]] = {
    "mine": lambda user, cases: cases.filter(waiting_for_user(user)),
    "new": lambda user, cases: cases.filter(status=Status.REGISTERED),
}


def _counts(user: User, open_rows: list[CaseRow], filters: QueueFilter) -> dict[str, int]:
    return {
        **{name: narrow(user, _open(user, filters)).count() for name, narrow in _DATABASE_QUEUES.items()},
        **{name: sum(1 for r in open_rows if test(r)) for name, test in _QUEUE_TESTS.items()},
    }


@dataclass(frozen=True)
class Desk:
    """The requests of a user's landing page (我的待办).

    ``waiting``: the cases the workflow says wait for the user (a clerk: those forwarded to their
    股室; a leader: refusals and partial refusals awaiting 签发; the office: those it takes the next
    step on); ``overdue`` and ``due_soon``: for the office, every such case of the agency;
    ``extensions``: extension requests the user may approve; ``extensions_elsewhere``: for the
    office, which watches the deadlines, those awaiting someone else's approval (the leader's,
    under rules where only the leader approves).
    """

    waiting: list[CaseRow]
    overdue: list[CaseRow]
    due_soon: list[CaseRow]
    extensions: list[ExtensionRequest]
    extensions_elsewhere: list[ExtensionRequest]

    def __bool__(self) -> bool:
        return any((self.waiting, self.overdue, self.due_soon, self.extensions, self.extensions_elsewhere))


def desk_for(user: User, today: datetime.date | None = None) -> Desk:
    """The user's requests for the landing page, from the same queues as the queue page."""
    today = today or timezone.localdate()
    overdue: list[CaseRow] = []
    due_soon: list[CaseRow] = []
    mine_to_decide = pending_extensions_for(user)
    elsewhere: list[ExtensionRequest] = []
    if user.has_role(Role.OFFICE):
        elsewhere = [e for e in _pending_extensions(user) if e not in mine_to_decide]
        open_rows = queue(user, "open", today)
        mine = set(_DATABASE_QUEUES["mine"](user, _open(user, EVERYTHING)).values_list("pk", flat=True))
        waiting = [r for r in open_rows if r.application.pk in mine]
        overdue = [r for r in open_rows if _QUEUE_TESTS["overdue"](r)]
        due_soon = [r for r in open_rows if _QUEUE_TESTS["due_soon"](r)]
    else:
        waiting = queue(user, "mine", today)
    return Desk(waiting, overdue, due_soon, mine_to_decide, elsewhere)


def departments_for_filter(user: User) -> QuerySet[Department]:
    """The departments (股室) of the user's agency, for the queue's department filter."""
    if user.agency_id is None:
        return Department.objects.none()
    return Department.objects.filter(agency_id=user.agency_id).order_by("name")


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
    code = "".join((query_code or "").split()).upper()  # lookup.normalise_code does the rest
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
