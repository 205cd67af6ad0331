"""Text extraction of attachments: outside any publishing transaction, bounded, retried.

An upload schedules `attachment_extract` for after its commit; `gongkai_tick` (through
`attachments_extract_pending`) picks up whatever is still pending, and runs that were cut by a
crash. The work runs in a child process (gongkai.search.extract_worker) within the limits of
`limits()`, with no transaction open; only the short write of the result takes one, and then
refreshes the search entry of the item if it is public. Publishing never extracts.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from gongkai.catalogue.models import Attachment, Item, TextState
from gongkai.search.extract import TYPES, Extraction, Limits
from gongkai.search.extract_worker import GRACE_SECONDS, extract_isolated
from gongkai.search.index import sync_item

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a file whose extraction was cut by a crash this often is given up ("failed")


def limits() -> Limits:
    """The extraction limits from settings (ATTACHMENT_TEXT_*)."""
    return Limits(
        chars=settings.ATTACHMENT_TEXT_MAX_CHARS,
        hidden_chars=settings.ATTACHMENT_TEXT_MAX_HIDDEN_CHARS,
        unpacked_bytes=settings.ATTACHMENT_TEXT_MAX_UNPACKED_BYTES,
        pages=settings.ATTACHMENT_TEXT_MAX_PAGES,
        seconds=settings.ATTACHMENT_TEXT_MAX_SECONDS,
        memory_bytes=settings.ATTACHMENT_TEXT_MAX_MEMORY_BYTES,
    )


def _abandoned_before(now: datetime.datetime) -> datetime.datetime:
    """A run started before this was cut (by a crash, a deploy, a killed worker): take it again."""
    return now - datetime.timedelta(seconds=limits().seconds + GRACE_SECONDS + 60)


def _waiting(now: datetime.datetime) -> Q:
    return Q(extraction_state=TextState.PENDING) | Q(
        extraction_state=TextState.RUNNING, extraction_started_at__lt=_abandoned_before(now)
    )


def attachment_extract(*, attachment_id: int) -> bool:
    """Extract one attachment if it is waiting; returns whether this call did it.

    Claimed with a conditional UPDATE, so two callers (the upload's on_commit and a tick) never
    both do it. Must not be called inside a transaction that others wait for: it takes up to
    ATTACHMENT_TEXT_MAX_SECONDS.
    """
    now = timezone.now()
    claimed = (
        Attachment.objects.filter(_waiting(now), pk=attachment_id)
        .filter(extraction_attempts__lt=MAX_ATTEMPTS)
        .update(
            extraction_state=TextState.RUNNING,
            extraction_started_at=now,
            extraction_attempts=F("extraction_attempts") + 1,
        )
    )
    if not claimed:
        _give_up_if_crashing(attachment_id, now)
        return False
    attachment = Attachment.objects.get(pk=attachment_id)
    if attachment.content_type not in TYPES:  # an image: nothing to read, no worker to start
        _store(attachment, Extraction(state=TextState.SKIPPED), claimed_at=now)
        return True
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        result = Extraction(state=TextState.FAILED, error=f"file unreadable: {exc}")
    else:
        result = extract_isolated(data, attachment.content_type, limits())
    if result.state == TextState.FAILED:
        logger.warning("attachment %s: text extraction failed (%s)", attachment_id, result.error)
    _store(attachment, result, claimed_at=now)
    return True


def _give_up_if_crashing(attachment_id: int, now: datetime.datetime) -> None:
    """An attachment whose runs keep being cut is marked failed rather than retried for ever."""
    Attachment.objects.filter(_waiting(now), pk=attachment_id, extraction_attempts__gte=MAX_ATTEMPTS).update(
        extraction_state=TextState.FAILED, extraction_limit="", extracted_at=now
    )


@transaction.atomic
def _store(attachment: Attachment, result: Extraction, *, claimed_at: datetime.datetime) -> None:
    stored = Attachment.objects.filter(
        pk=attachment.pk, extraction_state=TextState.RUNNING, extraction_started_at=claimed_at
    ).update(
        visible_text=result.text,
        hidden_parts=result.hidden_parts,
        extraction_state=result.state,
        extraction_limit=result.limit,
        extracted_at=timezone.now(),
    )
    if not stored:
        return  # taken over by a later run
    item = Item.objects.select_for_update().filter(pk=attachment.item_id).first()
    live = Attachment.objects.filter(pk=attachment.pk, revision__isnull=True).exists()
    if item is not None and item.is_public and live:  # a pending revision's file waits for it to apply
        sync_item(item)  # the new text reaches search now


def attachments_extract_pending(*, seconds: float | None = None, batch: int = 100) -> int:
    """Extract waiting attachments, oldest first, for at most about `seconds` (the tick's share of
    its period); returns how many were extracted. Safe to run concurrently."""
    started = time.monotonic()
    budget = seconds if seconds is not None else settings.ATTACHMENT_TEXT_TICK_SECONDS
    done = 0
    now = timezone.now()
    # Runs cut by crashes too often are given up first, so they are not claimed again.
    Attachment.objects.filter(_waiting(now), extraction_attempts__gte=MAX_ATTEMPTS).update(
        extraction_state=TextState.FAILED, extraction_limit="", extracted_at=now
    )
    ids = list(Attachment.objects.filter(_waiting(now)).order_by("pk").values_list("pk", flat=True)[:batch])
    for attachment_id in ids:
        if time.monotonic() - started > budget:
            break
        done += attachment_extract(attachment_id=attachment_id)
    return done


def schedule_extraction(attachment: Attachment) -> None:
    """Extract the attachment once the current transaction commits (a failure there is logged and
    left for the tick)."""
    attachment_id = attachment.pk
    transaction.on_commit(lambda: attachment_extract(attachment_id=attachment_id), robust=True)
