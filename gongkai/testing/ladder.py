"""The permission ladder of a staff URL, as the ladder tests walk it: anonymous → the sign-in page;
signed in without an agency role → 403; staff of another agency → 404 for an object, nothing of
ours in a list; same agency, wrong role → 403 or a refusal with nothing changed; the right role →
the page, or the redirect and the change.

A ``Case`` names one URL and method, who may use it and what using it changes; its callables take
the test's ``World`` (gongkai.testing.world), which builds the objects the URL points at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from gongkai.testing.world import PERSONAS

EVERYONE = frozenset(PERSONAS)


@dataclass(frozen=True)
class Case:
    """One staff URL and method, who may use it, and what using it changes."""

    id: str
    name: str
    method: str
    kwargs: Callable[[Any], dict[str, Any]] = lambda w: {}
    allowed: frozenset[str] = EVERYONE
    # Roles the view itself lets in; the others get a 403 before anything is read.
    view_roles: frozenset[str] = EVERYONE
    # How a same-agency role the view lets in but ``allowed`` leaves out is refused: "message"
    # (redirected back with an error), "forbidden" (403 before anything happens) or "form" (the
    # form again, with the error).
    refusal: str = "message"
    # The posted data (a GET's query), for the world and the user sending it.
    data: Callable[[Any, Any], dict[str, Any]] = lambda w, user: {}
    # What using the URL changes, read before and after.
    observe: Callable[[Any], Any] = lambda w: None
    expected: Any = None
    # Where the right role lands.
    redirect: Callable[[Any], str] | None = None
    # "object": the URL names one row; "list": a page listing rows; "create": neither.
    kind: str = "object"


def case_ids(cases: list[Case]) -> list[str]:
    return [c.id for c in cases]


def call(client, case: Case, w, user=None):
    """Request the case's URL as ``user`` (anonymous when None): (url, state before, response)."""
    url = reverse(case.name, kwargs=case.kwargs(w))
    data = case.data(w, user)  # a GET's data is its query string
    before = case.observe(w)
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.post(url, data) if case.method == "post" else client.get(url, data)
    return url, before, response
