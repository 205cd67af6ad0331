"""Writing the audit trail. Every state-changing service calls `audit_record`."""

from typing import Any

from django.db import models

from gongkai.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    agency: Any = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        agency=agency,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data or {},
    )
