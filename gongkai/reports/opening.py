"""The opening balance (期初结转) of an agency that starts on the platform mid-stream: a write service.

Kept apart from gongkai.reports.services (the report's own writes) so that it has one home; the
figures read it in gongkai.reports.figures (二、上年结转 of ``year``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import SupportsInt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.core.roles import Role
from gongkai.organisation.models import Agency, User
from gongkai.organisation.permissions import is_staff_of
from gongkai.reports.format import TABLE3_APPLICANT_COLUMNS
from gongkai.reports.models import OpeningBalance

__all__ = ["opening_balance_set"]

MAX_PER_COLUMN = 100_000


def _as_int(raw: object) -> int:
    """``int(raw)``; TypeError or ValueError when it has no integer value."""
    if isinstance(raw, str | bytes | SupportsInt):
        return int(raw)
    raise TypeError(f"not a number: {type(raw).__name__}")


def _clean_values(values: Mapping[str, object]) -> dict[str, int]:
    keys = {key for key, _ in TABLE3_APPLICANT_COLUMNS}
    unknown = set(values) - keys - {"total"}
    if unknown:
        raise ValidationError({"values": f"未知的申请人类型：{'、'.join(sorted(unknown))}。"})
    cleaned: dict[str, int] = {}
    for key, label in TABLE3_APPLICANT_COLUMNS:
        raw = values.get(key, 0)
        try:
            number = _as_int(raw)
        except (TypeError, ValueError):
            raise ValidationError({"values": f"「{label}」须为整数。"}) from None
        if (isinstance(raw, float) and raw != number) or isinstance(raw, bool):
            raise ValidationError({"values": f"「{label}」须为整数。"})
        if not 0 <= number <= MAX_PER_COLUMN:
            raise ValidationError({"values": f"「{label}」须在0到{MAX_PER_COLUMN}之间。"})
        cleaned[key] = number
    return cleaned


@transaction.atomic
def opening_balance_set(
    *, actor: User, agency: Agency, year: int, values: Mapping[str, object], note: str
) -> OpeningBalance:
    """Enter, once, the requests ``agency`` carried into ``year`` (its first year on the platform).

    ``values``: applicant column key (format.TABLE3_APPLICANT_COLUMNS) → non-negative int; a
    missing column is 0; a given ``total`` is ignored (the figures add the columns). ``note``:
    where the figures come from (e.g. the previous year's published report), required.
    Raises PermissionDenied (not the agency's disclosure office) or ValidationError (already
    entered, a year in the future, a bad value, an empty note). Audited as ``opening_balance_set``.
    """
    if not is_staff_of(actor, agency.pk) or not actor.has_role(Role.OFFICE):
        raise PermissionDenied("只有本机关政务公开办公室可以录入期初结转。")
    if not 2008 <= year <= timezone.localdate().year:
        raise ValidationError({"year": "适用年度须在2008年至今年之间。"})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请说明期初结转数据的来源（如上一年度报告）。"})
    cleaned = _clean_values(values)
    if OpeningBalance.objects.filter(agency=agency).exists():
        raise ValidationError("本机关已录入期初结转，只能录入一次。")
    try:
        with transaction.atomic():
            balance = OpeningBalance.objects.create(
                agency=agency, year=year, values=cleaned, note=note, entered_by=actor
            )
    except IntegrityError:  # a parallel entry won
        raise ValidationError("本机关已录入期初结转，只能录入一次。") from None
    audit_record(
        actor=actor,
        action="opening_balance_set",
        target=balance,
        agency=agency,
        comment=note,
        data={"year": year, "values": cleaned},
    )
    return balance
