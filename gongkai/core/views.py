"""Small helpers shared by the views of every app."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import escape_uri_path
from django.views import defaults

from gongkai.core.dbdrops import busy_response, discard_broken_connections, is_dropped_connection
from gongkai.core.statemachine import TransitionRefused

if TYPE_CHECKING:  # the user model sits in a higher layer (docs/architecture.md, "Layers")
    from gongkai.organisation.models import User

_P = ParamSpec("_P")


class StaffRequest(HttpRequest):
    """A request that ``staff_required`` let through: ``user`` is a signed-in member of an agency."""

    user: User


def staff_required(
    view: Callable[Concatenate[StaffRequest, _P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, _P], HttpResponseBase]:
    """Anonymous → sign-in page; signed in without an agency role → 403; never cached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not getattr(user, "is_agency_staff", False):
            raise PermissionDenied("此页面仅供本机关工作人员使用。")
        response = view(cast(StaffRequest, request), *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


@dataclass(frozen=True)
class Refusal:
    """What a page posted and the service refused: which form, the values as typed, the messages.

    ``errors`` maps a form field to its messages; ``FORM_ERRORS`` ("form") holds those that
    concern the form as a whole. A page re-renders the posted form from this (HTTP 200), each
    message beside its field and every typed value kept: nothing typed is lost on a refusal.
    """

    form: str
    data: Mapping[str, Any]
    errors: Mapping[str, list[str]]

    @property
    def message(self) -> str:
        return "；".join(m for messages_ in self.errors.values() for m in messages_)

    def typed(self, form: str) -> Mapping[str, Any]:
        """The posted values when ``form`` is the form that was posted, else nothing."""
        return self.data if form == self.form else {}

    def errors_for(self, form: str) -> Mapping[str, list[str]]:
        return self.errors if form == self.form else {}


FORM_ERRORS = "form"


def refusal_errors(
    exc: TransitionRefused | ValidationError, fields: Iterable[str] | None = None
) -> dict[str, list[str]]:
    """A refusal's messages by form field (FORM_ERRORS for the form as a whole, or for a field
    the form does not have when ``fields`` lists the form's own)."""
    known = None if fields is None else set(fields)

    def key(name: str | None) -> str:
        if not name or name == NON_FIELD_ERRORS or (known is not None and name not in known):
            return FORM_ERRORS
        return name

    errors: dict[str, list[str]] = {}
    if isinstance(exc, TransitionRefused):
        errors[key(exc.field)] = [exc.message]
    elif hasattr(exc, "error_dict"):
        for name, texts in exc.message_dict.items():
            errors.setdefault(key(name), []).extend(texts)
    else:
        errors[FORM_ERRORS] = list(exc.messages)
    return errors


@dataclass(frozen=True)
class Performed:
    """What `perform` gives back: the service's result, or the refusal's messages by field."""

    result: Any = None
    errors: Mapping[str, list[str]] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def refusal(self, request: HttpRequest, form: str) -> Refusal:
        """The refusal of ``form`` as posted in ``request``, for the page to render again."""
        return Refusal(form=form, data=request.POST, errors=self.errors)


def perform(
    request,
    call: Callable[[], Any],
    done: str | Callable[[Any], str],
    *,
    field_labels: Mapping[str, str] | None = None,
) -> Performed:
    """Run one service call for a page: its result, or the refusal's messages by form field.

    The one place a page turns the domain's refusal (`TransitionRefused`, whose ``field`` names
    the form field, or a `ValidationError`) into what staff read. On success ``done`` (a text, or
    a function of the result) is flashed. On a refusal the summary is flashed too ("label：message"
    when ``field_labels`` knows the field) and the view renders the posted form again with
    ``Performed.refusal`` (never a redirect: that would drop what was typed). Reading the posted
    values belongs inside ``call`` so a badly typed value is refused the same way.
    """
    try:
        result = call()
    except (TransitionRefused, ValidationError) as exc:
        return refuse(request, refusal_errors(exc), field_labels=field_labels)
    messages.success(request, done(result) if callable(done) else done)
    return Performed(result=result)


def refuse(
    request, errors: Mapping[str, Iterable[Any]], *, field_labels: Mapping[str, str] | None = None
) -> Performed:
    """A refusal (``errors`` by form field, e.g. a Django form's own errors) as `perform` gives it:
    its summary flashed ("label：message" when ``field_labels`` knows the field)."""
    by_field: dict[str, list[str]] = {
        (FORM_ERRORS if name == NON_FIELD_ERRORS else name): [str(t) for t in texts]
        for name, texts in errors.items()
    }
    labels = field_labels or {}
    for name, texts in by_field.items():
        label = labels.get(name)
        for text in texts:
            messages.error(request, f"{label}：{text}" if label else text)
    return Performed(errors=by_field)


def paginate(request, queryset, per_page: int = 20):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def attachment_response(attachment) -> FileResponse:
    """A stored file as a download (uploads above all: never rendered by the browser as a page).

    Sandboxed and not sniffed, so a file that is really HTML or script cannot run on this site.
    """
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{escape_uri_path(attachment.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# A PDF this platform generated shown in the browser's viewer: the CSP is as strict as the viewer
# allows. Chrome refuses to start its PDF viewer in a sandboxed document (so no ``sandbox``, which
# uploads keep), and its viewer page needs inline styles and an embedded object of its own.
GENERATED_PDF_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; object-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def generated_pdf_response(content, filename: str) -> FileResponse:
    """A PDF the platform rendered itself (a letter, a batch of letters) shown inline, ready to print.

    ``content`` is a file opened for reading or the PDF's bytes. Only for our own generated PDFs:
    anything a person uploaded goes out with ``attachment_response``.
    """
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    response = FileResponse(stream, content_type="application/pdf", as_attachment=False, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = GENERATED_PDF_CSP
    return response


# -- 400 and 413: a request the server will not read -------------------------------------------

_TOO_BIG = "提交的内容超过了大小限制（{limit}）。请删减内容或缩小附件后重试；附件请逐个上传。"
_TOO_MANY_FIELDS = "提交的字段数量超过了限制（{limit}个），请检查后重试。"
_TOO_MANY_FILES = "一次上传的文件数量超过了限制（{limit}个），请分次上传。"
_MALFORMED = "请求的格式不正确，服务器无法读取（例如上传中断或表单编码有误）。请刷新页面后重试。"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _bad_request_text(exception) -> tuple[int, str]:
    """(status, Chinese explanation) for what made Django refuse to read the request."""
    if isinstance(exception, RequestDataTooBig):
        return 413, _TOO_BIG.format(limit=_megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
    if isinstance(exception, TooManyFieldsSent):
        return 400, _TOO_MANY_FIELDS.format(limit=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    if isinstance(exception, TooManyFilesSent):
        return 400, _TOO_MANY_FILES.format(limit=settings.DATA_UPLOAD_MAX_NUMBER_FILES)
    return 400, _MALFORMED


def bad_request(request, exception=None):
    """``handler400``: Chinese pages (JSON with ``detail`` under /api/) instead of Django's bare
    English "Bad Request (400)"; 413 when the body is over ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

    Never reads the request body again (that is what failed).
    """
    status, detail = _bad_request_text(exception)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    title = "提交的内容过大" if status == 413 else "请求无法处理"
    body = loader.get_template("400.html").render({"title": title, "detail": detail})
    return HttpResponse(body, status=status)


# -- 500: an uncaught exception ------------------------------------------------------------------


def server_error(request):
    """``handler500``: Django's 500 page (``500.html``), except for a dropped database connection
    raised outside a view (middleware, a lazily loaded session or user), which gets the same 503
    "系统繁忙" answer as one raised in a view (``gongkai.core.dbdrops``).

    Django calls it while handling the exception, so ``sys.exc_info()`` is that exception (Django
    has logged it already).
    """
    exception = sys.exc_info()[1]
    if exception is not None and is_dropped_connection(exception):
        discard_broken_connections()
        return busy_response(request)
    return defaults.server_error(request)
