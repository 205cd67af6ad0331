"""Factories for set-up rows: agencies (with their default categories), departments, users and roles.

Anything with a workflow is made through the services: gongkai.testing.builders; the usual cast of
a test is gongkai.testing.world.Team."""

import itertools
from collections.abc import Iterable

import factory
from factory.django import DjangoModelFactory

from gongkai.catalogue import services
from gongkai.catalogue.models import Category
from gongkai.core.roles import Role
from gongkai.organisation.models import Agency, Department, StaffRole, User

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
