"""Who may act on what: shared checks for services and views."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.core.roles import Role
from gongkai.core.statemachine import Actor


def is_staff_of(user, agency_id: int | None) -> bool:
    return bool(
        user.is_authenticated
        and getattr(user, "is_agency_staff", False)
        and agency_id is not None
        and user.agency_id == agency_id
    )


def workflow_actor(user, *, agency_id: int, department_id: int | None) -> Actor:
    return Actor(
        roles=user.role_set() if user.is_authenticated else frozenset(),
        same_agency=is_staff_of(user, agency_id),
        same_department=department_id is not None and user.department_id == department_id,
    )


def acts_for_department(
    user,
    *,
    agency_id: int | None,
    department_id: int | None,
    agency_roles: tuple[Role, ...] = (Role.OFFICE,),
    department_roles: tuple[Role, ...] = (Role.CLERK,),
) -> bool:
    """The one rule "the disclosure office, or staff of the record's own department".

    True for staff of the agency who hold one of ``agency_roles`` (they act for every department),
    or one of ``department_roles`` while belonging to the record's department ``department_id``
    (None: no department yet, so only ``agency_roles`` count).
    """
    if not is_staff_of(user, agency_id):
        return False
    if user.has_role(*agency_roles):
        return True
    in_department = department_id is not None and user.department_id == department_id
    return in_department and user.has_role(*department_roles)


def require_agency(user, agency_id: int) -> None:
    """Staff of another agency see nothing at all: 404, not 403."""
    if not is_staff_of(user, agency_id):
        raise Http404("未找到。")


def require_role(user, *roles: Role) -> None:
    if not user.has_role(*roles):
        raise PermissionDenied("您没有办理此事项的权限。")
