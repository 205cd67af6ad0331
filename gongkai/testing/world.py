"""The people of a test: one agency with a person in every role (``Team``), and two agencies side by
side (``World``) for the checks that one agency's staff never reach the other's.

The ``team`` and ``other_team`` fixtures (gongkai.testing.fixtures) are two ``Team``s.
"""

from __future__ import annotations

from gongkai.catalogue.models import Item
from gongkai.core.roles import Role
from gongkai.organisation.models import Agency, User
from gongkai.testing import builders
from gongkai.testing.factories import AgencyFactory, DepartmentFactory, UserFactory, staff

# The attribute names of a Team's people, one per role (two clerks and two heads: one per department).
PERSONAS = (
    "clerk",
    "other_clerk",
    "dept_head",
    "other_dept_head",
    "secrecy",
    "leader",
    "office",
    "leading_group",
    "supervisor",
)
# Staff of the other agency, as World.person names them.
OUTSIDERS = ("outsider_clerk", "outsider_leader", "outsider_office")


class Team:
    """One agency with two departments and a person in every role: the usual cast of a test.

    ``department`` has ``clerk`` and ``dept_head``; ``other_department`` has ``other_clerk`` and
    ``other_dept_head``; the others (PERSONAS) belong to the agency, not to a department.
    """

    def __init__(self, agency: Agency | None = None) -> None:
        self.agency = agency or AgencyFactory.create()
        self.department = DepartmentFactory.create(agency=self.agency, name=f"{self.agency.short_name}业务股")
        self.other_department = DepartmentFactory.create(
            agency=self.agency, name=f"{self.agency.short_name}综合股"
        )
        self.clerk = staff(self.agency, Role.CLERK, department=self.department)
        self.other_clerk = staff(self.agency, Role.CLERK, department=self.other_department)
        self.dept_head = staff(self.agency, Role.DEPT_HEAD, department=self.department)
        self.other_dept_head = staff(self.agency, Role.DEPT_HEAD, department=self.other_department)
        self.secrecy = staff(self.agency, Role.SECRECY_REVIEWER)
        self.leader = staff(self.agency, Role.LEADER)
        self.office = staff(self.agency, Role.OFFICE)
        self.leading_group = staff(self.agency, Role.LEADING_GROUP)
        self.supervisor = staff(self.agency, Role.SUPERVISOR)

    def draft(self, title: str = builders.TITLE, **fields) -> Item:
        """A draft of ``department``, written by its clerk (builders.draft_item)."""
        return builders.draft_item(self, title, **fields)

    def advance(self, item: Item, *, to: str) -> Item:
        """Move an item along the review chain, from wherever it is, up to the named state; its
        waiting attachments are read first, as the upload would (builders.extract_attachments)."""
        builders.extract_attachments(item)
        return builders.advance_item(self, item, to=to)

    def published(self, title: str = builders.TITLE, **fields) -> Item:
        return self.advance(self.draft(title, **fields), to="published")


class World:
    """Our agency (``team``) and another one (``other_team``), for permission ladders and leak tests.

    ``person("office")`` is our office; ``person("outsider_office")`` is the other agency's.
    Subclasses add the objects a test points at, built through the services when first asked for.
    """

    def __init__(self, team: Team, other_team: Team) -> None:
        self.team = team
        self.other_team = other_team

    def person(self, who: str) -> User:
        if who.startswith("outsider_"):
            return getattr(self.other_team, who.removeprefix("outsider_"))
        return getattr(self.team, who)


def officers(team: Team) -> dict[str, User]:
    """The agency's three officers (三员: system administrator, security administrator, security
    auditor), each holding that role only."""
    return {
        "admin": staff(team.agency, Role.ADMIN),
        "security_admin": staff(team.agency, Role.SECURITY_ADMIN),
        "auditor": staff(team.agency, Role.AUDITOR),
    }


def superuser() -> User:
    """A Django superuser with no agency role: the staff pages forbid them."""
    return UserFactory.create(is_superuser=True, is_staff=True)
