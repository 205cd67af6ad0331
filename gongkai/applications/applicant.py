"""The applicant's details: the one set of validation rules for every way a request comes in.

Used by the public form, the office's registration form, the API and the intake service
(Regulation art. 29: name, contact, the information sought, the form and way it is wanted).
``clean_applicant`` raises ValidationError mapping field names to Chinese messages.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from gongkai.applications import identity
from gongkai.applications.models import ApplicantType, DeliveryWay, IdType, Medium, OrgType

DESCRIPTION_MAX = 2000

APPLICATION_FIELDS = (
    "applicant_type",
    "name",
    "id_type",
    "id_number",
    "org_type",
    "credit_code",
    "legal_representative",
    "contact_person",
    "phone",
    "address",
    "postcode",
    "email",
    "description",
    "document_hint",
    "purpose_note",
    "medium",
    "delivery",
)


def clean_applicant(data: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the applicant's details; ValidationError maps fields to Chinese messages."""
    errors: dict[str, str] = {}
    cleaned = dict(data)
    kind = data.get("applicant_type")
    if kind not in ApplicantType.values:
        errors["applicant_type"] = "请选择申请人类型。"
    if not (data.get("name") or "").strip():
        errors["name"] = "请填写姓名或名称。"
    try:
        cleaned["phone"] = identity.check_mobile_or_phone(data.get("phone") or "")
    except identity.IdentityError as exc:
        errors["phone"] = exc.message
    if kind == ApplicantType.NATURAL:
        if data.get("id_type") not in IdType.values:
            errors["id_type"] = "请选择证件类型。"
        elif data.get("id_type") == IdType.RESIDENT_ID:
            try:
                cleaned["id_number"] = identity.check_resident_id(data.get("id_number") or "")
            except identity.IdentityError as exc:
                errors["id_number"] = exc.message
        elif not (data.get("id_number") or "").strip():
            errors["id_number"] = "请填写证件号码。"
        for key in ("org_type", "credit_code", "legal_representative", "contact_person"):
            cleaned[key] = ""
    elif kind == ApplicantType.LEGAL:
        if data.get("org_type") not in OrgType.values:
            errors["org_type"] = "请选择组织类型。"
        try:
            cleaned["credit_code"] = identity.check_credit_code(data.get("credit_code") or "")
        except identity.IdentityError as exc:
            errors["credit_code"] = exc.message
        if not (data.get("contact_person") or "").strip():
            errors["contact_person"] = "请填写联系人。"
        cleaned["id_type"] = ""
        cleaned["id_number"] = ""
    if data.get("medium") not in Medium.values:
        errors["medium"] = "请选择获取信息的载体形式。"
    if data.get("delivery") not in DeliveryWay.values:
        errors["delivery"] = "请选择获取信息的方式。"
    elif data.get("delivery") == DeliveryWay.EMAIL and not (data.get("email") or "").strip():
        errors["email"] = "选择电子邮件获取的，请填写电子邮箱。"
    elif data.get("delivery") == DeliveryWay.POST and not (data.get("address") or "").strip():
        errors["address"] = "选择邮寄的，请填写通信地址。"
    email = (data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "请填写有效的电子邮箱。"
    postcode = (data.get("postcode") or "").strip()
    if postcode and not (len(postcode) == 6 and postcode.isdigit()):
        errors["postcode"] = "邮政编码应为6位数字。"
    description = (data.get("description") or "").strip()
    if not description:
        errors["description"] = "请描述所需政府信息的内容。"
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = f"内容描述不能超过{DESCRIPTION_MAX}字，请精简或分次申请。"
    cleaned["description"] = description
    if errors:
        raise ValidationError(errors)
    return cleaned
