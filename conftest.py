import os

import pytest

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


@pytest.fixture
def team(db):
    from gongkai.testing.factories import Team

    return Team()


@pytest.fixture
def other_team(db):
    from gongkai.testing.factories import Team

    return Team()
