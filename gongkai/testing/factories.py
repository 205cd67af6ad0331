"""Factories for set-up rows: agencies (with their default categories), departments, users and roles.

Anything with a workflow is made through the services: gongkai.testing.builders; the usual cast of
a test is gongkai.testing.world.Team."""

import itertools

import factory

from gongkai.catalogue import services
from gongkai.catalogue.models import Category
from gongkai.organisation.models import Agency, Department, StaffRole, User
from gongkai.organisation.roles import Role

_codes = itertools.count(1)
PASSWORD = "correct-horse-battery"


def _agency_code(n: int) -> str:
    return f"1144{n:04d}MB{n:08d}"[:18]


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试县第{n}局")
    short_name = factory.Sequence(lambda n: f"第{n}局")
    code = factory.LazyFunction(lambda: _agency_code(next(_codes)))
    slug = factory.Sequence(lambda n: f"agency-{n}")

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create:
            services.categories_seed_defaults(agency=self)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"第{n}股")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            StaffRole.objects.create(user=self, role=Role(role))
        self.save()


def staff(agency: Agency, *roles: Role, department: Department | None = None, **kwargs) -> User:
    return UserFactory(agency=agency, department=department, roles=roles, **kwargs)


def category(agency: Agency, name: str = "法规文件") -> Category:
    return Category.objects.get(agency=agency, name=name)
