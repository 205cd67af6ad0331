"""Second factor writes (TOTP via django-otp): enrolment, the sign-in step, disabling and reset.

Every change and every failed code is written to the audit log with the client's address. Wrong
codes are throttled per device by django-otp: after n successive failures the next attempt is
refused for OTP_TOTP_THROTTLE_FACTOR × 2^(n-1) seconds (1, 2, 4, 8 … by default).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.audit.services import audit_record
from gongkai.core.roles import Role
from gongkai.organisation.models import User
from gongkai.organisation.permissions import is_staff_of
from gongkai.twofactor import selectors


@dataclass(frozen=True)
class Attempt:
    """The result of checking one code: ``ok``, or refused (``wait_seconds`` > 0 when throttled)."""

    ok: bool
    wait_seconds: int = 0


def _audit(*, actor: User, user: User, action: str, address: str, **data: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=user,
        agency=user.agency,
        data={"address": address, **data},
    )


def _check(device: TOTPDevice, token: str) -> Attempt:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        return Attempt(ok=False, wait_seconds=max(1, int(wait) + 1))
    return Attempt(ok=bool(device.verify_token(token)))


def _failed(*, user: User, device: TOTPDevice, stage: str, address: str, attempt: Attempt) -> None:
    _audit(
        actor=user,
        user=user,
        action="second_factor_failed",
        address=address,
        stage=stage,
        failures=device.throttling_failure_count,
        throttled=attempt.wait_seconds > 0,
    )


def enrolment_device(user: User) -> TOTPDevice:
    """The pending (unconfirmed) authenticator to show as a QR code; one per account, kept until
    confirmed so reloading the page does not change the secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


@transaction.atomic
def enrolment_confirm(*, user: User, token: str, address: str) -> Attempt:
    """Confirm the pending authenticator with a code it shows; the account's earlier one (if any)
    is replaced. Audited: ``second_factor_enrolled``, or ``second_factor_failed``."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        return Attempt(ok=False)
    attempt = _check(device, token)
    if not attempt.ok:
        _failed(user=user, device=device, stage="enrol", address=address, attempt=attempt)
        return attempt
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit(actor=user, user=user, action="second_factor_enrolled", address=address)
    return attempt


@transaction.atomic
def sign_in_verify(*, user: User, token: str, address: str) -> tuple[Attempt, TOTPDevice | None]:
    """The sign-in step after the password: (attempt, the device that accepted the code).

    Audited: ``second_factor_passed`` or ``second_factor_failed`` (with the failure count)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        return Attempt(ok=False), None
    attempt = _check(device, token)
    if not attempt.ok:
        _failed(user=user, device=device, stage="sign_in", address=address, attempt=attempt)
        return attempt, None
    _audit(actor=user, user=user, action="second_factor_passed", address=address)
    return attempt, device


@transaction.atomic
def disable(*, user: User, token: str, address: str) -> Attempt:
    """Remove one's own authenticator, confirmed with a current code; refused (PermissionDenied)
    while the second factor is required of the account. Audited: ``second_factor_disabled``."""
    if selectors.is_required(user):
        raise PermissionDenied("您的角色须使用第二因素登录，不能停用。")
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        return Attempt(ok=False)
    attempt = _check(device, token)
    if not attempt.ok:
        _failed(user=user, device=device, stage="disable", address=address, attempt=attempt)
        return attempt
    TOTPDevice.objects.filter(user=user).delete()
    _audit(actor=user, user=user, action="second_factor_disabled", address=address)
    return attempt


@transaction.atomic
def reset(*, actor: User | None, user: User, address: str, reason: str = "") -> int:
    """The security administrator (安全保密管理员) of the account's agency removes its
    authenticator (lost phone); the account enrols again at its next sign-in if required.

    ``actor=None`` is an operator's management command. Returns the number of devices removed.
    Raises PermissionDenied for anyone else, and for one's own account. Audited:
    ``second_factor_reset`` with the reason.
    """
    if actor is not None:
        if not (is_staff_of(actor, user.agency_id) and actor.has_role(Role.SECURITY_ADMIN)):
            raise PermissionDenied("只有本机关的安全保密管理员可以重置第二因素。")
        if actor.pk == user.pk:
            raise PermissionDenied("不能重置自己的第二因素，请由另一位安全保密管理员办理。")
    removed: int
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action="second_factor_reset",
        target=user,
        agency=user.agency,
        comment=reason,
        data={"address": address, "devices": removed},
    )
    return removed
