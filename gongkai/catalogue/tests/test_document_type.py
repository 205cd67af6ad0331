"""公文类别 and 施行日期 in drafting and review, and the 有效性 history on the staff page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.catalogue import services
from gongkai.catalogue.models import DocumentType, Item, ItemRevision, Validity, ValidityChange
from gongkai.catalogue.workflow import Action
from gongkai.testing.factories import category

D = datetime.date


def form_data(team, **changes) -> dict:
    data = {
        "title": "关于规范城乡居民养老保险待遇发放的通知",
        "category": category(team.agency).pk,
        "department": team.department.pk,
        "genre": "notice",
        "document_type": "normative",
        "document_number": "示人社规〔2025〕1号",
        "written_on": "2025-03-01",
        "effective_on": "2025-04-01",
        "disclosure_mode": "proactive",
        "scope": "public",
        "body": "<p>正文</p>",
    }
    return data | changes


def normative(team, **fields) -> Item:
    values = {
        "document_type": DocumentType.NORMATIVE,
        "document_number": "示人社规〔2025〕1号",
        "written_on": D(2025, 3, 1),
        "effective_on": D(2025, 4, 1),
    } | fields
    return team.published("关于规范待遇发放的通知", **values)


# -- the service ------------------------------------------------------------------------------


def test_a_new_item_is_an_other_document_without_effective_date(team):
    item = team.draft()
    assert (item.document_type, item.effective_on) == (DocumentType.OTHER, None)


@pytest.mark.parametrize("kind", [DocumentType.RULES, DocumentType.NORMATIVE])
def test_rules_and_normative_documents_need_number_written_and_effective_dates(team, kind):
    label = DocumentType(kind).label
    with pytest.raises(ValidationError) as caught:
        team.draft(document_type=kind)
    assert caught.value.message_dict == {
        "document_number": [f"{label}须填写文号。"],
        "written_on": [f"{label}须填写成文日期。"],
        "effective_on": [f"{label}须填写施行日期。"],
    }


def test_the_effective_date_is_not_before_the_written_date(team):
    with pytest.raises(ValidationError, match="施行日期不能早于成文日期"):
        team.draft(
            document_type=DocumentType.NORMATIVE,
            document_number="示文〔2025〕1号",
            written_on=D(2025, 3, 1),
            effective_on=D(2025, 2, 28),
        )


def test_an_update_is_checked_against_the_item_as_it_will_be(team):
    item = team.draft(document_number="示文〔2025〕1号", written_on=D(2025, 3, 1))
    with pytest.raises(ValidationError, match="须填写施行日期"):
        services.item_update(actor=team.clerk, item=item, document_type=DocumentType.NORMATIVE)
    item = services.item_update(
        actor=team.clerk, item=item, document_type=DocumentType.NORMATIVE, effective_on=D(2025, 3, 10)
    )
    assert (item.document_type, item.effective_on) == ("normative", D(2025, 3, 10))
    with pytest.raises(ValidationError, match="须填写文号"):
        services.item_update(actor=team.clerk, item=item, document_number="")


def test_an_unknown_document_type_is_refused(team):
    with pytest.raises(ValidationError, match="请选择公文类别"):
        team.draft(document_type="decree")


def test_a_revision_can_classify_a_published_item_and_takes_effect_on_sign_off(team):
    item = team.published(document_number="示文〔2025〕1号", written_on=D(2025, 3, 1))
    with pytest.raises(ValidationError, match="须填写施行日期"):
        services.revision_save(
            note="测试修订", actor=team.clerk, item=item, document_type=DocumentType.NORMATIVE
        )

    revision = services.revision_save(
        note="测试修订",
        actor=team.clerk,
        item=item,
        document_type=DocumentType.NORMATIVE,
        effective_on=D(2025, 4, 1),
    )
    assert revision.changes == {"document_type": "normative", "effective_on": "2025-04-01"}
    assert Item.objects.get(pk=item.pk).document_type == DocumentType.OTHER  # live version unchanged
    chain = [
        (team.clerk, Action.SUBMIT),
        (team.dept_head, Action.DEPT_APPROVE),
        (team.secrecy, Action.SECRECY_APPROVE),
        (team.leader, Action.LEADER_SIGN),
    ]
    for actor, action in chain:
        revision = services.revision_transition(actor=actor, revision=revision, action=action)
    item = Item.objects.get(pk=item.pk)
    assert (item.document_type, item.effective_on) == ("normative", D(2025, 4, 1))


# -- the drafting and revision forms ----------------------------------------------------------


def test_the_drafting_form_saves_the_document_type_and_effective_date(client, team):
    client.force_login(team.clerk)
    page = client.get(reverse("catalogue_staff:create")).content.decode()
    assert 'name="document_type"' in page and 'name="effective_on"' in page

    response = client.post(reverse("catalogue_staff:create"), form_data(team))

    assert response.status_code == 302
    item = Item.objects.get(title="关于规范城乡居民养老保险待遇发放的通知")
    assert (item.document_type, item.effective_on) == ("normative", D(2025, 4, 1))


def test_the_drafting_form_keeps_what_was_typed_and_says_what_is_missing(client, team):
    client.force_login(team.clerk)

    response = client.post(
        reverse("catalogue_staff:create"), form_data(team, document_number="", effective_on="")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["document_number"] == ["行政规范性文件须填写文号。"]
    assert errors["effective_on"] == ["行政规范性文件须填写施行日期。"]
    page = response.content.decode()
    assert "行政规范性文件须填写施行日期。" in page
    assert 'value="关于规范城乡居民养老保险待遇发放的通知"' in page
    assert not Item.objects.filter(title="关于规范城乡居民养老保险待遇发放的通知").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"document_type": "decree"}, "document_type", "请选择公文类别。"),
        ({"effective_on": "2025-13-01"}, "effective_on", "请填写有效的施行日期。"),
    ],
)
def test_the_drafting_form_refuses_bad_values_in_chinese(client, team, changes, field, message):
    client.force_login(team.clerk)
    response = client.post(reverse("catalogue_staff:create"), form_data(team, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]


def test_the_edit_form_shows_and_changes_the_document_type(client, team):
    item = team.draft()
    client.force_login(team.clerk)
    url = reverse("catalogue_staff:edit", args=[item.pk])

    response = client.post(url, form_data(team, title=item.title))

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.document_type, item.document_number) == ("normative", "示人社规〔2025〕1号")
    assert 'value="2025-04-01"' in client.get(url).content.decode()


def test_the_revision_form_proposes_the_type_and_the_review_page_shows_labels(client, team):
    item = team.published(
        "关于规范待遇发放的通知", document_number="示文〔2025〕1号", written_on=D(2025, 3, 1)
    )
    client.force_login(team.clerk)

    response = client.post(
        reverse("catalogue_staff:revise", args=[item.pk]),
        form_data(
            team,
            title=item.title,
            document_number="示文〔2025〕1号",
            written_on="2025-03-01",
            effective_on="",
            note="标注为规范性文件",
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["effective_on"] == ["行政规范性文件须填写施行日期。"]

    response = client.post(
        reverse("catalogue_staff:revise", args=[item.pk]),
        form_data(team, title=item.title, document_number="示文〔2025〕1号", written_on="2025-03-01"),
    )
    revision = ItemRevision.objects.get(item=item)
    assert response["Location"] == reverse("catalogue_staff:revision", args=[revision.pk])
    page = client.get(response["Location"]).content.decode()
    assert "<td>公文类别</td><td>其他公文</td><td>行政规范性文件</td>" in page
    assert "<td>施行日期</td>" in page and "2025-04-01" in page
    assert "normative" not in page.split("修改内容", 1)[1].split("新增附件", 1)[0]


# -- the metadata table -----------------------------------------------------------------------


def test_the_staff_page_always_shows_the_document_type_and_the_public_page_only_when_counted(client, team):
    plain = team.published("普通通知")
    counted = normative(team)

    client.force_login(team.secrecy)
    staff_plain = client.get(reverse("catalogue_staff:detail", args=[plain.pk])).content.decode()
    assert '<th scope="row">公文类别</th><td>其他公文</td>' in staff_plain
    staff_counted = client.get(reverse("catalogue_staff:detail", args=[counted.pk])).content.decode()
    assert '<th scope="row">公文类别</th><td>行政规范性文件</td>' in staff_counted
    assert "2025年4月1日" in staff_counted

    client.logout()
    assert "公文类别" not in client.get(plain.get_absolute_url()).content.decode()
    public = client.get(counted.get_absolute_url()).content.decode()
    assert '<th scope="row">公文类别</th><td>行政规范性文件</td>' in public
    assert '<th scope="row">施行日期</th><td class="nowrap">2025年4月1日</td>' in public


def test_the_review_pages_show_the_document_type_before_sign_off(client, team):
    item = team.advance(
        team.draft(
            "待签发的规范性文件",
            document_type=DocumentType.RULES,
            document_number="示政令第1号",
            written_on=D(2025, 3, 1),
            effective_on=D(2025, 5, 1),
        ),
        to="leader_review",
    )
    client.force_login(team.leader)
    page = client.get(reverse("catalogue_staff:detail", args=[item.pk])).content.decode()
    assert '<th scope="row">公文类别</th><td>规章</td>' in page
    assert '<th scope="row">施行日期</th><td class="nowrap">2025年5月1日</td>' in page


# -- the 有效性 history on the staff page -------------------------------------------------------


def test_the_validity_form_records_the_date_and_the_page_shows_the_history(client, team):
    item = normative(team)
    client.force_login(team.office)
    url = reverse("catalogue_staff:validity", args=[item.pk])

    note = "被示人社规〔2025〕9号废止"
    client.post(url, {"validity": "repealed", "note": note, "changed_on": "2025-06-30"})

    change = ValidityChange.objects.get(item=item)
    assert (change.to_validity, change.changed_on) == (Validity.REPEALED, D(2025, 6, 30))
    page = client.get(reverse("catalogue_staff:detail", args=[item.pk])).content.decode()
    assert "有效性变更记录" in page
    assert "<td>2025年6月30日</td><td>有效 → 已废止</td><td>被示人社规〔2025〕9号废止</td>" in page


def test_the_validity_form_names_a_bad_date_in_chinese(client, team):
    item = normative(team)
    client.force_login(team.office)
    url = reverse("catalogue_staff:validity", args=[item.pk])

    data = {"validity": "repealed", "note": "废止"}
    response = client.post(url, data | {"changed_on": "2025-02-30"}, follow=True)
    assert "请填写有效的变更日期。" in response.content.decode()
    response = client.post(url, data | {"changed_on": "2025-02-01"}, follow=True)
    assert "变更日期不能早于成文日期。" in response.content.decode()
    assert not ValidityChange.objects.exists()
    assert Item.objects.get(pk=item.pk).validity == Validity.VALID


def test_a_form_posted_without_the_type_keeps_the_items_type_or_other(client, team):
    client.force_login(team.clerk)
    data = form_data(team, document_number="", written_on="", effective_on="")
    del data["document_type"]
    client.post(reverse("catalogue_staff:create"), data)
    item = Item.objects.get(title=data["title"])
    assert item.document_type == DocumentType.OTHER

    services.item_update(
        actor=team.clerk,
        item=item,
        document_type=DocumentType.NORMATIVE,
        document_number="示文〔2025〕1号",
        written_on=D(2025, 3, 1),
        effective_on=D(2025, 3, 1),
    )
    data |= {"document_number": "示文〔2025〕1号", "written_on": "2025-03-01", "effective_on": "2025-03-01"}
    assert client.post(reverse("catalogue_staff:edit", args=[item.pk]), data).status_code == 302
    assert Item.objects.get(pk=item.pk).document_type == DocumentType.NORMATIVE
