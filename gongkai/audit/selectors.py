import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.audit.models import AuditEvent


def audit_events_for(*targets: models.Model) -> QuerySet[AuditEvent]:
    query = models.Q(pk__in=[])
    for target in targets:
        query |= models.Q(target_type=target._meta.label_lower, target_id=str(target.pk))
    return AuditEvent.objects.filter(query).select_related("actor").order_by("created_at", "id")


@dataclass(frozen=True)
class LogFilter:
    """The audit log page's filters; None = not filtered. Dates are local (settings.TIME_ZONE)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    actor: str = ""  # username, exact
    action: str = ""
    scope: str = ""  # "agency" (the auditor's agency) or "platform" (events of no agency)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_log_scope(viewer) -> QuerySet[AuditEvent]:
    """The events a security auditor may read: those of their own agency, and the platform's own
    (no agency: e.g. calendar imports, sign-ins of platform administrators). Never another
    agency's."""
    return AuditEvent.objects.filter(models.Q(agency_id=viewer.agency_id) | models.Q(agency__isnull=True))


def audit_log(viewer, log_filter: LogFilter) -> QuerySet[AuditEvent]:
    """The audit log as filtered, newest first (then by id, so pages are stable)."""
    events = audit_log_scope(viewer)
    if log_filter.date_from:
        events = events.filter(created_at__gte=_local_midnight(log_filter.date_from))
    if log_filter.date_to:
        events = events.filter(
            created_at__lt=_local_midnight(log_filter.date_to + datetime.timedelta(days=1))
        )
    if log_filter.actor:
        events = events.filter(actor__username=log_filter.actor)
    if log_filter.action:
        events = events.filter(action=log_filter.action)
    if log_filter.scope == "agency":
        events = events.filter(agency_id=viewer.agency_id)
    elif log_filter.scope == "platform":
        events = events.filter(agency__isnull=True)
    return events.select_related("actor", "agency").order_by("-created_at", "-id")


def audit_log_actions(viewer) -> list[str]:
    """The distinct action codes in the viewer's scope, for the filter's choices."""
    return sorted(set(audit_log_scope(viewer).values_list("action", flat=True).distinct()))
