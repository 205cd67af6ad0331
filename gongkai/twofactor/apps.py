from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from gongkai.core.roles import Role


class TwoFactorConfig(AppConfig):
    name = "gongkai.twofactor"
    label = "twofactor"
    verbose_name = "第二因素"

    def ready(self) -> None:
        checks.register(check_required_roles)


def check_required_roles(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """GONGKAI_2FA_REQUIRED_ROLES must name existing roles (a typo would drop a requirement)."""
    unknown = [
        name for name in settings.GONGKAI_2FA_REQUIRED_ROLES or () if name not in Role._value2member_map_
    ]
    if not unknown:
        return []
    return [
        checks.Error(
            f"GONGKAI_2FA_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}",
            hint="Use role codes: " + ", ".join(r.value for r in Role),
            id="gongkai.E2FA01",
        )
    ]
