"""Test data built with factories for set-up rows and services for everything that has a workflow."""

import itertools
from collections.abc import Iterable

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from gongkai.catalogue import services
from gongkai.catalogue.models import Attachment, Category, Item, TextState
from gongkai.catalogue.workflow import Action
from gongkai.core.roles import Role
from gongkai.organisation.models import Agency, Department, StaffRole, User
from gongkai.search.extract import extract

_codes = itertools.count(1)
PASSWORD = "correct-horse-battery"


def _agency_code(n: int) -> str:
    return f"1144{n:04d}MB{n:08d}"[:18]


def _seed_categories(agency: Agency, create: bool, extracted: object, **kwargs: object) -> None:
    if create:
        services.categories_seed_defaults(agency=agency)


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试县第{n}局")
    short_name = factory.Sequence(lambda n: f"第{n}局")
    code = factory.LazyFunction(lambda: _agency_code(next(_codes)))
    slug = factory.Sequence(lambda n: f"agency-{n}")
    categories = factory.PostGeneration(_seed_categories)


class DepartmentFactory(DjangoModelFactory[Department]):
    class Meta:
        model = Department

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"第{n}股")


def _give_roles(user: User, create: bool, extracted: Iterable[Role] | None, **kwargs: object) -> None:
    for role in extracted or ():
        StaffRole.objects.create(user=user, role=Role(role))
    user.save()


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    roles = factory.PostGeneration(_give_roles)


def staff(agency: Agency, *roles: Role, department: Department | None = None, **kwargs: object) -> User:
    return UserFactory.create(agency=agency, department=department, roles=roles, **kwargs)


def category(agency: Agency, name: str = "法规文件") -> Category:
    return Category.objects.get(agency=agency, name=name)


def extract_attachments(item: Item) -> None:
    """Store the text of the item's waiting attachments, as the upload's on_commit or gongkai_tick
    would (in this process: test files are small). Without it they stay "pending", and the
    confidentiality review would rightly refuse to pass what it has not seen."""
    for attachment in Attachment.objects.filter(item=item, extraction_state=TextState.PENDING):
        with attachment.file.open("rb") as handle:
            result = extract(handle.read(), attachment.content_type)
        Attachment.objects.filter(pk=attachment.pk).update(
            visible_text=result.text,
            hidden_parts=result.hidden_parts,
            extraction_state=result.state,
            extraction_limit=result.limit,
            extracted_at=timezone.now(),
        )


class Team:
    """One agency with a department and a person in every role: the usual cast of a test."""

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

    def draft(self, title: str = "关于做好社会保险工作的通知", **fields) -> Item:
        fields.setdefault("category", category(self.agency))
        fields.setdefault("body", "<p>正文内容。</p>")
        return services.item_create(
            actor=self.clerk, agency=self.agency, department=self.department, title=title, **fields
        )

    def advance(self, item: Item, *, to: str) -> Item:
        """Move an item along the review chain, from wherever it is, up to the named state."""
        steps = {
            "draft": (self.clerk, Action.SUBMIT),
            "returned": (self.clerk, Action.SUBMIT),
            "dept_review": (self.dept_head, Action.DEPT_APPROVE),
            "secrecy_review": (self.secrecy, Action.SECRECY_APPROVE),
            "leader_review": (self.leader, Action.LEADER_SIGN),
            "published": (self.office, Action.FILE),
        }
        extract_attachments(item)
        while item.status != to and item.status in steps:
            actor, action = steps[item.status]
            item = services.item_transition(actor=actor, item=item, action=action)
        assert item.status == to, f"could not reach {to}, stuck at {item.status}"
        return item

    def published(self, title: str = "关于做好社会保险工作的通知", **fields) -> Item:
        return self.advance(self.draft(title, **fields), to="published")
