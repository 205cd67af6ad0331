"""Producing the written notices of a case: numbered, dated, stored as text, DOCX and PDF."""

import dataclasses
import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from gongkai.applications.clockview import case_clock, case_rules
from gongkai.applications.letters import (
    DEFAULT_TEMPLATES,
    RECEIPT_QUOTE_LIMIT,
    REMEDIES,
    address,
    address_form,
    fill,
    once_reviewed,
    quotable,
    quote,
    remedies,
)
from gongkai.applications.models import (
    DELIVERY_METHOD_FOR_WAY,
    Application,
    DeliveryFailure,
    DeliveryMethod,
    Notice,
    NoticeKind,
    NoticeSequence,
    NoticeTemplate,
)
from gongkai.applications.outcomes import OUTCOMES
from gongkai.core.personal_data import mask_personal_data
from gongkai.documents.render import Letter, letter_text, render_docx, render_pdf


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def template_for(application: Application, kind: str) -> str:
    row = (
        NoticeTemplate.objects.filter(agency=application.agency, kind=kind).first()
        or NoticeTemplate.objects.filter(agency__isnull=True, kind=kind).first()
    )
    return row.body if row else DEFAULT_TEMPLATES[kind]


def _next_number(application: Application, day: datetime.date) -> str:
    sequence, _ = NoticeSequence.objects.select_for_update().get_or_create(
        agency=application.agency, year=day.year
    )
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{application.agency.short_name}依申〔{day.year}〕第{sequence.last_value}号"


def cited_request(application: Application) -> str:
    """How a letter cites the request: '您于2026年3月2日提交的政府信息公开申请（申请内容：“……”）', or
    after a correction '（补正后的申请内容：“……”）' — the request the office now answers."""
    form = address_form(application.is_organisation)
    opening = f"{form}于{cn_date(application.received_on)}提交的政府信息公开申请"
    if application.corrected_description:
        return f"{opening}（补正后的申请内容：{quote(application.corrected_description)}）"
    return f"{opening}（申请内容：{quote(application.description)}）"


def values_for(application: Application, day: datetime.date) -> dict[str, str]:
    state = case_clock(application, today=max(day, timezone.localdate()))
    result = OUTCOMES.get(application.outcome)
    withheld = f"不予公开的部分及理由：{application.withheld_note}" if application.withheld_note else ""
    agency = application.agency
    organisation = application.is_organisation
    return {
        "申请人": application.name,
        "称谓": address_form(organisation),
        "收到日期": cn_date(application.received_on),
        "申请": cited_request(application),
        "申请内容": quotable(application.current_description),
        "补正日期": cn_date(application.corrected_on) if application.corrected_on else "",
        "补正后的申请内容": quotable(application.corrected_description),
        "查询码": application.query_code,
        "答复工作日": str(case_rules(application).reply_days),
        "答复期限": cn_date(state.due),
        "机关": application.agency.name,
        "日期": cn_date(day),
        "答复结果": result.label if result else "",
        "答复内容": application.reply_text,
        "法律依据": address(result.basis, organisation) if result else "",
        "不予公开部分": withheld,
        "复议机关": agency.reconsideration_body,
        "管辖法院": agency.court,
        "救济途径": remedies(agency.reconsideration_body, agency.court),
    }


def letter_paragraphs(application: Application, kind: str, values: dict[str, str]) -> list[str]:
    """The template of ``kind`` filled for this case: its address to the applicant adapted (您 or
    你单位), the generic remedies sentence of an older template replaced by the agency's, and 经审查
    said once."""
    template = template_for(application, kind)
    if kind != NoticeKind.CONSULTATION:  # addressed to a third party (贵方), not the applicant
        template = address(template, application.is_organisation)
    template = template.replace(REMEDIES, "{救济途径}")
    return once_reviewed(fill(template, values))


def notice_issue(
    *,
    actor,
    application: Application,
    kind: str,
    extra: dict[str, str] | None = None,
    recipient: str | None = None,
    day: datetime.date | None = None,
) -> Notice:
    """Fill the template, number the letter, render DOCX and PDF, and store all of it with the case.

    Called inside the caller's transaction: if anything fails, no half letter remains.
    """
    day = day or timezone.localdate()
    values = {**values_for(application, day), **(extra or {})}
    if kind == NoticeKind.RECEIPT:
        values["申请内容"] = quotable(application.current_description, RECEIPT_QUOTE_LIMIT)
    paragraphs = letter_paragraphs(application, kind, values)
    salutation = recipient or f"{application.name}："
    table: tuple[tuple[str, str], ...] = ()
    if kind == NoticeKind.RECEIPT:
        table = (
            ("查询码", application.query_code),
            ("收到申请日期", cn_date(application.received_on)),
            ("答复期限", values["答复期限"]),
        )
    number = _next_number(application, day)
    letter = Letter(
        title=NoticeKind(kind).label,
        number=number,
        recipient=salutation,
        paragraphs=tuple(paragraphs),
        issuer=application.agency.name,
        issued_on=day,
        footer_lines=tuple(
            line
            for line in (
                f"联系电话：{application.agency.phone}" if application.agency.phone else "",
                # The receipt's table already gives it.
                f"查询码：{application.query_code}"
                if kind not in (NoticeKind.CONSULTATION, NoticeKind.RECEIPT)
                else "",
            )
            if line
        ),
        table=table,
        attachments=(
            tuple(a.original_name for a in application.reply_attachments.all())
            if kind == NoticeKind.REPLY
            else ()
        ),
    )
    notice = Notice(
        application=application,
        kind=kind,
        number=number,
        issued_on=day,
        recipient=salutation.rstrip("："),
        text=letter_text(letter),
        letter=_letter_data(letter),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    notice.docx.save(f"{_stem(notice)}.docx", ContentFile(render_docx(letter)), save=False)
    notice.save()
    return notice


def _stem(notice: Notice) -> str:
    return f"{NoticeKind(notice.kind).label}-{notice.application.query_code}"


def _letter_data(letter: Letter) -> dict:
    data = dataclasses.asdict(letter)
    data["issued_on"] = letter.issued_on.isoformat()
    return data


def stored_letter(notice: Notice) -> Letter:
    data = dict(notice.letter)
    data["issued_on"] = datetime.date.fromisoformat(data["issued_on"])
    for key in ("paragraphs", "footer_lines", "attachments"):
        data[key] = tuple(data.get(key, ()))
    data["table"] = tuple(tuple(row) for row in data["table"])
    return Letter(**data)


def ensure_pdf(notice: Notice) -> Notice:
    """The PDF of a letter, rendered from the stored letter the first time it is asked for.

    Subsetting the embedded Chinese font takes about half a second per letter, so
    it is done on the first download rather than inside every transition; the
    letter's content is fixed when it is issued either way.
    """
    if not notice.pdf:
        notice.pdf.save(f"{_stem(notice)}.pdf", ContentFile(render_pdf(stored_letter(notice))), save=False)
        Notice.objects.filter(pk=notice.pk).update(pdf=notice.pdf.name)
    return notice


def masked_letter(notice: Notice) -> Letter:
    """The stored letter with personal data in its text masked (``core.personal_data``).

    What staff download unless they reveal the full letter (audited): the applicant's description
    and any other free text quoted in it show IDs, phone and card numbers and house numbers masked.
    The agency's own contact line in the footer is left as it is.
    """
    letter = stored_letter(notice)
    return dataclasses.replace(
        letter,
        paragraphs=tuple(mask_personal_data(p) for p in letter.paragraphs),
        table=tuple((key, mask_personal_data(value)) for key, value in letter.table),
        attachments=tuple(mask_personal_data(name) for name in letter.attachments),
    )


def masked_file(notice: Notice, fmt: str) -> bytes:
    """The masked letter rendered as "pdf" or "docx" (not stored: it is made for one download)."""
    render = render_pdf if fmt == "pdf" else render_docx
    return render(masked_letter(notice), generated_at=notice.created_at)


# Shown beside the 送达日期 field. Regulation art. 30 (the correction period); 行政复议法 art. 20
# (sixty days) and art. 23 (a refusal to disclose goes to reconsideration first); 行政诉讼法 art. 46
# (six months).
DELIVERY_DATE_HELP = (
    "送达日期是申请人实际收到文书的日期（当面领取以签收之日、邮寄以签收之日、电子邮件以进入申请人邮箱之日为准），"
    "请按送达凭证填写。申请人对答复不服的，可以自收到之日起六十日内申请行政复议，"
    "或者六个月内提起行政诉讼（不予公开的，应当先申请行政复议）；补正告知书的补正期限也自送达之日起计算。"
)


def default_delivery_method(application: Application) -> str:
    """The 送达方式 a letter to the applicant goes by unless staff choose otherwise: the way the
    applicant chose to receive the information (获取信息的方式)."""
    return DELIVERY_METHOD_FOR_WAY.get(application.delivery, "")


def delivery_choices(application: Application) -> dict:
    """What a case page's delivery forms offer: the 送达方式 (the applicant's way selected for
    letters to the applicant), the reasons a delivery fails, and what the 送达日期 means."""
    return {
        "delivery_methods": DeliveryMethod.choices,
        "delivery_default": default_delivery_method(application),
        "delivery_failures": DeliveryFailure.choices,
        "delivery_date_help": DELIVERY_DATE_HELP,
    }
