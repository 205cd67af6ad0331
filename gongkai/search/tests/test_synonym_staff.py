"""The staff page keeping the search synonyms: who may see and change which groups, the Chinese
messages for what cannot be saved (nothing typed lost), and the audit trail of every change."""

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.core.statemachine import TransitionRefused
from gongkai.search.models import SynonymGroup
from gongkai.search.synonyms import synonym_group_delete, synonym_group_save
from gongkai.testing.world import officers

pytestmark = pytest.mark.django_db
URL = "/staff/search/synonyms/"


def test_the_permission_ladder(client, team):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
    for who in (team.clerk, team.leader, team.secrecy):
        client.force_login(who)
        assert client.get(URL).status_code == 403
    client.force_login(team.office)
    page = client.get(URL).content.decode()
    assert "低保、最低生活保障" in page  # the default platform-wide groups are listed
    assert "添加同义词组" in page
    client.force_login(officers(team)["admin"])
    assert client.get(URL).status_code == 200


def test_the_office_adds_its_agency_group_and_it_is_audited(client, team):
    client.force_login(team.office)
    response = client.post(URL, {"terms": "帮困、困难群众帮扶", "note": "群众常用说法"}, follow=True)
    assert "已保存同义词组" in response.content.decode()
    group = SynonymGroup.objects.get(terms="帮困、困难群众帮扶")
    assert group.agency == team.agency and not group.one_way
    event = AuditEvent.objects.get(action="synonym_group_save")
    assert event.actor == team.office and event.agency == team.agency

    changed = {"terms": "帮困 困难群众帮扶 困难帮扶", "one_way": "on"}
    client.post(f"{URL}{group.pk}/", changed, follow=True)
    group.refresh_from_db()
    assert group.terms == "帮困、困难群众帮扶、困难帮扶" and group.one_way
    client.post(f"{URL}{group.pk}/delete/")
    assert not SynonymGroup.objects.filter(pk=group.pk).exists()
    assert AuditEvent.objects.filter(action="synonym_group_delete", target_label=group.terms).count() == 1


def test_bad_terms_are_refused_in_chinese_and_what_was_typed_is_kept(client, team):
    client.force_login(team.office)
    synonym_group_save(actor=team.office, agency=team.agency, terms="帮困、困难群众帮扶")
    for terms, message in (
        ("低保", "请至少填写两个词"),
        ("低保、低", "不能作为检索词"),
        ("低保、低保", "重复填写"),
        ("低保、低保", "重复填写"),  # Traditional and Simplified alike
        ("帮困、困难群众帮扶", "已有完全相同的同义词组"),
    ):
        response = client.post(URL, {"terms": terms, "note": "备注文字"})
        page = response.content.decode()
        assert response.status_code == 200, terms
        assert message in page, terms
        assert terms in page and "备注文字" in page  # nothing typed is lost
    assert SynonymGroup.objects.filter(agency=team.agency).count() == 1


def test_only_the_administrator_keeps_the_platform_groups(client, team):
    platform = SynonymGroup.objects.filter(agency__isnull=True).first()
    client.force_login(team.office)
    page = client.get(URL).content.decode()
    assert f"{URL}{platform.pk}/" not in page  # listed, not editable
    assert client.get(f"{URL}{platform.pk}/").status_code == 403
    client.post(f"{URL}{platform.pk}/delete/")
    assert SynonymGroup.objects.filter(pk=platform.pk).exists()
    with pytest.raises(TransitionRefused):
        synonym_group_save(actor=team.office, terms="甲乙、丙丁")  # platform-wide
    admin = officers(team)["admin"]
    client.force_login(admin)
    client.post(URL, {"terms": "甲乙、丙丁", "scope": "platform"})
    assert SynonymGroup.objects.get(terms="甲乙、丙丁").agency is None
    client.post(f"{URL}{platform.pk}/delete/")
    assert not SynonymGroup.objects.filter(pk=platform.pk).exists()


def test_another_agencys_groups_are_neither_shown_nor_reachable(client, team, other_team):
    theirs = synonym_group_save(actor=other_team.office, agency=other_team.agency, terms="他局词甲、他局词乙")
    client.force_login(team.office)
    assert "他局词甲" not in client.get(URL).content.decode()
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/delete/").status_code == 404
    with pytest.raises(TransitionRefused):
        synonym_group_delete(actor=team.office, group=theirs)
    with pytest.raises(TransitionRefused):
        synonym_group_save(actor=team.office, group=theirs, terms="他局词甲、他局词丙")
    assert SynonymGroup.objects.get(pk=theirs.pk).terms == "他局词甲、他局词乙"
