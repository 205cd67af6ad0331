"""The yearly figures page (年度统计数据) of table 二: viewed by those who read the report,
entered by the agency's disclosure office.

Anonymous → sign-in; without an agency role → 403; clerks → 403; another agency → 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.audit.selectors import audit_events_for
from gongkai.core.roles import Role
from gongkai.core.views import staff_required
from gongkai.organisation.models import Agency
from gongkai.organisation.permissions import require_agency, require_role
from gongkai.reports.forms_yearly import YearlyFiguresForm
from gongkai.reports.models import YearlyFigures
from gongkai.reports.yearly import YEARLY_FIELDS
from gongkai.reports.yearly_services import check_year, may_enter_yearly_figures, yearly_figures_set

# The office enters the figures; the report's review chain and supervisors read them.
VIEWERS = (
    Role.OFFICE,
    Role.DEPT_HEAD,
    Role.SECRECY_REVIEWER,
    Role.LEADER,
    Role.LEADING_GROUP,
    Role.SUPERVISOR,
)


def _initial(figures: YearlyFigures | None) -> dict[str, object]:
    if figures is None:
        return {}
    return {name: getattr(figures, name) for f in YEARLY_FIELDS for name in (f.value_name, f.source_name)}


@staff_required
@require_http_methods(["GET", "POST"])
def yearly_figures(request, agency: str, year: int):
    agency_obj = get_object_or_404(Agency, slug=agency)
    require_agency(request.user, agency_obj.pk)
    require_role(request.user, *VIEWERS)
    try:
        check_year(year)
    except ValidationError:
        raise Http404("没有这一年度。") from None
    figures = YearlyFigures.objects.filter(agency=agency_obj, year=year).first()
    can_edit = may_enter_yearly_figures(request.user, agency_obj.pk)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("年度统计数据由本机关政务公开办公室填报。")
    form = YearlyFiguresForm(request.POST or None, initial=_initial(figures))
    if request.method == "POST" and form.is_valid():
        try:
            yearly_figures_set(actor=request.user, agency=agency_obj, year=year, values=form.values())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{year}年度统计数据已保存。")
            return redirect("reports_staff:yearly_figures", agency=agency_obj.slug, year=year)
    return render(
        request,
        "reports/staff/yearly_figures.html",
        {
            "agency": agency_obj,
            "year": year,
            "form": form,
            "figures": figures,
            "can_edit": can_edit,
            "history": audit_events_for(figures) if figures else [],
        },
    )
