from django.db import models
from django.db.models import QuerySet

from gongkai.audit.models import AuditEvent


def audit_events_for(*targets: models.Model) -> QuerySet[AuditEvent]:
    query = models.Q(pk__in=[])
    for target in targets:
        query |= models.Q(target_type=target._meta.label_lower, target_id=str(target.pk))
    return AuditEvent.objects.filter(query).select_related("actor").order_by("created_at", "id")
