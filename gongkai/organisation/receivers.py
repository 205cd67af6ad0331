"""Django's sign-in signals, written to the audit trail (gongkai.organisation.services).

Connected in OrganisationConfig.ready, after django-axes' own handlers (INSTALLED_APPS order), so a
failure has been counted and ``request.signin_failures`` set when ``on_signin_failed`` runs. The
signals cover every sign-in form: the staff page, the admin site and any later step.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.urls import reverse

from gongkai.core.client import client_address
from gongkai.organisation import services


def _site(request) -> str:
    path = getattr(request, "path", "") or ""
    return "admin" if path.startswith(reverse("admin:index")) else "staff"


def _address(request) -> str:
    return client_address(request) if request is not None else ""


def on_signed_in(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    if user.is_staff or user.is_superuser:
        # Whoever can reach the admin site: the session ends when the browser closes, whatever
        # SESSION_EXPIRE_AT_BROWSER_CLOSE says for the rest of the staff.
        request.session.set_expiry(0)
    services.signin_record(user=user, address=_address(request), site=_site(request))


def on_signed_out(sender, request, user, **kwargs) -> None:
    if user is None or request is None:
        return  # the session had already ended
    services.signout_record(user=user, address=_address(request))


def on_signin_failed(sender, credentials, request=None, **kwargs) -> None:
    """``credentials`` come cleansed by Django (the password replaced); only the username is kept."""
    services.signin_failed_record(
        username=credentials.get("username"),
        address=_address(request),
        site=_site(request),
        failures=getattr(request, "signin_failures", None),
        locked=bool(getattr(request, "axes_locked_out", False)),
    )


def connect() -> None:
    user_logged_in.connect(on_signed_in, dispatch_uid="gongkai.signin_audit")
    user_logged_out.connect(on_signed_out, dispatch_uid="gongkai.signout_audit")
    user_login_failed.connect(on_signin_failed, dispatch_uid="gongkai.signin_failed_audit")
