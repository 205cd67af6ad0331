"""Staff pages for requests: the queues (依申请公开 workbench) and the ledger export (台账)."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongkai.applications import selectors, services
from gongkai.applications.ledger import XLSX_TYPE, ledger_xlsx
from gongkai.core.params import int_param
from gongkai.core.roles import Role
from gongkai.core.views import staff_required
from gongkai.organisation.models import Department

SEARCH_MAX_CHARS = 50


def _queue_request(request) -> tuple[str, selectors.QueueFilter, list[Department]]:
    """The queue, department (of the viewer's agency, else ignored) and search asked for."""
    name = request.GET.get("queue", "mine")
    if name not in selectors.QUEUES:
        name = "mine"
    departments = list(selectors.departments_for_filter(request.user))
    wanted = int_param(request.GET.get("department"))
    department_id = wanted if any(d.pk == wanted for d in departments) else None
    # Characters no field stores (controls, NUL) are dropped rather than refused: it is a search.
    search = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable())
    filters = selectors.QueueFilter(department_id=department_id, search=search.strip()[:SEARCH_MAX_CHARS])
    return name, filters, departments


@staff_required
def queue(request):
    name, filters, departments = _queue_request(request)
    rows, counts = selectors.queue_with_counts(request.user, name, filters=filters)
    return render(
        request,
        "applications/staff/queue.html",
        {
            "rows": rows,
            "queue_name": name,
            "queues": selectors.QUEUES,
            "counts": counts,
            "filters": filters,
            "departments": departments,
            "filter_query": _filter_query(filters),
            "pending_extensions": selectors.pending_extensions_for(request.user),
            "can_register": request.user.has_role(Role.OFFICE),
            "to_deliver": (
                selectors.notices_to_deliver(request.user).count()
                if request.user.has_role(Role.OFFICE)
                else 0
            ),
        },
    )


def _filter_query(filters: selectors.QueueFilter) -> str:
    """The filter as query parameters, for the queue tabs and the export link."""
    params = {}
    if filters.department_id is not None:
        params["department"] = str(filters.department_id)
    if filters.search:
        params["q"] = filters.search
    return urlencode(params)


@staff_required
def ledger_export(request):
    """The queue shown, with its filter, as an XLSX ledger (依申请公开台账); audited."""
    name, filters, _ = _queue_request(request)
    rows = selectors.queue(request.user, name, filters=filters)
    services.ledger_exported(
        actor=request.user,
        queue=name,
        department_id=filters.department_id,
        search=filters.search,
        rows=len(rows),
    )
    today = timezone.localdate()
    agency = request.user.agency
    content = ledger_xlsx(
        rows,
        title=f"{agency.name}依申请公开台账（{selectors.QUEUES[name]}，{today:%Y-%m-%d}）",
        agency_name=agency.name,
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"依申请公开台账-{today:%Y%m%d}.xlsx"
    )
    return response
