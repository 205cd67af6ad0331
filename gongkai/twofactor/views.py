"""Second-factor pages: the TOTP step after the password, enrolment, one's own security page,
and the security administrator's list of the agency's accounts with the reset."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from gongkai.core.client import client_address
from gongkai.core.roles import Role
from gongkai.core.views import staff_required
from gongkai.organisation.models import User
from gongkai.organisation.permissions import require_role
from gongkai.twofactor import selectors, services
from gongkai.twofactor.forms import CodeForm, ResetForm

_WRONG = "动态验证码不正确或已使用，请输入身份验证器上当前显示的验证码。"
_THROTTLED = "验证码错误次数过多，请{seconds}秒后再试。"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _refusal(form: CodeForm, attempt: services.Attempt) -> None:
    form.add_error(
        "code", _THROTTLED.format(seconds=attempt.wait_seconds) if attempt.wait_seconds else _WRONG
    )


def _signed_in(request, device) -> None:
    """The session now counts as verified; a new session key, as after any change of privilege."""
    request.session.cycle_key()
    otp_login(request, device)


@never_cache
@login_required
def verify(request):
    """The TOTP step after the password (only for accounts with an authenticator)."""
    if request.user.is_verified() or selectors.confirmed_device(request.user) is None:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt, device = services.sign_in_verify(
            user=request.user, token=form.cleaned_data["code"], address=client_address(request)
        )
        if attempt.ok:
            _signed_in(request, device)
            return redirect(_next_url(request))
        _refusal(form, attempt)
    return render(request, "twofactor/verify.html", {"form": form, "next": _next_url(request)})


def _qr_svg(device) -> str:
    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


def _grouped_secret(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def enrol(request):
    """Scan the QR code (or type the secret) into an authenticator app, then confirm with a code.

    Required accounts land here right after the password; others come from the security page."""
    user = request.user
    if selectors.confirmed_device(user) is not None and not user.is_verified():
        return redirect("twofactor:verify")
    device = services.enrolment_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = services.enrolment_confirm(
            user=user, token=form.cleaned_data["code"], address=client_address(request)
        )
        if attempt.ok:
            device.refresh_from_db()
            _signed_in(request, device)
            messages.success(request, "身份验证器已绑定。今后登录时，输入密码后还需输入动态验证码。")
            return redirect(_next_url(request))
        _refusal(form, attempt)
    return render(
        request,
        "twofactor/enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device),
            "secret": _grouped_secret(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "required": selectors.is_required(user),
            "next": _next_url(request),
        },
    )


@staff_required
def security(request):
    """One's own account security: second factor status, enrol / replace / disable."""
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = services.disable(
            user=user, token=form.cleaned_data["code"], address=client_address(request)
        )
        if attempt.ok:
            messages.success(request, "已停用第二因素。")
            return redirect("twofactor:security")
        _refusal(form, attempt)
    return render(
        request,
        "twofactor/security.html",
        {
            "device": selectors.confirmed_device(user),
            "required": selectors.is_required(user),
            "requirement_on": settings.GONGKAI_2FA_REQUIRED,
            "form": form,
            "is_security_admin": user.has_role(Role.SECURITY_ADMIN),
        },
    )


@staff_required
def accounts(request):
    """安全保密管理员: the agency's accounts, their roles and second factor, with the reset."""
    return _accounts_page(request)


def _accounts_page(request, refused: tuple[int, str, list[str]] | None = None):
    """The accounts page; ``refused`` = (person, reason as typed, messages) of a refused reset,
    shown again in that person's row (HTTP 200) so nothing typed is lost."""
    require_role(request.user, Role.SECURITY_ADMIN)
    people = list(
        User.objects.filter(agency_id=request.user.agency_id)
        .select_related("department")
        .prefetch_related("roles")
        .order_by("username")
    )
    enrolled = selectors.enrolled_user_ids(p.pk for p in people)
    rows = [
        {
            "person": p,
            "roles": sorted(r.label for r in p.role_set()),
            "enrolled": p.pk in enrolled,
            "required": selectors.is_required(p),
            "typed": refused[1] if refused and refused[0] == p.pk else "",
            "errors": refused[2] if refused and refused[0] == p.pk else [],
        }
        for p in people
    ]
    return render(request, "twofactor/accounts.html", {"rows": rows, "form": ResetForm()})


@require_POST
@staff_required
def reset(request, pk: int):
    require_role(request.user, Role.SECURITY_ADMIN)
    person = get_object_or_404(User, pk=pk, agency_id=request.user.agency_id)
    form = ResetForm(request.POST)
    typed = request.POST.get("reason", "")
    if not form.is_valid():
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, "；".join(errors))
        return _accounts_page(request, (person.pk, typed, errors))
    try:
        removed = services.reset(
            actor=request.user,
            user=person,
            address=client_address(request),
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
        return _accounts_page(request, (person.pk, typed, [str(error)]))
    if removed:
        messages.success(
            request, f"已重置{person.display_name}的第二因素；其下次登录时需重新绑定身份验证器。"
        )
    else:
        messages.info(request, f"{person.display_name}尚未绑定身份验证器，无需重置（已记录）。")
    return redirect("twofactor:accounts")
