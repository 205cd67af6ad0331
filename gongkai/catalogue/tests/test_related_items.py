"""相关信息 on an item page: other public items on the same subject, the same agency's first; never
a draft, an internal or a withdrawn item, of this agency or another."""

import datetime

import pytest

from gongkai.catalogue import services
from gongkai.catalogue.workflow import Action
from gongkai.testing.builders import at, publish

pytestmark = pytest.mark.django_db
TEXT = "城乡居民养老保险待遇领取资格认证工作安排，养老保险待遇按月发放。"


def _related(client, item) -> list[str]:
    page = client.get(item.get_absolute_url()).content.decode()
    if "相关信息" not in page:
        return []
    section = page.split('id="related-h"', 1)[1].split("</section>", 1)[0]
    return [part.split("</a>", 1)[0] for part in section.split('">')[1:] if "</a>" in part]


def test_the_same_agency_comes_first_and_nothing_hidden(client, team, other_team):
    year = datetime.date.today().year
    item = publish(team, "养老保险待遇资格认证通知", TEXT, on=at(year - 1, 3))
    ours = publish(team, "养老保险待遇发放安排", TEXT, on=at(year - 1, 4))
    theirs = publish(other_team, "养老保险待遇资格认证（他局）", TEXT, on=at(year - 1, 9))  # newer
    draft = team.draft("养老保险待遇草稿", body=f"<p>{TEXT}</p>")
    internal = team.published("养老保险待遇内部通报", body=f"<p>{TEXT}</p>", scope="internal")
    withdrawn = team.published("养老保险待遇误发通知", body=f"<p>{TEXT}</p>")
    services.item_transition(actor=team.office, item=withdrawn, action=Action.WITHDRAW, reason="误发")
    other_draft = other_team.draft("养老保险待遇他局草稿", body=f"<p>{TEXT}</p>")

    related = _related(client, item)
    assert related == [ours.title, theirs.title]
    for hidden in (draft, internal, withdrawn, other_draft):
        assert hidden.title not in related
    # From the other agency's item: its own agency's older item before our newer ones.
    their_older = publish(other_team, "养老保险待遇标准（他局）", TEXT, on=at(year - 2, 1))
    assert _related(client, theirs)[0] == their_older.title
