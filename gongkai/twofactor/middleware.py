"""Nothing but the second-factor step for a signed-in account that has not passed it.

After the password, an account with an enrolled authenticator is taken to the TOTP step, and an
account that must use one (gongkai.twofactor.selectors.is_required) but has none is taken to
enrolment. Until then every other URL — staff pages, the portal (which shows internal items to
staff), the API and /admin/ — answers with a redirect to that step. Install after django-otp's
OTPMiddleware.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from gongkai.twofactor.selectors import confirmed_device, is_required

# The step itself, and signing out (to change accounts), are always reachable.
ALLOWED_VIEWS = frozenset(
    {"twofactor:verify", "twofactor:enrol", "workbench:logout", "admin:logout", "admin:jsi18n"}
)


def pending_step(user) -> str | None:
    """ "verify", "enrol" or None (nothing pending) for a signed-in account not yet verified."""
    if confirmed_device(user) is not None:
        return "verify"
    if is_required(user):
        return "enrol"
    return None


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_VIEWS:
            return None
        step = pending_step(user)
        if step is None:
            return None
        url = reverse(f"twofactor:{step}")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)
