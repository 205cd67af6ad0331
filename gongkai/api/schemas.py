"""Shapes of the public JSON API, with the Chinese wording its OpenAPI document and errors use.

Enumerations are built from the applications app's choices, so a new choice there is a new enum
value here without an edit. Personal data goes in (a request) but never comes out (a status).
"""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError

from gongkai.applications.applicant import DESCRIPTION_MAX
from gongkai.applications.models import ApplicantType, DeliveryWay, IdType, Medium, OrgType
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


def _choice_help(title: str, enum) -> str:
    return f"{title}：{_legend(enum.choices)}"


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


class RequestIn(TextIn):
    """政府信息公开申请：与网上申请表相同的字段与校验。"""

    # Strip like Django form fields do, so stored values match those of the online form.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency: str = Field(
        min_length=1, max_length=40, description="受理机关：机关列表中的机构代码（code）或网址标识（slug）"
    )
    applicant_type: _one_of(ApplicantType.values) = Field(
        description=_choice_help("申请人类型", ApplicantType)
    )
    name: str = Field(min_length=1, max_length=100, description="公民姓名，或法人、其他组织的名称")
    id_type: _one_of(IdType.values) | None = Field(
        None, description=_choice_help("证件类型（申请人为公民时必填）", IdType)
    )
    id_number: str | None = Field(
        None,
        max_length=40,
        description=(
            "证件号码（申请人为公民时必填；居民身份证号码须为18位：17位数字加校验位（数字或X，"
            "GB 11643），出生日期须真实存在，校验位须正确）"
        ),
    )
    org_type: _one_of(OrgType.values) | None = Field(
        None, description=_choice_help("组织类型（申请人为法人或其他组织时必填）", OrgType)
    )
    credit_code: str | None = Field(
        None,
        max_length=18,
        description=(
            "统一社会信用代码（申请人为法人或其他组织时必填；18位，第18位校验位（GB 32100）"
            "与第9至17位组织机构代码的校验位（GB 11714）均须正确）"
        ),
    )
    legal_representative: str | None = Field(
        None, max_length=50, description="法定代表人（法人或其他组织填写）"
    )
    contact_person: str | None = Field(
        None, max_length=50, description="联系人（申请人为法人或其他组织时必填）"
    )
    phone: str = Field(
        min_length=1,
        max_length=30,
        description=(
            "联系电话：手机号码（11位，1开头；可带 +86、86 或 0086，可含空格和短横线）或固定电话"
            "（区号加号码，写作 0759-1234567、075912345678 或 (0759)1234567，可带分机号 -801、转801、"
            "ext801、x801 或 #801）；其后四位用于查询办理进度"
        ),
    )
    address: str | None = Field(None, max_length=200, description="通信地址（选择邮寄时必填）")
    postcode: str | None = Field(None, pattern=r"^\d{6}$", description="邮政编码（6位数字）")
    email: str | None = Field(None, max_length=254, description="电子邮箱（选择电子邮件获取时必填）")
    description: str = Field(
        min_length=1,
        max_length=DESCRIPTION_MAX,
        description=f"所需政府信息的内容描述（1至{DESCRIPTION_MAX}字）",
    )
    document_hint: str | None = Field(
        None, max_length=200, description="所需信息的文件名称、文号或其他特征描述（如知道）"
    )
    medium: _one_of(Medium.values) = Field(description=_choice_help("获取信息的载体形式", Medium))
    delivery: _one_of(DeliveryWay.values) = Field(description=_choice_help("获取信息的方式", DeliveryWay))

    @field_validator("id_type", "org_type", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        # The online form sends '' for an unchosen option; accept the same from API clients.
        return None if value == "" else value

    @field_validator("email")
    @classmethod
    def _email_valid(cls, value: str | None) -> str | None:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise PydanticCustomError("email", "电子邮箱格式不正确") from None
        return value

    @model_validator(mode="after")
    def _contact_for_delivery(self) -> "RequestIn":
        # The same rule as the online form: the reply needs somewhere to go.
        if self.delivery == DeliveryWay.EMAIL and not self.email:
            raise PydanticCustomError(
                "required_for", "选择电子邮件获取的，请填写电子邮箱。", {"field": "email"}
            )
        if self.delivery == DeliveryWay.POST and not (self.address or "").strip():
            raise PydanticCustomError("required_for", "选择邮寄的，请填写通信地址。", {"field": "address"})
        return self

    def applicant_data(self) -> dict[str, str]:
        """The applicant's details as the submit service takes them (blank, never None)."""
        return {key: value or "" for key, value in self.model_dump(exclude={"agency"}).items()}


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

_FORMAT_HINTS = {"postcode": "应为6位数字", "phone_tail": "应为联系电话的后4位数字"}

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


def _message(error: dict[str, Any], field: str) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
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
    if kind in ("email", "required_for", "refused_characters"):
        return error["msg"]
    hint = _FORMAT_HINTS.get(field)
    return f"格式不正确（{hint}）" if hint else "格式不正确"


def _field(error: dict[str, Any]) -> str:
    """'name' for ('body', 'payload', 'name'); 'phone_tail' for ('query', 'phone_tail')."""
    loc = [str(part) for part in error.get("loc", ())]
    if (error.get("ctx") or {}).get("field"):
        return error["ctx"]["field"]
    path = loc[2:] if loc[:1] == ["body"] else loc[1:]
    return ".".join(path) or "__all__"


def chinese_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Ninja's (pydantic's) validation errors as field → Chinese messages."""
    result: dict[str, list[str]] = {}
    for error in errors:
        field = _field(error)
        result.setdefault(field, []).append(_message(error, field))
    return result
