"""The import_documents command on the five real seed documents."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongkai.catalogue.models import Item
from gongkai.core.roles import Role
from gongkai.testing.factories import staff

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"
DEBRIS = ("首页", "文章中心", "上一篇", "下一篇", "【 打印 】", "导语", "導語", "前言:本站", "(wù)", "(dǎo)")


def _import(team, *paths, **options):
    out, err = StringIO(), StringIO()
    call_command(
        "import_documents",
        *map(str, paths),
        agency=team.agency.slug,
        user=team.clerk.username,
        stdout=out,
        stderr=err,
        **options,
    )
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_it_imports_the_five_seeds_as_clean_drafts(team):
    out, err = _import(team, SEEDS)

    items = {i.title: i for i in Item.objects.filter(agency=team.agency)}
    assert len(items) == 5, out + err
    assert "导入 5 个，失败 0 个" in out
    expected = {
        "劳动保障局推行政务公开意见": ("法规文件", None),
        "蓬莱市人力资源和社会保障局2013年度政府信息公开工作报告": ("政府信息公开年报", "2014-02-11"),
        "勞動保障依法行政計劃": ("规划计划", "2022-01-01"),
        "民政局政務公開工作意見": ("法规文件", "2022-03-22"),
        "吴川市人力资源和社会保障局政务公开制度": ("政府信息公开制度", "2020-09-16"),
    }
    for title, (category, written_on) in expected.items():
        item = items[title]
        assert item.status == "draft"
        assert item.category.name == category
        assert (item.written_on.isoformat() if item.written_on else None) == written_on
        assert item.department == team.department
        for debris in DEBRIS:
            assert debris not in item.body, (title, debris)
        assert item.index_number is None
    # Traditional text is kept as written, not converted.
    assert "勞動保障部門" in items["勞動保障依法行政計劃"].body
    assert "政務公開" in items["民政局政務公開工作意見"].body
    assert "<script" not in "".join(i.body for i in items.values())


@pytest.mark.django_db
def test_it_reports_what_it_removed_per_file(team):
    out, _ = _import(team, next(SEEDS.glob("003_*.txt")))
    assert "民政局政務公開工作意見" in out
    assert "注音" in out
    assert "成文日期 2022-03-22" in out


@pytest.mark.django_db
def test_it_audits_each_import_as_an_item_creation(team):
    from gongkai.audit.models import AuditEvent

    _import(team, next(SEEDS.glob("000_*.txt")))
    item = Item.objects.get(agency=team.agency)
    assert (
        AuditEvent.objects.filter(action="item_create", target_id=str(item.pk), actor=team.clerk).count() == 1
    )


@pytest.mark.django_db
def test_it_refuses_unknown_agency_user_and_unsupported_files(team, tmp_path):
    with pytest.raises(CommandError, match="找不到机关"):
        call_command("import_documents", str(SEEDS), agency="nope", user=team.clerk.username)
    with pytest.raises(CommandError, match="没有用户"):
        call_command("import_documents", str(SEEDS), agency=team.agency.slug, user="nobody")
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 个文件未能导入"):
        call_command(
            "import_documents",
            str(pdf),
            str(empty),
            agency=team.agency.slug,
            user=team.clerk.username,
            stdout=StringIO(),
            stderr=err,
        )
    assert "不支持的文件类型" in err.getvalue()
    assert "未能从文件中读出正文" in err.getvalue()
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_user_who_may_not_draft(team):
    leader = staff(team.agency, Role.LEADER)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_documents",
            str(next(SEEDS.glob("000_*.txt"))),
            agency=team.agency.slug,
            user=leader.username,
            stdout=StringIO(),
            stderr=err,
        )
    assert "经办人" in err.getvalue()
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_it_imports_html_and_docx_files(team, tmp_path):
    import docx

    page = tmp_path / "notice.html"
    page.write_text(
        "<html><body><nav>首页 &gt; 通知公告 &gt; 正文</nav><h1>关于开展就业援助月活动的通知</h1>"
        "<p>发布时间：2025-01-06</p><p>各乡镇人社所：现将有关事项通知如下。</p>"
        "<script>alert(1)</script><p>上一篇：无</p></body></html>",
        encoding="utf-8",
    )
    document = docx.Document()
    document.add_paragraph("示范县社会保险费缴费基数核定办法")
    document.add_paragraph("第一条 为规范社会保险费征缴，制定本办法。")
    document.save(tmp_path / "measures.docx")

    _import(team, page, tmp_path / "measures.docx")

    notice = Item.objects.get(title="关于开展就业援助月活动的通知")
    assert notice.written_on.isoformat() == "2025-01-06"
    assert "alert" not in notice.body and "上一篇" not in notice.body
    assert notice.genre == "notice"
    measures = Item.objects.get(title="示范县社会保险费缴费基数核定办法")
    assert "第一条" in measures.body
    assert measures.genre == "measures"
