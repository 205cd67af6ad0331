import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Hypothesis profiles. CI must not fail by chance: the "ci" profile derandomises every property
# test (the same examples on every run) and keeps no example database between runs. Local runs
# ("dev", the default outside CI) draw fresh, and more, examples each time to find new failures.
# Choose with HYPOTHESIS_PROFILE; CI=true (set by the CI runner and .ci/run) selects "ci".
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("dev", max_examples=200, deadline=None, print_blob=True)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in {"1", "true"} else "dev")
)

# Playwright's sync API runs an event loop in the test thread; Django's async
# guard would otherwise refuse the ORM calls that live_server tests make.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # A deliberately fast hasher: tests create many accounts; production keeps PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _second_factor_optional(settings):
    # Tests sign in with force_login or a password only; gongkai/twofactor/tests turn the
    # requirement on (GONGKAI_2FA_REQUIRED) and go through the TOTP step themselves.
    settings.GONGKAI_2FA_REQUIRED = False


@pytest.fixture
def team(db):
    from gongkai.testing.factories import Team

    return Team()


@pytest.fixture
def other_team(db):
    from gongkai.testing.factories import Team

    return Team()
