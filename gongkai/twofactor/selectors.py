"""Reading second-factor state: who must pass it, who has enrolled (django-otp's TOTP devices)."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.roles import SECOND_FACTOR_ROLES, Role, second_factor_required


def required_roles() -> frozenset[Role]:
    """GONGKAI_2FA_REQUIRED_ROLES as roles (unknown names are refused at check time); default
    SECOND_FACTOR_ROLES."""
    configured = getattr(settings, "GONGKAI_2FA_REQUIRED_ROLES", None)
    if configured is None:
        return SECOND_FACTOR_ROLES
    return frozenset(Role(name) for name in configured)


def is_required(user) -> bool:
    """Must this account pass a second factor? (settings.GONGKAI_2FA_REQUIRED, roles, superuser)"""
    if not user.is_authenticated:
        return False
    return second_factor_required(
        user.role_set(),
        superuser=user.is_superuser or user.is_staff,
        required=settings.GONGKAI_2FA_REQUIRED,
        required_roles=required_roles(),
    )


def confirmed_device(user) -> TOTPDevice | None:
    """The account's enrolled authenticator, if any (one per account)."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def enrolled_user_ids(user_ids) -> set[int]:
    return set(
        TOTPDevice.objects.filter(user_id__in=list(user_ids), confirmed=True).values_list(
            "user_id", flat=True
        )
    )
