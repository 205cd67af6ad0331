"""Shapes of the public JSON API, with the Chinese wording its OpenAPI document and errors use.

Enumerations are built from the applications app's choices, so a new choice there is a new enum
value here without an edit. Personal data goes in (a request) but never comes out (a status).
"""

import datetime
from typing import TYPE_CHECKING, Any, Literal, Self

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from pydantic import (
    ConfigDict,
    ModelWrapValidatorHandler,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from gongkai.applications.applicant import (
    BY_NAME,
    FIELDS,
    ApplicantField,
    When,
    clean_applicant,
    with_document_hint,
)
from gongkai.applications.outcomes import OUTCOMES
from gongkai.applications.workflow import PUBLIC_STATUS_LABELS, Status
from gongkai.core.textinput import refusal_message
from gongkai.workdays.rules import RULE_SETS

NOT_FOUND = "未找到对应的申请"
TOO_MANY_LOOKUPS = "查询失败次数过多，请15分钟后再试"


def _one_of(values) -> Any:
    """A ``Literal`` of these values: an inline ``enum`` in the schema, validated by pydantic."""
    return Literal[tuple(values)]


def _legend(pairs) -> str:
    return "；".join(f"{value}＝{label}" for value, label in pairs)


STATUS_HELP = "办理状态代码：" + _legend((s.value, PUBLIC_STATUS_LABELS[s]) for s in Status)
OUTCOME_HELP = "办理结果代码（办结后才有，否则为 null）：" + _legend(
    (code, result.label) for code, result in OUTCOMES.items()
)


class Detail(Schema):
    detail: str = Field(description="说明")


class ValidationErrors(Schema):
    errors: dict[str, list[str]] = Field(
        description="字段名 → 中文错误信息列表；不属于某个字段的错误（如请求体不是 JSON）记在 __all__ 下",
        examples=[{"errors": {"id_number": ["身份证号码校验位不正确，请核对后重新填写"], "name": ["必填"]}}],
    )


class AgencyOut(Schema):
    code: str = Field(description="机构代码（统一社会信用代码或组织机构代码），提交申请时可填入 agency")
    name: str = Field(description="机关名称")
    short_name: str = Field(description="机关简称")
    slug: str = Field(description="网址标识，提交申请时也可填入 agency")
    rule_set: _one_of(RULE_SETS) = Field(description="依申请公开期限规则代码")
    rule_set_name: str = Field(description="期限规则名称")


class AgencyRef(Schema):
    code: str = Field(description="受理机关的机构代码")
    name: str = Field(description="受理机关名称")


class TextIn(Schema):
    """Base of every input schema: each text field refuses what every form refuses
    (``core.textinput``: control characters, lone surrogates, noncharacters)."""

    @field_validator("*", mode="after")
    @classmethod
    def _refused_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and (message := refusal_message(value)):
            raise PydanticCustomError("refused_characters", message)
        return value


OPTIONAL_CHOICES = frozenset(
    f.name for f in FIELDS if f.asked and f.choices is not None and not f.always_required
)
APPLICANT_RULE = "applicant_rule"  # the pydantic error type of a message from clean_applicant


def _requirement(spec: ApplicantField) -> str:
    if isinstance(spec.required, When):
        return f"{spec.required.wording}必填"
    return "必填" if spec.required else "选填"


def applicant_description(spec: ApplicantField) -> str:
    """The OpenAPI description of an applicant field: its name, when it is required, its codes
    and its format, all from ``applications.applicant``."""
    details = [_legend(spec.choices.choices)] if spec.choices is not None else []
    details += [text.rstrip("。") for text in (spec.api_note, spec.hint) if text]
    head = f"{spec.short_label}（{_requirement(spec)}）"
    return head + ("：" + "；".join(details) if details else "")


def applicant_schema_field(spec: ApplicantField) -> tuple[Any, Any]:
    """(annotation, pydantic Field) of an applicant field: a Literal of its choices or a string
    with its maximum length and pattern, required only when everyone must give it."""
    annotation: Any = _one_of(spec.choice_values) if spec.choices is not None else str
    constraints: dict[str, Any] = {"description": applicant_description(spec)}
    if spec.max_length is not None:
        constraints["max_length"] = spec.max_length
    if spec.pattern is not None:
        constraints["pattern"] = spec.pattern
    if spec.always_required:
        if spec.choices is None:
            constraints["min_length"] = 1
        return annotation, Field(**constraints)
    return annotation | None, Field(None, **constraints)


def _applicant_rule_errors(data: dict[str, Any], *, failed: set[str]) -> list[InitErrorDetails]:
    """``clean_applicant``'s messages for the fields the schema itself did not refuse."""
    try:
        clean_applicant(data)
    except DjangoValidationError as exc:
        return [
            InitErrorDetails(
                type=PydanticCustomError(APPLICANT_RULE, message), loc=(field,), input=data.get(field)
            )
            for field, messages in exc.message_dict.items()
            if field not in failed
            for message in messages
        ]
    return []


def _again(error: ErrorDetails) -> InitErrorDetails:
    """A schema error raised again, with its type, message and context as they were."""
    return InitErrorDetails(
        type=PydanticCustomError(error["type"], error["msg"], error.get("ctx")),
        loc=error["loc"],
        input=error["input"],
    )


class RequestBase(TextIn):
    """政府信息公开申请：与网上申请表相同的字段与校验。"""

    # The docstring is the OpenAPI description. The applicant's fields are added from
    # applications.applicant.FIELDS (RequestIn below); the forms' rules (clean_applicant) run here
    # together with the schema's own checks, so every problem is reported at once, in their words.

    # Strip like Django form fields do, so stored values match those of the online form.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency: str = Field(
        min_length=1, max_length=40, description="受理机关：机关列表中的机构代码（code）或网址标识（slug）"
    )

    document_hint: str | None = Field(
        None,
        max_length=200,
        # Marked in the OpenAPI document only: pydantic's deprecated=True warns on every access.
        json_schema_extra={"deprecated": True},
        description=(
            "已并入 description：文件名称、文号或其他特征请写在内容描述中。"
            "仍然提供的，附在内容描述之后（合计不超过内容描述的字数上限）"
        ),
    )

    @model_validator(mode="wrap")
    @classmethod
    def _applicant_rules(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        if isinstance(data, dict):
            # The online form sends '' for an unchosen option; accept the same from API clients.
            data = {
                key: None if key in OPTIONAL_CHOICES and value == "" else value for key, value in data.items()
            }
        try:
            model = handler(data)
        except ValidationError as exc:
            if not isinstance(data, dict):
                raise
            failed = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
            rules = _applicant_rule_errors(data, failed=failed)
            if not rules:
                raise
            errors = [*(_again(error) for error in exc.errors()), *rules]
            raise ValidationError.from_exception_data(cls.__name__, errors) from None
        rules = _applicant_rule_errors(model.applicant_data(), failed=set())
        if rules:
            raise ValidationError.from_exception_data(cls.__name__, rules)
        return model

    def applicant_data(self) -> dict[str, str]:
        """The applicant's details as the submit service takes them (blank, never None)."""
        data = {
            key: value or "" for key, value in self.model_dump(exclude={"agency", "document_hint"}).items()
        }
        if self.document_hint:
            data["description"] = with_document_hint(data.get("description", ""), self.document_hint)
        return data


if TYPE_CHECKING:
    RequestIn = RequestBase  # the applicant's fields are reached through applicant_data()
else:
    RequestIn = create_model(
        "RequestIn",
        __base__=RequestBase,
        __doc__=RequestBase.__doc__,
        __module__=__name__,
        **{spec.name: applicant_schema_field(spec) for spec in FIELDS if spec.asked},
    )


class RequestReceipt(Schema):
    query_code: str = Field(description="查询码（12位）；凭查询码和联系电话后四位查询办理进度")
    received_on: datetime.date = Field(description="收到申请日期（网上申请为提交当日）")
    due_on: datetime.date = Field(description="法定答复期限（按工作日计算）")
    status: _one_of(s.value for s in Status) = Field(description=STATUS_HELP)
    status_label: str = Field(description="办理状态（中文）")


class RequestStatus(Schema):
    query_code: str = Field(description="查询码")
    agency: AgencyRef = Field(description="受理机关")
    status: _one_of(s.value for s in Status) = Field(description=STATUS_HELP)
    status_label: str = Field(description="办理状态（中文）")
    received_on: datetime.date = Field(description="收到申请日期")
    due_on: datetime.date = Field(description="答复期限；暂停计时期间为假定今日恢复计时的期限")
    paused: bool = Field(description="是否暂停计时（如待补正、征求第三方意见、中止）")
    paused_reason: str | None = Field(description="暂停计时的原因；未暂停时为 null")
    extension_days: int = Field(description="经批准延长的工作日数；未延期为 0")
    correction_due_on: datetime.date | None = Field(
        None, description="等待申请人补正时的补正期限（答复期限自收到补正之日起重新计算）；否则为 null"
    )
    outcome: _one_of(OUTCOMES) | None = Field(description=OUTCOME_HELP)
    outcome_label: str | None = Field(description="办理结果（中文）；办结前为 null")
    replied_on: datetime.date | None = Field(description="答复日期；答复前为 null")


# -- Public items (search) ------------------------------------------------------------------------


class ItemAgency(Schema):
    code: str = Field(description="发布机关的机构代码；检索时可填入 agency")
    slug: str = Field(description="发布机关的网址标识；检索时也可填入 agency")
    name: str = Field(description="发布机关名称")


class ItemCategory(Schema):
    id: int = Field(description="主题分类编号；检索时可填入 category（含其下级分类）")
    name: str = Field(description="主题分类名称")


class ItemOut(Schema):
    title: str = Field(description="信息名称（纯文本）")
    index_number: str = Field(description="索引号")
    agency: ItemAgency = Field(description="发布机关")
    publisher: str = Field(description="发布机构（信息上署名的机构）")
    category: ItemCategory = Field(description="主题分类")
    published_at: datetime.datetime = Field(description="发布日期（北京时间，含时区）")
    validity: Literal["valid", "amended", "repealed", "expired"] = Field(
        description="有效性：valid＝有效，amended＝已修改，repealed＝已废止，expired＝已失效"
    )
    validity_label: str = Field(description="有效性的中文名称（有效、已修改、已废止、已失效）")
    url: str = Field(description="门户网站上该信息页面的完整网址")
    snippet: str = Field(
        description=(
            "摘要片段（HTML，已转义）：按关键词检索时为命中位置附近的正文，命中的文字以 <mark> 标出；"
            "不带关键词时为内容概述或正文开头"
        )
    )


class ItemPage(Schema):
    items: list[ItemOut] = Field(description="本页的公开信息，按发布日期从新到旧（或按相关度）排列")
    total: int = Field(description="符合条件的信息条数；超过上限时为上限值，见 total_is_estimate")
    total_is_estimate: bool = Field(description="为 true 时条数过多未精确计数，total 为下限（“约 N 条以上”）")
    next_page: int | None = Field(description="下一页的页码；没有下一页时为 null")


# -- Schema errors in Chinese ---------------------------------------------------------------------

_FORMAT_HINTS = {"phone_tail": "应为联系电话的后4位数字"}

_MESSAGES = {
    "missing": "必填",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "bool_type": "应为 true 或 false",
    "extra_forbidden": "不支持的字段",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
}


def _applicant_message(spec: ApplicantField, kind: str) -> str | None:
    """The forms' message for a schema error of an applicant field (the same rule, broken)."""
    if kind in ("missing", "string_too_short"):
        return spec.required_message
    if kind == "string_too_long":
        return spec.length_message
    if kind == "literal_error":
        return spec.choice_message
    if kind == "string_pattern_mismatch":
        return spec.format_message
    return None


def _message(error: dict[str, Any], field: str) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    spec = BY_NAME.get(field)
    if spec is not None and spec.asked and (message := _applicant_message(spec, kind)):
        return message
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "string_too_short":
        return "不能为空" if ctx.get("min_length") == 1 else f"至少{ctx.get('min_length')}个字符"
    if kind == "string_too_long":
        return f"不能超过{ctx.get('max_length')}个字符"
    if kind == "greater_than_equal":
        return f"不能小于{ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"不能大于{ctx.get('le')}"
    if kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace("'", "").replace(" or ", "、").replace(", ", "、")
        return f"取值无效，可选：{allowed}"
    if kind in (APPLICANT_RULE, "refused_characters"):
        return error["msg"]
    hint = _FORMAT_HINTS.get(field)
    return f"格式不正确（{hint}）" if hint else "格式不正确"


def _field(error: dict[str, Any]) -> str:
    """'name' for ('body', 'payload', 'name'); 'phone_tail' for ('query', 'phone_tail')."""
    loc = [str(part) for part in error.get("loc", ())]
    path = loc[2:] if loc[:1] == ["body"] else loc[1:]
    return ".".join(path) or "__all__"


def chinese_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Ninja's (pydantic's) validation errors as field → Chinese messages."""
    result: dict[str, list[str]] = {}
    for error in errors:
        field = _field(error)
        messages = result.setdefault(field, [])
        if (message := _message(error, field)) not in messages:
            messages.append(message)
    return result
