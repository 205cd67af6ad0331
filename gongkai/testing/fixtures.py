"""Fixtures shared by the test modules (registered as a plugin in the root conftest.py).

- every test: MEDIA_ROOT in its tmp_path, a fast password hasher, the second factor optional.
- ``team``, ``other_team``: two agencies, each with a person in every role (gongkai.testing.world).
- ``fresh_cache``: an empty cache before and after the test (rate limits and look-up counters live
  there); a module uses it with ``pytestmark = pytest.mark.usefixtures("fresh_cache")``.
- ``openapi_document``, ``openapi``, ``api``: the API's OpenAPI document, and the test client with
  every response validated against it.
- ``demo_build``, ``demo``: the demo site (load_demo), built once for a module.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from gongkai.testing.world import Team

OPENAPI_URL = "/api/v1/openapi.json"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # A deliberately fast hasher: tests create many accounts; production keeps PBKDF2.
    settings.PASSWORD_HASHERS = FAST_HASHERS
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
def team(db) -> Team:
    return Team()


@pytest.fixture
def other_team(db) -> Team:
    return Team()


@pytest.fixture
def fresh_cache(db) -> Iterator[None]:
    # The cache is the database cache (shared by workers): clearing it needs the database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def openapi_document() -> dict:
    return json.loads(Client().get(OPENAPI_URL).content)


@pytest.fixture(scope="module")
def openapi(openapi_document) -> OpenAPI:
    return OpenAPI.from_dict(openapi_document)


class CheckedClient:
    """The test client, with every response validated against the OpenAPI document."""

    def __init__(self, client, openapi: OpenAPI) -> None:
        self.client = client
        self.openapi = openapi

    def get(self, url: str, **params):
        return self._checked(self.client.get(url, params))

    def post(self, url: str, data, content_type: str = "application/json"):
        body = data if isinstance(data, str) else json.dumps(data)
        return self._checked(self.client.post(url, body, content_type=content_type))

    def _checked(self, response):
        self.openapi.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
        return response


@pytest.fixture
def api(client, openapi) -> CheckedClient:
    return CheckedClient(client, openapi)


@contextmanager
def built_once(django_db_blocker, media_root: Path, **settings) -> Iterator[None]:
    """For a module-scoped fixture: the database open, in a transaction rolled back at the end, with
    MEDIA_ROOT and the fast password hasher (and ``settings``) overridden. Each test then runs in
    its own savepoint on top of what the fixture built, so tests cannot disturb each other."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=FAST_HASHERS, **settings),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_build(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo built once for the module (it renders ~150 letters): load_demo's output and VAR_DIR."""
    var_dir = tmp_path_factory.mktemp("demo-var")
    with built_once(django_db_blocker, var_dir / "media", VAR_DIR=var_dir):
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield SimpleNamespace(output=out.getvalue(), var_dir=var_dir)


@pytest.fixture
def demo(demo_build, db) -> str:
    return demo_build.output
