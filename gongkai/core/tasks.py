"""Task lists: the database filter for "records waiting for this user", from a workflow's answer.

One translation of `Workflow.waiting_for` into a query, shared by the catalogue (items and
revisions), requests and annual reports, so "who is this waiting for" is decided only by the
workflow tables (gongkai.core.statemachine).
"""

from typing import Any

from django.db.models import Q

from gongkai.core.statemachine import Scope, Workflow

_NOTHING = Q(pk__in=[])


def waiting_filter(
    workflow: Workflow[Any, Any],
    user: object,
    *,
    department_field: str = "department_id",
    author_field: str | None = "created_by",
) -> Q:
    """Rows (of the user's own agency: the caller's queryset says so) that wait for ``user``.

    ``department_field`` is the lookup of the record's department id; ``author_field`` the lookup
    of its author (None when the records have no author: author scopes then match nothing).
    """
    roles = user.role_set()  # type: ignore[attr-defined]
    department_id = getattr(user, "department_id", None)
    own_department = Q(**{department_field: department_id}) if department_id else _NOTHING
    mine = Q(**{author_field: user}) if author_field else _NOTHING
    scoped = {
        Scope.AGENCY: Q(),
        Scope.DEPARTMENT: own_department,
        Scope.AUTHOR: mine,
        Scope.AUTHOR_OR_DEPARTMENT: mine | own_department,
    }
    condition = _NOTHING
    for waiting in workflow.waiting_for(roles):
        condition |= Q(status=waiting.status) & scoped[waiting.scope]
    return condition
