"""Intake service: one submission, one case (a write module; the views and the API call it).

``application_intake`` stores a request like ``services.application_submit`` but answers a repeat of
a submission with the case it already made, so a double click, the back button, two parallel POSTs
or a client retrying the API never create a second case:

- the one-time token of the form (``form:<token>``) or the API's ``Idempotency-Key``
  (``api:<sha256>``; the same key with other content is refused), and
- the same content (applicant, request, files) within settings.INTAKE_DUPLICATE_WINDOW_SECONDS
  (``body:<fingerprint>``)

are claimed as unique rows (``SubmissionClaim``) in the same transaction that stores the case. Of
two parallel submissions one inserts the row; the other waits on the unique index until the first
commits, then finds its case (PostgreSQL; on SQLite writers are serialised anyway).

A later case of the same applicant at the same agency on the same day that is not such a repeat is
kept and flagged 疑似重复 (``duplicate_of``); the office may void it (workflow ``Action.VOID``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.applications.applicant import APPLICATION_FIELDS, clean_applicant
from gongkai.applications.models import Application, Channel, SubmissionClaim
from gongkai.applications.services.intake import application_submit
from gongkai.applications.workflow import Status
from gongkai.documents.uploads import sha256_of
from gongkai.organisation.models import Agency, User

IDEMPOTENCY_KEY_MAX = 255


class IdempotencyKeyReused(ValidationError):
    """The Idempotency-Key was used before for a submission with other content."""


@dataclass(frozen=True)
class Intake:
    application: Application
    created: bool  # False: a repeat, answered with the case stored before


def submission_fingerprint(
    *,
    agency_id: int,
    channel: str,
    received_on: datetime.date | None,
    cleaned: dict[str, Any],
    file_hashes: list[str],
) -> str:
    """SHA-256 (hex) of what was submitted: agency, channel, every applicant and request field
    (as the service normalises them), and the files' SHA-256s (in any order)."""
    fields = {key: str(cleaned.get(key) or "") for key in APPLICATION_FIELDS}
    body = {
        "agency": agency_id,
        "channel": channel,
        "received_on": str(received_on or ""),
        "fields": fields,
        "files": sorted(file_hashes),
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _file_hashes(files: list[UploadedFile[bytes]]) -> list[str]:
    hashes = []
    for upload in files:
        upload.seek(0)
        hashes.append(sha256_of(upload.chunks()))
        upload.seek(0)
    return hashes


def _claim(
    key: str, fingerprint: str, *, stale_before: datetime.datetime | None = None
) -> SubmissionClaim | None:
    """Claim ``key`` for this submission: None if now ours, else the SubmissionClaim that holds it.

    ``stale_before``: a claim older than this is taken over (the duplicate window has passed).
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            SubmissionClaim.objects.create(key=key, fingerprint=fingerprint, claimed_at=now)
        return None
    except IntegrityError:
        pass
    claim = SubmissionClaim.objects.select_for_update(of=("self",)).select_related("application").get(key=key)
    voided = claim.application is not None and claim.application.status == Status.VOIDED
    if (stale_before is not None and claim.claimed_at < stale_before) or claim.application is None or voided:
        claim.claimed_at, claim.fingerprint, claim.application = now, fingerprint, None
        claim.save(update_fields=["claimed_at", "fingerprint", "application"])
        return None
    return claim


def _same_day_case(application: Application) -> Application | None:
    """An earlier case of the same applicant at the same agency received the same day (疑似重复)."""
    same_person = Q(phone=application.phone)
    if application.id_number:
        same_person |= Q(id_number=application.id_number)
    if application.credit_code:
        same_person |= Q(credit_code=application.credit_code)
    return (
        Application.objects.filter(
            same_person, agency_id=application.agency_id, received_on=application.received_on
        )
        .exclude(pk=application.pk)
        .exclude(status=Status.VOIDED)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def application_intake(
    *,
    agency: Agency,
    data: dict[str, Any],
    files: Sequence[UploadedFile[bytes]] = (),
    form_token: str = "",
    idempotency_key: str = "",
    channel: str = Channel.ONLINE,
    received_on: datetime.date | None = None,
    actor: User | None = None,
) -> Intake:
    """Store a request once: a repeat of a stored submission returns that case (created=False).

    Raises what ``application_submit`` raises (ValidationError with Chinese field messages,
    PermissionDenied) and IdempotencyKeyReused (field ``idempotency_key``) for a key used before
    with other content. Source of the rule: issue 11, "one submission, one case".
    """
    files = list(files)
    cleaned = clean_applicant(data)
    fingerprint = submission_fingerprint(
        agency_id=agency.pk,
        channel=channel,
        received_on=received_on if channel != Channel.ONLINE else None,
        cleaned=cleaned,
        file_hashes=_file_hashes(files),
    )
    window = datetime.timedelta(seconds=settings.INTAKE_DUPLICATE_WINDOW_SECONDS)
    keys: list[tuple[str, datetime.datetime | None]] = []
    if form_token:
        keys.append((f"form:{form_token}", None))
    if idempotency_key:
        keys.append((f"api:{hashlib.sha256(idempotency_key.encode()).hexdigest()}", None))
    keys.append((f"body:{fingerprint}", timezone.now() - window))

    ours: list[str] = []
    for key, stale_before in keys:
        held = _claim(key, fingerprint, stale_before=stale_before)
        if held is None:
            ours.append(key)
            continue
        if key.startswith("api:") and held.fingerprint != fingerprint:
            raise IdempotencyKeyReused(
                {"idempotency_key": "该 Idempotency-Key 已用于另一份内容不同的申请，请为新的申请使用新的键。"}
            )
        # A repeat: every key this submission brought now leads to the case stored before.
        stored = held.application
        assert stored is not None  # _claim hands back only a claim that holds a case
        SubmissionClaim.objects.filter(key__in=ours).update(application=stored)
        return Intake(application=stored, created=False)

    application = application_submit(
        agency=agency, data=data, files=files, channel=channel, received_on=received_on, actor=actor
    )
    application.fingerprint = fingerprint
    application.duplicate_of = _same_day_case(application)
    application.save(update_fields=["fingerprint", "duplicate_of"])
    SubmissionClaim.objects.filter(key__in=ours).update(application=application)
    return Intake(application=application, created=True)


def claims_forget(*, older_than: datetime.timedelta = datetime.timedelta(days=30)) -> int:
    """Delete claims older than ``older_than`` (a repeat that late is a new submission); the count."""
    deleted, _ = SubmissionClaim.objects.filter(claimed_at__lt=timezone.now() - older_than).delete()
    return deleted
