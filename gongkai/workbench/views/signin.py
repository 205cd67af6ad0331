"""Sign-in protection pages: the lock-out answer, the unlock page, the password change page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from gongkai.core.client import client_address
from gongkai.core.roles import Role
from gongkai.core.views import StaffRequest, staff_required
from gongkai.organisation import lockout, services
from gongkai.organisation.models import User
from gongkai.organisation.permissions import require_role

# Who lifts a sign-in lock (三员分立: the security administrator; gongkai.core.roles).
UNLOCK_ROLES = (Role.SECURITY_ADMIN,)

LOCKED_UNTIL = (
    "登录失败次数过多，为保护账号安全，已暂停从此处登录。请于 {until} 之后再试；"
    "如需尽快登录，请联系本机关安全保密管理员解除锁定。"
)
LOCKED_UNTIL_UNLOCKED = (
    "登录失败次数过多，为保护账号安全，已暂停从此处登录。请联系本机关安全保密管理员解除锁定。"
)


def lockout_message() -> str:
    """The Chinese lock-out text, the same for every account and address (no hint which is locked,
    nor whether the account exists). Each refused attempt renews the lock, so it lifts one lock-out
    period after now."""
    until = lockout.lock_until(timezone.now())
    if until is None:
        return LOCKED_UNTIL_UNLOCKED
    return LOCKED_UNTIL.format(until=f"{timezone.localtime(until):%Y-%m-%d %H:%M}")


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the sign-in page's answer to a refused attempt, 429, for the
    staff page and the admin site alike."""
    response = render(request, "workbench/locked_out.html", {"message": lockout_message()}, status=429)
    add_never_cache_headers(response)
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def signin_locks(request: StaffRequest) -> HttpResponse:
    """登录锁定: the locked accounts of the viewer's agency and the locked addresses, with unlock.

    GET lists; POST ``username`` or ``address`` lifts that lock (audited), then back to the list.
    """
    require_role(request.user, *UNLOCK_ROLES)
    accounts, addresses = lockout.current_locks()
    agency_id = request.user.agency_id  # never None for agency staff (User.is_agency_staff)
    own = (
        set(
            User.objects.filter(
                agency_id=agency_id, username__in=[lock.username for lock in accounts]
            ).values_list("username", flat=True)
        )
        if agency_id is not None
        else set()
    )
    accounts = [lock for lock in accounts if lock.username in own]
    if request.method == "POST":
        username = request.POST.get("username", "")
        address = request.POST.get("address", "")
        if username and username in own:
            services.signin_unlock(actor=request.user, address=client_address(request), username=username)
            messages.success(request, f"已解除账号 {username} 的登录锁定。")
        elif address and address in {lock.address for lock in addresses}:
            services.signin_unlock(
                actor=request.user, address=client_address(request), locked_address=address
            )
            messages.success(request, f"已解除地址 {address} 的登录锁定。")
        else:
            messages.error(request, "该账号或地址目前没有被锁定，或不属于本机关。")
        return redirect("workbench:signin_locks")
    return render(
        request,
        "workbench/signin_locks.html",
        {
            "accounts": accounts,
            "addresses": addresses,
            "account_limit": settings.SIGNIN_FAILURE_LIMIT,
            "address_limit": settings.SIGNIN_ADDRESS_FAILURE_LIMIT,
            "lockout_minutes": settings.SIGNIN_LOCKOUT_MINUTES,
        },
    )


@method_decorator(staff_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码: the old password, then a new one meeting AUTH_PASSWORD_VALIDATORS; audited.

    For agency staff (superusers set passwords in the admin, also audited)."""

    request: StaffRequest
    template_name = "workbench/password_change.html"
    success_url = reverse_lazy("workbench:home")
    extra_context = {"password_min_length": settings.PASSWORD_MIN_LENGTH}

    def form_valid(self, form):
        user = self.request.user
        try:
            services.password_change(
                actor=user,
                user=user,
                new_password=form.cleaned_data["new_password1"],
                address=client_address(self.request),
            )
        except ValidationError as error:  # the form ran the same validators: only a race gets here
            form.add_error("new_password2", error)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "密码已修改。")
        return redirect(self.get_success_url())
