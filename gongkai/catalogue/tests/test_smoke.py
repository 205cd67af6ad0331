from gongkai.catalogue.workflow import Status


def test_it_publishes_through_the_chain_with_an_index_number(team):
    item = team.published()
    assert item.status == Status.PUBLISHED
    assert item.index_number.startswith(f"{team.agency.code}/")
    assert item.index_number.endswith("-00001")
