"""load_demo never touches a real platform (issue 19 §6): it resets `admin` to a printed password
and adds accounts sharing it, so it refuses production settings and any database that already
holds agencies or users, and writes nothing when it refuses."""

import pytest
from django.core.management import CommandError, call_command

from gongkai.organisation.models import Agency, User
from gongkai.testing.factories import AgencyFactory, UserFactory


@pytest.fixture
def var_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.mark.django_db
def test_it_refuses_production_settings_and_writes_nothing(var_dir, settings):
    settings.GONGKAI_REQUIRE_SECRET = True
    with pytest.raises(CommandError, match="生产配置"):
        call_command("load_demo")
    assert (Agency.objects.count(), User.objects.count()) == (0, 0)
    assert not (var_dir / "demo-password").exists()


@pytest.mark.django_db
def test_it_refuses_a_database_with_an_agency_of_its_own(var_dir):
    AgencyFactory.create(name="某县财政局")
    with pytest.raises(CommandError, match="已有1个机关、0个账号"):
        call_command("load_demo")
    assert list(Agency.objects.values_list("name", flat=True)) == ["某县财政局"]


@pytest.mark.django_db
def test_it_never_resets_an_existing_admin(var_dir):
    admin = UserFactory.create(username="admin", is_superuser=True, is_staff=True)
    admin.set_password("a-real-admin-password-1")
    admin.save()
    with pytest.raises(CommandError, match="重置 admin 的密码"):
        call_command("load_demo")
    admin.refresh_from_db()
    assert admin.check_password("a-real-admin-password-1")
    assert User.objects.count() == 1 and not Agency.objects.exists()
