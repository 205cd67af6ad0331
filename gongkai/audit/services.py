"""Writing the audit trail. Every state-changing service calls `audit_record`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from gongkai.audit.models import AuditEvent

if TYPE_CHECKING:  # the user model sits in a higher layer (docs/architecture.md, "Layers")
    from gongkai.organisation.models import Agency, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | type[models.Model],
    agency: Agency | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
    target_label: str = "",
) -> AuditEvent:
    """One audit event. ``target`` is the row acted on, or its model class when there is no row
    (a sign-in attempt for an unknown username): then ``target_id`` is "" and ``target_label``
    names what was acted on. ``actor`` is None for what the system or an applicant does (a
    command, the periodic tick, a public form)."""
    if isinstance(target, type):
        target_id, label = "", target_label
    else:
        target_id, label = str(target.pk), target_label or str(target)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        agency=agency,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target_id,
        target_label=label[:300],
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data or {},
    )
