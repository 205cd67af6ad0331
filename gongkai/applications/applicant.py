"""The applicant's details: the one declaration of every field of a request and of its rules.

``FIELDS`` declares each field once: its label, maximum length, whether and when it is required,
its choices, its format rule and the Chinese messages. Everything that takes a request in is built
from it: the public form and the office's registration form (``applications.forms``), the API
schema and its OpenAPI document (``api.schemas``), and the intake service. ``clean_applicant``
applies the rules and raises ValidationError mapping field names to the Chinese messages, so a
mistake reads the same on every way in (Regulation art. 29: name, contact, the information
sought, the form and way it is wanted).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

from gongkai.applications import identity
from gongkai.applications.models import ApplicantType, DeliveryWay, IdType, Medium, OrgType

DESCRIPTION_MAX = 2000
EMAIL_MESSAGE = "请填写有效的电子邮箱。"

# A format check: the normalised value, or IdentityError with a Chinese message.
Check = Callable[[str], str]


@dataclass(frozen=True)
class When:
    """A condition on another field of the same request: ``field`` holds ``value``.

    ``wording`` says it in Chinese for documents (e.g. "申请人为公民时")."""

    field: str
    value: str
    wording: str

    def holds(self, values: Mapping[str, str]) -> bool:
        return values.get(self.field) == self.value


CITIZEN = When("applicant_type", ApplicantType.NATURAL, "申请人为公民时")
ORGANISATION = When("applicant_type", ApplicantType.LEGAL, "申请人为法人或其他组织时")


class FieldProblem(ValueError):
    """A value breaks its field's rule; ``message`` is Chinese and user-facing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ApplicantField:
    """One field of a request and its rules (values are compared after stripping whitespace).

    - ``label``: as shown on the forms; the part before "（" names the field in messages.
    - ``max_length``: in characters; None for a choice.
    - ``required``: True, False, or a ``When`` (required only then; ``required_message`` says so).
    - ``choices``: the model's TextChoices; any other non-blank value is refused.
    - ``pattern``: a regular expression (anchored, ASCII) the whole value must match, with
      ``format_message``; also the ``pattern`` of the API's OpenAPI document.
    - ``check``: a normalising check (``identity``); with ``check_when``, only then.
    - ``applies_to``: an ApplicantType value; for the other type the field is stored blank.
    - ``hint``: how to fill it in (the forms' help text, part of the API's description);
      ``api_note``: the exact format for API clients.
    - ``input_mode``, ``autocomplete``: the HTML hints of the form's input.
    - ``asked``: False for a column the intake stores blank and no form or API asks for.
    """

    name: str
    label: str
    max_length: int | None = None
    required: bool | When = False
    required_message: str = ""
    choices: type[models.TextChoices] | None = None
    pattern: str | None = None
    format_message: str = ""
    check: Check | None = None
    check_when: When | None = None
    too_long_message: str = ""
    applies_to: str | None = None
    hint: str = ""
    api_note: str = ""
    input_mode: str = ""
    autocomplete: str = ""
    asked: bool = True

    @property
    def short_label(self) -> str:
        return self.label.split("（", 1)[0]

    @property
    def always_required(self) -> bool:
        return self.required is True

    @property
    def length_message(self) -> str:
        return self.too_long_message or f"{self.short_label}不能超过{self.max_length}个字。"

    @property
    def choice_message(self) -> str:
        return f"请从所列选项中选择{self.short_label}。"

    @property
    def choice_values(self) -> list[str]:
        return [str(value) for value in self.choices.values] if self.choices is not None else []

    def is_required(self, values: Mapping[str, str]) -> bool:
        if isinstance(self.required, When):
            return self.required.holds(values)
        return self.required

    def applies(self, values: Mapping[str, str]) -> bool:
        """False when the field belongs to the other type of applicant than the one chosen."""
        kind = values.get("applicant_type", "")
        return self.applies_to is None or kind not in ApplicantType.values or kind == self.applies_to

    def shape_problem(self, value: str) -> str | None:
        """The message for a value too long or not one of the choices; None if neither."""
        if self.max_length is not None and len(value) > self.max_length:
            return self.length_message
        if self.choices is not None and value and value not in self.choice_values:
            return self.choice_message
        return None

    def clean(self, value: str, values: Mapping[str, str]) -> str:
        """The value normalised; FieldProblem when it breaks a rule (the first one, in the order
        required, length, choice, pattern, check). ``values``: the whole request, stripped."""
        if not value:
            if self.is_required(values):
                raise FieldProblem(self.required_message)
            return ""
        if problem := self.shape_problem(value):
            raise FieldProblem(problem)
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise FieldProblem(self.format_message)
        if self.check is not None and (self.check_when is None or self.check_when.holds(values)):
            try:
                return self.check(value)
            except identity.IdentityError as exc:
                raise FieldProblem(exc.message) from None
        return value


def check_email(value: str) -> str:
    """The address as typed if it is a valid e-mail address (Django's rule); IdentityError if not."""
    try:
        validate_email(value)
    except ValidationError:
        raise identity.IdentityError(EMAIL_MESSAGE) from None
    return value


FIELDS: tuple[ApplicantField, ...] = (
    ApplicantField(
        "applicant_type",
        "申请人类型",
        required=True,
        required_message="请选择申请人类型。",
        choices=ApplicantType,
    ),
    ApplicantField(
        "name",
        "姓名或组织名称",
        max_length=100,
        required=True,
        required_message="请填写姓名或名称。",
        hint="公民填写姓名，法人或其他组织填写全称",
    ),
    ApplicantField(
        "id_type",
        "证件类型（公民填写）",
        required=CITIZEN,
        required_message="请选择证件类型。",
        choices=IdType,
        applies_to=ApplicantType.NATURAL,
    ),
    ApplicantField(
        "id_number",
        "证件号码（公民填写）",
        max_length=40,
        required=CITIZEN,
        required_message="请填写证件号码。",
        check=identity.check_resident_id,
        check_when=When("id_type", IdType.RESIDENT_ID, "证件类型为居民身份证时"),
        applies_to=ApplicantType.NATURAL,
        api_note=(
            "居民身份证号码须为18位：17位数字加校验位（数字或X，GB 11643），出生日期须真实存在，校验位须正确"
        ),
        autocomplete="off",
    ),
    ApplicantField(
        "org_type",
        "组织类型（法人或其他组织填写）",
        required=ORGANISATION,
        required_message="请选择组织类型。",
        choices=OrgType,
        applies_to=ApplicantType.LEGAL,
    ),
    ApplicantField(
        "credit_code",
        "统一社会信用代码（法人或其他组织填写）",
        max_length=18,
        required=ORGANISATION,
        required_message="请填写统一社会信用代码。",
        check=identity.check_credit_code,
        applies_to=ApplicantType.LEGAL,
        api_note="18位，第18位校验位（GB 32100）与第9至17位组织机构代码的校验位（GB 11714）均须正确",
        autocomplete="off",
    ),
    ApplicantField(
        "legal_representative",
        "法定代表人（法人或其他组织填写）",
        max_length=50,
        applies_to=ApplicantType.LEGAL,
    ),
    ApplicantField(
        "contact_person",
        "联系人（法人或其他组织填写）",
        max_length=50,
        required=ORGANISATION,
        required_message="请填写联系人。",
        applies_to=ApplicantType.LEGAL,
    ),
    ApplicantField(
        "phone",
        "联系电话",
        max_length=30,
        required=True,
        required_message="请填写联系电话。",
        check=identity.check_mobile_or_phone,
        hint="查询办理进度时需要填写联系电话的后四位。",
        api_note=(
            "手机号码（11位，1开头；可带 +86、86 或 0086，可含空格和短横线）或固定电话"
            "（区号加号码，写作 0759-1234567、075912345678 或 (0759)1234567，可带分机号 -801、转801、"
            "ext801、x801 或 #801）"
        ),
        input_mode="tel",
        autocomplete="tel",
    ),
    ApplicantField(
        "address",
        "通信地址",
        max_length=200,
        required=When("delivery", DeliveryWay.POST, "选择邮寄时"),
        required_message="选择邮寄的，请填写通信地址。",
        autocomplete="street-address",
    ),
    ApplicantField(
        "postcode",
        "邮政编码",
        max_length=6,
        pattern=r"^[0-9]{6}$",
        format_message="邮政编码应为6位数字。",
        too_long_message="邮政编码应为6位数字。",
        input_mode="numeric",
        autocomplete="postal-code",
    ),
    ApplicantField(
        "email",
        "电子邮箱",
        max_length=254,
        required=When("delivery", DeliveryWay.EMAIL, "选择电子邮件获取时"),
        required_message="选择电子邮件获取的，请填写电子邮箱。",
        check=check_email,
        input_mode="email",
        autocomplete="email",
    ),
    ApplicantField(
        "description",
        "所需政府信息的内容描述",
        max_length=DESCRIPTION_MAX,
        required=True,
        required_message="请描述所需政府信息的内容。",
        too_long_message=f"内容描述不能超过{DESCRIPTION_MAX}字，请精简或分次申请。",
        hint=f"请写明所需信息的名称、文号或便于查找的其他特征（如知道），最多{DESCRIPTION_MAX}字。",
    ),
    ApplicantField("purpose_note", "备注", max_length=200, asked=False),
    ApplicantField(
        "medium",
        "获取信息的载体形式",
        required=True,
        required_message="请选择获取信息的载体形式。",
        choices=Medium,
    ),
    ApplicantField(
        "delivery",
        "获取信息的方式",
        required=True,
        required_message="请选择获取信息的方式。",
        choices=DeliveryWay,
    ),
)

BY_NAME: dict[str, ApplicantField] = {field.name: field for field in FIELDS}
APPLICATION_FIELDS: tuple[str, ...] = tuple(BY_NAME)  # the Application columns the intake fills
ASKED_FIELDS: tuple[str, ...] = tuple(field.name for field in FIELDS if field.asked)


def with_document_hint(description: str, hint: str) -> str:
    """The description with a separately given 文件名称、文号 (the API's deprecated ``document_hint``)
    at its end, worded as the migration that merged the two fields wrote it."""
    description, hint = description.strip(), hint.strip()
    if not hint or hint in description:
        return description
    return f"{description}\n（文件名称、文号或其他特征：{hint}）"


def _stripped(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def clean_applicant(data: Mapping[str, object]) -> dict[str, str]:
    """Validate and normalise the applicant's details by ``FIELDS``.

    ``data``: field name → value as submitted (missing, None or a non-string counts as blank).
    Returns every name of APPLICATION_FIELDS → its normalised text (stripped; identity numbers
    and phones normalised; a field of the other applicant type blank). Raises ValidationError
    mapping each wrong field to one Chinese message, all fields checked in one go.
    """
    values = {field.name: _stripped(data.get(field.name)) for field in FIELDS}
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in FIELDS:
        value = values[field.name]
        try:
            if field.applies(values):
                cleaned[field.name] = field.clean(value, values)
                continue
            # Kept for the other type of applicant only: still no wrong choice or overlong text.
            if problem := field.shape_problem(value):
                raise FieldProblem(problem)
            cleaned[field.name] = ""
        except FieldProblem as exc:
            errors[field.name] = exc.message
    if errors:
        raise ValidationError(errors)
    return cleaned
