"""Staff pages as a signed-in person sees them (the Django test client)."""

from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.organisation.models import User


def staff_page(client, user: User, url: str) -> str:
    """The HTML of ``url`` for ``user`` (signed in for it); AssertionError unless it answers 200."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def case_page(client, user: User, application: Application) -> str:
    """The case page of ``application`` as ``user`` sees it."""
    return staff_page(client, user, reverse("applications_staff:detail", args=[application.pk]))
