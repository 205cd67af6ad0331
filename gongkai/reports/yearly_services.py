"""Writes of the yearly figures (年度统计数据) behind table 二's 行政许可/处罚/强制/收费 rows.

Kept apart from gongkai.reports.services (the report itself) so each stays small; the same
conventions: one transaction per call, the actor checked, every write audited.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core.roles import Role
from gongkai.organisation.models import Agency, User
from gongkai.organisation.permissions import is_staff_of
from gongkai.reports.models import YearlyFigures
from gongkai.reports.yearly import YEARLY_FIELDS, check_yearly

FIRST_YEAR = 2008  # the first year of the 政府信息公开条例 (in force 1 May 2008)


def may_enter_yearly_figures(actor: User, agency_id: int) -> bool:
    """The agency's disclosure office enters its yearly figures (30号 明确责任: the office is the
    responsible body for the report)."""
    return is_staff_of(actor, agency_id) and actor.has_role(Role.OFFICE)


def check_year(year: int) -> None:
    """A report year is a past or the current calendar year (Beijing); ValidationError otherwise."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError("年度无效：只能填报本年度或以前年度的统计数据。")


@transaction.atomic
def yearly_figures_set(*, actor: User, agency: Agency, year: int, values: dict[str, object]) -> YearlyFigures:
    """Enter (or correct) one agency's yearly figures for ``year``.

    ``values``: each ``YEARLY_FIELDS`` ``value_name`` → int (decisions) or Decimal (fee amount,
    万元) and ``source_name`` → str. Raises PermissionDenied unless the actor is the agency's
    disclosure office; ValidationError ({field: Chinese message}) per gongkai.reports.yearly.
    The audit event records the figures before and after.
    """
    if not may_enter_yearly_figures(actor, agency.pk):
        raise PermissionDenied("年度统计数据由本机关政务公开办公室填报。")
    check_year(year)
    errors = check_yearly(values)
    if errors:
        raise ValidationError(errors)
    figures = YearlyFigures.objects.select_for_update().filter(agency=agency, year=year).first()
    before = _snapshot(figures) if figures else {}
    if figures is None:
        figures = YearlyFigures(agency=agency, year=year, entered_by=actor)
    for f in YEARLY_FIELDS:
        value = values.get(f.value_name)
        setattr(figures, f.value_name, Decimal(str(value)) if f.column == "amount" else value)
        setattr(figures, f.source_name, str(values.get(f.source_name) or "").strip())
    figures.entered_by = actor
    figures.save()
    after = _snapshot(figures)
    audit_record(
        actor=actor,
        action="yearly_figures_set",
        target=figures,
        agency=agency,
        data={"year": year, "before": before, "after": after},
    )
    return figures


def _snapshot(figures: YearlyFigures) -> dict[str, object]:
    result: dict[str, object] = {}
    for f in YEARLY_FIELDS:
        value = getattr(figures, f.value_name)
        result[f.value_name] = str(value) if isinstance(value, Decimal) else value
        result[f.source_name] = getattr(figures, f.source_name)
    return result
