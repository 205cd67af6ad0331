"""The item page offers exactly what the catalogue services accept (issue 12 §2), for an item in
each state of the review chain and a person in every role — including a clerk of another
department, whom the page used to offer 发起修订 and the edit form the service then refused."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from gongkai.catalogue import services
from gongkai.catalogue.models import Item
from gongkai.catalogue.workflow import Action, TransitionRefused
from gongkai.core.review_findings import Decision
from gongkai.testing.world import PERSONAS

EDIT, REVISE, VALIDITY = "edit", "revise", "validity"


class _Rollback(Exception):
    pass


def _tries():
    decision = Decision(confirmed=True, note="已核对", seen="")

    def transition(action):
        return lambda actor, item: services.item_transition(
            actor=actor, item=item, action=action, reason="请修改。", decision=decision
        )

    return {
        **{action.value: transition(action) for action in Action if action != Action.DISCARD},
        EDIT: lambda actor, item: services.item_update(actor=actor, item=item, title="新的标题"),
        REVISE: lambda actor, item: services.revision_save(
            note="测试修订", actor=actor, item=item, title="修订后的标题"
        ),
        VALIDITY: lambda actor, item: services.item_set_validity(
            actor=actor, item=item, validity="repealed", note="已废止"
        ),
    }


def accepted(actor, item: Item) -> set[str]:
    result = set()
    for name, call in _tries().items():
        try:
            with transaction.atomic():
                call(actor, Item.objects.get(pk=item.pk))
                raise _Rollback
        except _Rollback:
            result.add(name)
        except (TransitionRefused, PermissionDenied, ValidationError):
            pass
    return result


def offered(client, user, item: Item) -> set[str]:
    client.force_login(user)
    html = client.get(reverse("catalogue_staff:detail", args=[item.pk])).content.decode()
    found = set(re.findall(r'name="action" value="(\w+)"', html))
    if f'href="{reverse("catalogue_staff:edit", args=[item.pk])}"' in html:
        found.add(EDIT)
    if f'href="{reverse("catalogue_staff:revise", args=[item.pk])}"' in html:
        found.add(REVISE)
    if f'action="{reverse("catalogue_staff:validity", args=[item.pk])}"' in html:
        found.add(VALIDITY)
    return found


@pytest.mark.django_db
def test_the_item_page_offers_exactly_what_the_services_accept(client, team):
    items = {
        "draft": team.draft("草稿"),
        "dept_review": team.advance(team.draft("股室审核中"), to="dept_review"),
        "secrecy_review": team.advance(team.draft("保密审查中"), to="secrecy_review"),
        "leader_review": team.advance(team.draft("待签发"), to="leader_review"),
        "published": team.published("已发布"),
    }
    mismatches = []
    for label, item in items.items():
        for persona in PERSONAS:
            user = getattr(team, persona)
            page, service = offered(client, user, item), accepted(user, item)
            if page != service:
                mismatches.append(
                    f"{label} / {persona}: page only {sorted(page - service)}, "
                    f"service only {sorted(service - page)}"
                )
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_a_clerk_of_another_department_cannot_open_the_revision_or_edit_pages(client, team):
    published, draft = team.published("已发布"), team.draft("草稿")
    client.force_login(team.other_clerk)
    assert client.get(reverse("catalogue_staff:revise", args=[published.pk])).status_code == 403
    assert client.get(reverse("catalogue_staff:edit", args=[draft.pk])).status_code == 403
    client.force_login(team.clerk)
    assert client.get(reverse("catalogue_staff:revise", args=[published.pk])).status_code == 200
