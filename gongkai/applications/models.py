import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from gongkai.applications.letters import TemplateRefused, check_template
from gongkai.applications.workflow import REPORTED_STATUSES, STATUS_LABELS, Status

# No 0/O, 1/I/L: a code read over the phone is not misheard.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(12))


class ApplicantType(models.TextChoices):
    NATURAL = "natural", "公民（自然人）"
    LEGAL = "legal", "法人或其他组织"


class OrgType(models.TextChoices):
    """The applicant columns of the annual report's table 三."""

    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_WELFARE = "public_welfare", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORG = "other_org", "其他"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    OTHER = "other", "其他有效身份证件"


class Channel(models.TextChoices):
    ONLINE = "online", "网上申请"
    WINDOW = "window", "当面提交"
    POST = "post", "信函"
    FAX = "fax", "传真"


class Medium(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"


class DeliveryWay(models.TextChoices):
    PICKUP = "pickup", "自行领取"
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上获取"


class ApplicationQuerySet(models.QuerySet):
    def reported(self) -> "ApplicationQuerySet":
        """The cases statistics and the annual report count: all but those voided as repeats."""
        return self.filter(status__in=[s.value for s in REPORTED_STATUSES])


class Application(models.Model):
    """政府信息公开申请: one request for information from a person or organisation."""

    agency = models.ForeignKey(
        "organisation.Agency", verbose_name="受理机关", on_delete=models.PROTECT, related_name="applications"
    )
    query_code = models.CharField(
        "查询码", max_length=12, unique=True, default=new_query_code, editable=False
    )
    channel = models.CharField("申请方式", max_length=10, choices=Channel.choices)
    received_on = models.DateField("收到申请日期")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    applicant_type = models.CharField("申请人类型", max_length=10, choices=ApplicantType.choices)
    name = models.CharField("姓名/名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    org_type = models.CharField("组织类型", max_length=20, choices=OrgType.choices, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    email = models.EmailField("电子邮箱", blank=True)

    description = models.TextField("所需政府信息的内容描述")
    purpose_note = models.CharField("备注", max_length=200, blank=True)
    medium = models.CharField("获取信息的载体形式", max_length=12, choices=Medium.choices)
    delivery = models.CharField("获取信息的方式", max_length=12, choices=DeliveryWay.choices)

    status = models.CharField(
        "状态",
        max_length=30,
        choices=[(s.value, STATUS_LABELS[s]) for s in Status],
        default=Status.REGISTERED,
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name="承办股室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    outcome = models.CharField("办理结果", max_length=40, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    withheld_note = models.TextField("不予公开部分及理由", blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Intake: the submission's content fingerprint, and an earlier case of the same applicant on
    # the same day (疑似重复) the office may void this one against.
    fingerprint = models.CharField("内容指纹", max_length=64, blank=True, editable=False, db_index=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="疑似重复（同日同一申请人的申请）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    void_reason = models.TextField("作废理由", blank=True)
    # 补正 (条例 art. 30): what the applicant corrected, recorded when the corrected request arrives;
    # the letters after it cite the request as corrected.
    corrected_description = models.TextField("补正后的申请内容", blank=True)
    corrected_on = models.DateField("收到补正申请日期", null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["agency", "received_on"])]

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d} 申请（{self.query_code}）"

    def get_absolute_url(self) -> str:
        return reverse("applications_staff:detail", args=[self.pk])

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status_enum]

    @property
    def is_organisation(self) -> bool:
        """A 法人或其他组织 (letters address it as 你单位), not a natural person (您)."""
        return self.applicant_type == ApplicantType.LEGAL

    @property
    def current_description(self) -> str:
        """The request as it now stands: the corrected content once a correction is recorded."""
        return self.corrected_description or self.description

    @property
    def applicant_column(self) -> str:
        """The annual report column this applicant is counted in."""
        return "natural" if self.applicant_type == ApplicantType.NATURAL else (self.org_type or "other_org")


class CaseEvent(models.Model):
    """办理事件: one dated event of a case; the request clock is computed from these."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=30)
    on = models.DateField("日期")
    days = models.PositiveIntegerField("天数", default=0)
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "办理事件"
        verbose_name_plural = "办理事件"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.kind}"


class ExtensionRequest(models.Model):
    """延期申请: a request to extend the reply period, decided by the entitled role."""

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField("延长工作日数")
    reason = models.TextField("延期理由")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_on = models.DateField("提出日期")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"延期{self.days}个工作日（{self.get_state_display()}）"


class NoticeKind(models.TextChoices):
    RECEIPT = "receipt", "受理回执"
    CORRECTION = "correction", "补正告知书"
    EXTENSION = "extension", "延期答复告知书"
    SUSPENSION = "suspension", "中止通知书"
    RESUMPTION = "resumption", "恢复办理通知书"
    CONSULTATION = "consultation", "征求第三方意见函"
    FEE = "fee", "收费通知"
    REPLY = "reply", "政府信息公开申请答复书"


class DeliveryMethod(models.TextChoices):
    """送达方式 of a letter. The stored value is the Chinese name (earlier rows held it as typed)."""

    IN_PERSON = "当面领取", "当面领取"
    POST = "邮寄", "邮寄"
    EMAIL = "电子邮件", "电子邮件"
    ONLINE = "网上获取", "网上获取（在线查阅）"
    FAX = "传真", "传真"
    OTHER = "其他", "其他方式"


# The way a letter goes out by default: the way the applicant chose to receive the information.
DELIVERY_METHOD_FOR_WAY: dict[str, str] = {
    DeliveryWay.PICKUP: DeliveryMethod.IN_PERSON,
    DeliveryWay.POST: DeliveryMethod.POST,
    DeliveryWay.EMAIL: DeliveryMethod.EMAIL,
    DeliveryWay.ONLINE: DeliveryMethod.ONLINE,
}


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待送达"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "送达失败"


class DeliveryFailure(models.TextChoices):
    """Why a delivery attempt failed (送达失败原因)."""

    RETURNED = "returned", "邮件被退回"
    ADDRESS_UNKNOWN = "address_unknown", "地址不详"
    NO_SUCH_PERSON = "no_such_person", "查无此人"
    REFUSED = "refused", "拒收"
    BOUNCED = "bounced", "电子邮件退信"
    UNREACHABLE = "unreachable", "无法联系申请人"
    OTHER = "other", "其他原因"


def notice_path(instance: "Notice", filename: str) -> str:
    return f"notices/{instance.application.agency_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Notice(models.Model):
    """书面告知: a numbered, dated letter of a case, stored as text, DOCX and PDF."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("文书类型", max_length=20, choices=NoticeKind.choices)
    number = models.CharField("文号", max_length=60)
    issued_on = models.DateField("日期")
    recipient = models.CharField("收件人", max_length=100)
    text = models.TextField("正文")
    docx = models.FileField("DOCX", upload_to=notice_path)
    pdf = models.FileField("PDF", upload_to=notice_path, blank=True)  # rendered on first download
    letter = models.JSONField("文书内容", default=dict)
    delivery_state = models.CharField(
        "送达状态", max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    delivery_method = models.CharField("送达方式", max_length=30, choices=DeliveryMethod.choices, blank=True)
    delivery_proof = models.CharField("送达凭证", max_length=200, blank=True)
    # The last failed attempt (送达失败), kept after a later delivery succeeds; each is audited.
    delivery_failed_on = models.DateField("送达失败日期", null=True, blank=True)
    delivery_failure = models.CharField(
        "送达失败原因", max_length=20, choices=DeliveryFailure.choices, blank=True
    )
    delivery_failure_note = models.CharField("送达失败说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "书面告知"
        verbose_name_plural = "书面告知"
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class NoticeTemplate(models.Model):
    """文书模板: the wording of one kind of notice, editable by the office (per agency or default)."""

    agency = models.ForeignKey(
        "organisation.Agency",
        verbose_name="机关（空为全平台默认）",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField("文书类型", max_length=20, choices=NoticeKind.choices)
    body = models.TextField(
        "正文模板",
        help_text="每段一行；可使用 {申请人}、{收到日期}、{申请内容}、{答复期限} 等占位符。",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="noticetemplate_unique")]

    def __str__(self) -> str:
        return f"{self.agency or '默认'} · {self.get_kind_display()}"

    def clean(self) -> None:
        """The admin's check: the same placeholder rule as the templates page (letters.check_template)."""
        if self.kind in NoticeKind.values:
            try:
                check_template(self.body or "", self.kind)
            except TemplateRefused as exc:
                raise ValidationError({"body": exc.message}) from exc


class NoticeSequence(models.Model):
    """The serial behind notice numbers, per agency and year."""

    agency = models.ForeignKey("organisation.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="noticesequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_value}"


def application_file_path(instance: "ApplicationFile", filename: str) -> str:
    return (
        f"applications/{instance.application.agency_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"
    )


class ApplicationFile(models.Model):
    """申请材料: a file the applicant attached (e.g. proof of identity), with the request or with
    its correction (补正材料)."""

    class Stage(models.TextChoices):
        REQUEST = "request", "申请材料"
        CORRECTION = "correction", "补正材料"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    stage = models.CharField("提交环节", max_length=12, choices=Stage.choices, default=Stage.REQUEST)
    file = models.FileField(upload_to=application_file_path)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"

    def __str__(self) -> str:
        return self.original_name


def reply_attachment_path(instance: "ReplyAttachment", filename: str) -> str:
    return f"replies/{instance.application.agency_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ReplyAttachment(models.Model):
    """答复附件: a file of the disclosed information the office sends with the reply (listed on the
    答复书's 附件 line, in the order added)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reply_attachments")
    file = models.FileField(upload_to=reply_attachment_path)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "答复附件"
        verbose_name_plural = "答复附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Appeal(models.Model):
    """行政复议 / 行政诉讼 about a reply, with its result for the annual report's table 四."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", "行政复议"
        LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
        LITIGATION_AFTER = "litigation_after", "行政诉讼（复议后起诉）"

    class Result(models.TextChoices):
        MAINTAINED = "maintained", "结果维持"
        CORRECTED = "corrected", "结果纠正"
        OTHER = "other", "其他结果"
        PENDING = "pending", "尚未审结"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="appeals")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    filed_on = models.DateField("提起日期")
    result = models.CharField("结果", max_length=12, choices=Result.choices, default=Result.PENDING)
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "复议与诉讼"
        verbose_name_plural = "复议与诉讼"
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.get_result_display()}"


class Satisfaction(models.Model):
    """满意度评价: the applicant's opinion after the reply (seed 004 art. 22)."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASICALLY = "basically", "基本满意"
        DISSATISFIED = "dissatisfied", "不满意"

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="satisfaction")
    rating = models.CharField("评价", max_length=15, choices=Rating.choices)
    comment = models.TextField("意见建议", blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "满意度评价"
        verbose_name_plural = "满意度评价"

    def __str__(self) -> str:
        return self.get_rating_display()


class Reminder(models.Model):
    """A reminder or escalation sent once for one due date of one case (idempotent tick)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "即将到期提醒"
        OVERDUE = "overdue", "超期督办"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "due_on"], name="reminder_once_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.due_on}"


class StaffNotification(models.Model):
    """A message in a staff member's workbench (reminders, escalations)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text


class SubmissionClaim(models.Model):
    """提交凭据: a key one submission claimed, so that a repeat of it is answered with the same case.

    Keys: ``form:<token>`` (the one-time token of a form), ``api:<sha256 of Idempotency-Key>``,
    ``body:<fingerprint>`` (the same content, within settings.INTAKE_DUPLICATE_WINDOW_SECONDS).
    The unique key makes the claim atomic: of two parallel submissions one inserts, the other waits
    for it and then finds its case.
    """

    key = models.CharField(max_length=100, unique=True)
    fingerprint = models.CharField(max_length=64)
    application = models.ForeignKey(Application, null=True, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField()

    class Meta:
        verbose_name = "提交凭据"
        verbose_name_plural = "提交凭据"

    def __str__(self) -> str:
        return self.key
