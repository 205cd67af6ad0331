"""The public JSON API, version 1: agencies that accept requests, applying, and looking a request up.

Public and stateless: no session or cookie authentication, so no CSRF token is needed. The status
look-up shares its rate limit with the HTML query page, so switching between them gains nothing.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from ninja import NinjaAPI, Path, Query, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from gongkai.api.schemas import (
    NOT_FOUND,
    TOO_MANY_LOOKUPS,
    AgencyOut,
    Detail,
    RequestIn,
    RequestReceipt,
    RequestStatus,
    ValidationErrors,
    chinese_errors,
)
from gongkai.applications import selectors, services
from gongkai.applications.outcomes import OUTCOMES
from gongkai.applications.views.public import LOOKUP_WINDOW, find_application, lookup_allowed
from gongkai.applications.workflow import OPEN_STATUSES, PUBLIC_STATUS_LABELS
from gongkai.organisation.models import Agency
from gongkai.workdays.rules import RULE_SETS


class LocalSwagger(Swagger):
    """Swagger UI from ninja's bundled static files only; never from a CDN."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        # Without 'ninja' in INSTALLED_APPS ninja would fall back to a CDN copy; show nothing instead.
        if "ninja" not in settings.INSTALLED_APPS:
            raise Http404
        return super().render_page(request, api, **kwargs)


class ReadableJSONRenderer(JSONRenderer):
    """Chinese text as UTF-8 rather than \\u escapes, so a response reads as it is."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="政务公开平台 API",
    version="1",
    description=(
        "依申请公开的公开接口：查询受理机关、提交政府信息公开申请、凭查询码和联系电话后四位查询办理进度。"
        "接口无需登录；查询办理进度时，同一客户端15分钟内查询失败10次后暂停查询。"
    ),
    urls_namespace="api-v1",
    docs=LocalSwagger(),
    renderer=ReadableJSONRenderer(),
)


def _responses(texts: dict[int, str]) -> dict:
    """Chinese descriptions for the documented responses (ninja writes the English reason phrase)."""
    return {"responses": {code: {"description": text} for code, text in texts.items()}}


@api.exception_handler(SchemaValidationError)
def _schema_invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    return api.create_response(request, {"errors": chinese_errors(exc.errors)}, status=422)


@api.exception_handler(DjangoValidationError)
def _service_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja's one message of its own: a body that is not JSON.
    detail = "请求体不是有效的 JSON" if exc.status_code == 400 else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.get(
    "/agencies",
    response=list[AgencyOut],
    summary="受理机关列表",
    description="接受网上政府信息公开申请的机关，及各机关适用的答复期限规则。",
    tags=["受理机关"],
    openapi_extra=_responses({200: "受理机关列表"}),
)
def agencies(request: HttpRequest):
    return [
        {
            "code": agency.code,
            "name": agency.name,
            "short_name": agency.short_name,
            "slug": agency.slug,
            "rule_set": agency.rule_set,
            "rule_set_name": RULE_SETS[agency.rule_set].name,
        }
        for agency in Agency.objects.filter(is_active=True)
    ]


def _agency(code_or_slug: str) -> Agency:
    agency = Agency.objects.filter(Q(code=code_or_slug.strip()) | Q(slug=code_or_slug.strip())).first()
    if agency is None:
        raise DjangoValidationError({"agency": "未找到该受理机关，请填写机关列表中的机构代码或网址标识。"})
    return agency


@api.post(
    "/requests",
    response={201: RequestReceipt, 400: Detail, 422: ValidationErrors},
    summary="提交政府信息公开申请",
    description=(
        "与网上申请表相同的字段与校验。成功时返回查询码和收到申请日期（网上申请为提交当日）；"
        "任何错误均返回 422 和逐字段的中文说明，申请不会被保存。"
    ),
    tags=["依申请公开"],
    openapi_extra=_responses(
        {
            201: "申请已提交，返回查询码",
            400: "请求体不是有效的 JSON",
            422: "校验未通过，逐字段说明原因，申请未保存",
        }
    ),
)
def request_submit(request: HttpRequest, payload: RequestIn):
    application = services.application_submit(agency=_agency(payload.agency), data=payload.applicant_data())
    clock = selectors.case_clock(application)
    return Status(
        201,
        {
            "query_code": application.query_code,
            "received_on": application.received_on,
            "due_on": clock.due,
            "status": application.status,
            "status_label": PUBLIC_STATUS_LABELS[application.status_enum],
        },
    )


@api.get(
    "/requests/{query_code}",
    response={200: RequestStatus, 404: Detail, 422: ValidationErrors, 429: Detail},
    summary="查询申请办理进度",
    description=(
        "凭查询码和联系电话后四位查询。查询码或后四位有误时一律返回相同的 404；"
        "同一客户端15分钟内查询失败10次后，即使查询码正确也返回 429。不返回任何个人信息。"
    ),
    tags=["依申请公开"],
    openapi_extra=_responses(
        {
            200: "办理进度（不含任何个人信息）",
            404: "未找到对应的申请（查询码或电话后四位有误，二者不作区分）",
            422: "查询参数格式不正确",
            429: "查询失败次数过多，请15分钟后再试",
        }
    ),
)
@decorate_view(never_cache)
def request_status(
    request: HttpRequest,
    query_code: str = Path(..., description="查询码（12位，提交申请时获得）"),
    phone_tail: str = Query(..., pattern=r"^\d{4}$", description="申请时所填联系电话的后四位"),
):
    if not lookup_allowed(request):
        response = api.create_response(request, {"detail": TOO_MANY_LOOKUPS}, status=429)
        response["Retry-After"] = str(LOOKUP_WINDOW)
        return response
    application = find_application(request, query_code, phone_tail)
    if application is None:
        return Status(404, {"detail": NOT_FOUND})
    clock = selectors.case_clock(application)
    settled = application.status_enum not in OPEN_STATUSES
    # The draft outcome is internal until the reply is out; a settled case has no running clock.
    outcome = application.outcome if settled and application.outcome in OUTCOMES else None
    paused = not settled and not clock.running
    return Status(
        200,
        {
            "query_code": application.query_code,
            "agency": {"code": application.agency.code, "name": application.agency.name},
            "status": application.status,
            "status_label": PUBLIC_STATUS_LABELS[application.status_enum],
            "received_on": application.received_on,
            "due_on": clock.due,
            "paused": paused,
            "paused_reason": clock.paused_reason if paused else None,
            "extension_days": clock.extension_days,
            "outcome": outcome,
            "outcome_label": OUTCOMES[outcome].label if outcome else None,
            "replied_on": application.replied_on,
        },
    )
