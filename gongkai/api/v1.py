"""The public JSON API, version 1: agencies that accept requests, applying, looking a request up, and
searching the public items of the catalogue.

Public and stateless: no session or cookie authentication, so no CSRF token is needed. The status
look-up shares its rate limit with the HTML query page, so switching between them gains nothing.
"""

from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from ninja import Header, NinjaAPI, Path, Query, Status
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
    ItemPage,
    RequestIn,
    RequestReceipt,
    RequestStatus,
    ValidationErrors,
    chinese_errors,
)
from gongkai.applications import selectors
from gongkai.applications.applicant_view import awaited_correction
from gongkai.applications.intake import application_intake
from gongkai.applications.lookup import (
    CODE_LIMIT,
    CODE_REFUSAL,
    CODE_WINDOW,
    LOOKUP_LIMIT,
    LOOKUP_WINDOW,
    code_allowed,
    find_application,
    lookup_allowed,
)
from gongkai.applications.outcomes import OUTCOMES
from gongkai.applications.workflow import OPEN_STATUSES, PUBLIC_STATUS_LABELS
from gongkai.catalogue.models import Category
from gongkai.catalogue.selectors import items_public
from gongkai.core import ratelimit
from gongkai.core.dbdrops import dropped_connection_response
from gongkai.core.params import ID_MAX, YEAR_MAX, YEAR_MIN
from gongkai.organisation.models import Agency
from gongkai.search import selectors as search
from gongkai.search.index import plain_text
from gongkai.search.text import highlight, parse_query
from gongkai.workdays.rules import RULE_SETS


class LocalSwagger(Swagger):
    """Swagger UI from ninja's bundled static files only; never from a CDN.

    It runs under the site's Content-Security-Policy (its settings are a JSON data block, its code
    static files); the one addition, on this page only, is `img-src data:` for the small icons
    its stylesheet embeds (select arrows, checkboxes)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        # Without 'ninja' in INSTALLED_APPS ninja would fall back to a CDN copy; show nothing instead.
        if "ninja" not in settings.INSTALLED_APPS:
            raise Http404
        response = super().render_page(request, api, **kwargs)
        # django-csp's per-response addition, the attribute its csp_update decorator sets.
        response._csp_update = {"img-src": ["data:"]}  # type: ignore[attr-defined]
        return response


class ReadableJSONRenderer(JSONRenderer):
    """Chinese text as UTF-8 rather than \\u escapes, so a response reads as it is."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="政务公开平台 API",
    version="1",
    description=(
        "依申请公开的公开接口：查询受理机关、提交政府信息公开申请、凭查询码和联系电话后四位查询办理进度；"
        "以及检索主动公开的政府信息（与门户网站的搜索页规则相同，只返回面向社会公开的信息）。"
        f"接口无需登录；查询办理进度时，同一查询码1小时内查询失败{CODE_LIMIT}次后暂停查询该查询码1小时，"
        f"同一客户端15分钟内查询失败{LOOKUP_LIMIT}次后暂停查询15分钟。"
    ),
    urls_namespace="api-v1",
    docs=LocalSwagger(),
    renderer=ReadableJSONRenderer(),
)


BODY_LIMIT = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):g} MB"


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


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_dropped(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Also when DEBUG (ninja would answer with a traceback); the same 503 as the rest of the site.
    return dropped_connection_response(request, exc)


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


IDEMPOTENCY_HELP = (
    "可选。客户端为每份新申请生成的唯一键（如 UUID，1至255个可见 ASCII 字符）。网络中断等情况下"
    "用同一个键重试，不会重复登记：返回 200 和首次提交的查询码。同一个键用于内容不同的申请时返回 422。"
)


def _receipt(application) -> dict:
    clock = selectors.case_clock(application)
    return {
        "query_code": application.query_code,
        "received_on": application.received_on,
        "due_on": clock.due,
        "status": application.status,
        "status_label": PUBLIC_STATUS_LABELS[application.status_enum],
    }


@api.post(
    "/requests",
    response={
        200: RequestReceipt,
        201: RequestReceipt,
        400: Detail,
        413: Detail,
        422: ValidationErrors,
        429: Detail,
    },
    summary="提交政府信息公开申请",
    description=(
        "与网上申请表相同的字段与校验。成功时返回查询码和收到申请日期（网上申请为提交当日）；"
        "任何错误均返回 422 和逐字段的中文说明，申请不会被保存。"
        "一份申请只登记一次：带相同 Idempotency-Key 的重试，或"
        f"{settings.INTAKE_DUPLICATE_WINDOW_SECONDS // 60}分钟内同一申请人内容完全相同的再次提交，"
        "返回 200 和首次提交的查询码。"
        f"同一客户端每小时最多提交{settings.INTAKE_LIMITS['applications']['per_address']}件申请，"
        "超过时返回 429，Retry-After 头给出可以再次提交前需等待的秒数。"
    ),
    tags=["依申请公开"],
    openapi_extra=_responses(
        {
            200: "重复提交（相同 Idempotency-Key，或短时间内内容完全相同），返回首次提交的申请，未重复登记",
            201: "申请已提交，返回查询码",
            400: "请求体不是有效的 JSON，或格式有误服务器无法读取",
            413: f"请求体超过大小限制（{BODY_LIMIT}），申请未保存",
            422: (
                "校验未通过，逐字段说明原因（含无法保存的控制字符、非字符码位；"
                "Idempotency-Key 已用于内容不同的申请），申请未保存"
            ),
            429: "提交过于频繁，申请未保存；Retry-After 头为需等待的秒数，detail 说明何时可以再提交",
        }
    ),
)
def request_submit(
    request: HttpRequest,
    payload: RequestIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description=IDEMPOTENCY_HELP,
    ),
):
    agency = _agency(payload.agency)
    try:
        ticket = ratelimit.acquire("applications", request)
    except ratelimit.RateLimited as exc:
        response = api.create_response(request, {"detail": exc.message}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    try:
        intake = application_intake(
            agency=agency, data=payload.applicant_data(), idempotency_key=idempotency_key or ""
        )
    except DjangoValidationError:
        ratelimit.release(ticket)
        raise
    if not intake.created:
        ratelimit.release(ticket)
    return Status(201 if intake.created else 200, _receipt(intake.application))


@api.get(
    "/requests/{query_code}",
    response={200: RequestStatus, 400: Detail, 404: Detail, 422: ValidationErrors, 429: Detail},
    summary="查询申请办理进度",
    description=(
        "凭查询码和联系电话后四位查询；查询码不区分大小写，可含空格和短横线。查询码或后四位有误时一律返回"
        f"相同的 404；同一查询码1小时内查询失败{CODE_LIMIT}次后，"
        f"或同一客户端15分钟内查询失败{LOOKUP_LIMIT}次后，"
        "即使查询码和后四位正确也返回 429（Retry-After 为需等待的秒数）。不返回任何个人信息。"
    ),
    tags=["依申请公开"],
    openapi_extra=_responses(
        {
            200: "办理进度（不含任何个人信息）",
            400: "查询参数过多，服务器无法读取",
            404: "未找到对应的申请（查询码或电话后四位有误，二者不作区分）",
            422: "查询参数格式不正确",
            429: "查询失败次数过多，暂停查询（同一查询码1小时，同一客户端15分钟）",
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
    if not code_allowed(query_code):
        response = api.create_response(request, {"detail": CODE_REFUSAL.rstrip("。")}, status=429)
        response["Retry-After"] = str(CODE_WINDOW)
        return response
    application = find_application(request, query_code, phone_tail)
    if application is None:
        return Status(404, {"detail": NOT_FOUND})
    clock = selectors.case_clock(application)
    settled = application.status_enum not in OPEN_STATUSES
    # The draft outcome is internal until the reply is out; a settled case has no running clock.
    outcome = application.outcome if settled and application.outcome in OUTCOMES else None
    paused = not settled and not clock.running
    correction = awaited_correction(application, clock)
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
            "correction_due_on": correction.due if correction else None,
            "outcome": outcome,
            "outcome_label": OUTCOMES[outcome].label if outcome else None,
            "replied_on": application.replied_on,
        },
    )


# -- GET /items: public items, searched or newest first -------------------------------------------

PAGE_HELP = "页码，从1开始，每页20条；最多翻到第100页，更深的结果请用关键词或筛选条件缩小范围"


def _item_agency(code_or_slug: str) -> Agency:
    value = code_or_slug.strip()
    agency = None
    if value and "\x00" not in value:
        agency = Agency.objects.filter(Q(code=value) | Q(slug=value), is_active=True).first()
    if agency is None:
        raise DjangoValidationError({"agency": "未找到该机关，请填写机关列表中的机构代码或网址标识。"})
    return agency


def _item_json(request: HttpRequest, item, snippet: str) -> dict:
    return {
        "title": item.title,
        "index_number": item.index_number,
        "agency": {"code": item.agency.code, "slug": item.agency.slug, "name": item.agency.name},
        "publisher": item.publisher,
        "category": {"id": item.category_id, "name": item.category.name},
        "published_at": timezone.localtime(item.published_at),
        "validity": item.validity,
        "validity_label": item.get_validity_display(),
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "snippet": snippet,
    }


@api.get(
    "/items",
    response={200: ItemPage, 400: Detail, 422: ValidationErrors, 503: Detail},
    summary="检索公开信息",
    description=(
        "面向社会主动公开的政府信息。带关键词 q 时全文检索（标题、概述、正文和附件，简体繁体通用，"
        "两个汉字起即可检索，多个词用空格分开表示同时包含），摘要中命中的文字以 <mark> 标出；"
        "不带 q 时按发布日期从新到旧列出。可按发布机关、主题分类（含下级分类）和发布年份筛选。"
        "草稿、审核中、已撤回、不予公开和仅限内部公开的信息一律不会出现。"
    ),
    tags=["公开信息"],
    openapi_extra=_responses(
        {
            200: "一页公开信息，以及总条数（或其下限）和下一页页码",
            400: "查询参数过多，服务器无法读取",
            422: "参数有误（如关键词过短或过长、机关或分类不存在、页码超出范围），逐项说明原因",
            503: "数据库不是 UTF8 编码，全文检索暂不可用",
        }
    ),
)
def items(
    request: HttpRequest,
    q: str | None = Query(
        None, description="关键词：两个汉字或一个完整的词起，至多50个字；为空时按发布日期列出最新信息"
    ),
    agency: str | None = Query(None, description="发布机关：机构代码（code）或网址标识（slug）"),
    category: int | None = Query(None, ge=1, le=ID_MAX, description="主题分类编号（包括其下级分类）"),
    year: int | None = Query(
        None, ge=YEAR_MIN, le=YEAR_MAX, description=f"发布年份（北京时间，{YEAR_MIN}至{YEAR_MAX}），如 2025"
    ),
    sort: Literal["date", "relevance"] = Query(
        "date", description="排序（仅在带关键词时有效）：date＝按发布日期从新到旧；relevance＝按相关度"
    ),
    page: int = Query(1, ge=1, le=search.MAX_PAGE, description=PAGE_HELP),
):
    if page > search.MAX_PAGE:
        raise DjangoValidationError({"page": f"最多翻到第{search.MAX_PAGE}页，请用关键词或筛选条件缩小范围"})
    filters: dict[str, object] = {"year": year}
    agency_id: int | None = None
    category_ids: list[int] | None = None
    if agency is not None and agency.strip():
        agency_id = _item_agency(agency).pk
        filters["agency_id"] = agency_id
    if category is not None:
        node = Category.objects.filter(pk=category).first()
        if node is None:
            raise DjangoValidationError({"category": "未找到该主题分类。"})
        category_ids = [node.pk, *node.children.values_list("pk", flat=True)]
        filters["category_id"] = category_ids

    if q is not None and q.strip():
        query = parse_query(q)
        if query.error:
            raise DjangoValidationError({"q": query.error})
        try:
            results = search.search_public(q, filters=filters, sort=sort, page=page, with_facets=False)
        except search.NotUTF8Database as exc:
            return Status(503, {"detail": str(exc)})
        return {
            "items": [_item_json(request, hit.item, hit.snippet) for hit in results.hits],
            "total": results.total,
            "total_is_estimate": results.total_is_estimate,
            "next_page": page + 1 if results.has_next else None,
        }

    listed = items_public().defer(None).order_by("-published_at", "-id")
    if agency_id is not None:
        listed = listed.filter(agency_id=agency_id)
    if category_ids is not None:
        listed = listed.filter(category_id__in=category_ids)
    if year is not None:
        listed = listed.filter(published_at__year=year)
    per_page = search.PER_PAGE
    rows = list(listed[(page - 1) * per_page : page * per_page + 1])
    counted = listed.values("pk")[: search.QUICK_COUNT_LIMIT + 1].count()
    everything = parse_query("")  # no terms: a plain, escaped opening of the text
    return {
        "items": [
            _item_json(request, item, highlight(item.summary or plain_text(item.body), everything))
            for item in rows[:per_page]
        ],
        "total": min(counted, search.QUICK_COUNT_LIMIT),
        "total_is_estimate": counted > search.QUICK_COUNT_LIMIT,
        "next_page": page + 1 if len(rows) > per_page and page < search.MAX_PAGE else None,
    }
