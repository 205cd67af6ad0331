from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.catalogue.models import Item, ItemRevision
from gongkai.organisation.models import Agency, User


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_builds_two_agencies_with_staff_in_every_role(demo):
    hrss = Agency.objects.get(slug="hrss")
    civil = Agency.objects.get(slug="civil-affairs")
    assert hrss.rule_set == "seed-local" and civil.rule_set == "national-2019"
    assert "演示" in hrss.name and "演示" in civil.name
    for prefix in ("hrss", "mz"):
        for key in ("clerk", "head", "secrecy", "leader", "office", "group", "supervisor"):
            assert User.objects.get(username=f"{prefix}-{key}").role_set()
    assert User.objects.get(username="admin").is_superuser


def test_it_prints_the_logins(demo, tmp_path):
    password = (tmp_path / "demo-password").read_text(encoding="utf-8").strip()
    assert f"密码：{password}" in demo
    assert "hrss-clerk" in demo and "admin" in demo


def test_it_publishes_the_five_seeds_in_their_columns(demo):
    public = Item.objects.public()
    columns = {i.title: i.category.column for i in public.select_related("category")}
    assert columns["吴川市人力资源和社会保障局政务公开制度"] == "rules"
    assert columns["蓬莱市人力资源和社会保障局2013年度政府信息公开工作报告"] == "annual_report"
    assert columns["勞動保障依法行政計劃"] == "statutory"
    assert columns["劳动保障局推行政务公开意见"] == "statutory"
    assert columns["民政局政務公開工作意見"] == "statutory"
    assert Item.objects.get(title="民政局政務公開工作意見").agency.slug == "civil-affairs"
    for item in public:
        assert item.index_number.startswith(item.agency.code + "/")


def test_it_has_items_in_every_other_state(demo):
    states = set(Item.objects.values_list("status", flat=True))
    assert {
        "draft",
        "dept_review",
        "secrecy_review",
        "leader_review",
        "returned",
        "published",
        "filed",
        "withdrawn",
        "nondisclosure_review",
        "not_disclosed",
    } <= states
    assert Item.objects.filter(scope="internal", status="published").exists()
    assert Item.objects.filter(validity="repealed").exists()
    assert ItemRevision.objects.filter(status="draft").exists()


def test_it_is_idempotent(demo):
    count = Item.objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert Item.objects.count() == count
    assert "演示数据已存在" in out.getvalue()
