import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse

from gongkai.catalogue.workflow import PUBLIC_STATUSES, STATUS_LABELS, Status

ITEM_STATUS_CHOICES = [
    (s.value, STATUS_LABELS[s]) for s in Status if s not in (Status.APPLIED, Status.DISCARDED)
]
REVISION_STATUS_CHOICES = [
    (s.value, STATUS_LABELS[s])
    for s in (
        Status.DRAFT,
        Status.DEPT_REVIEW,
        Status.SECRECY_REVIEW,
        Status.LEADER_REVIEW,
        Status.RETURNED,
        Status.APPLIED,
        Status.DISCARDED,
    )
]


class Column(models.TextChoices):
    """The standard columns of the 政务公开专栏 a category belongs to."""

    GUIDE = "guide", "政府信息公开指南"
    RULES = "rules", "政府信息公开制度"
    STATUTORY = "statutory", "法定主动公开内容"
    ANNUAL_REPORT = "annual_report", "政府信息公开年报"


class Category(models.Model):
    """主题分类: a node of an agency's catalogue tree."""

    agency = models.ForeignKey(
        "organisation.Agency", verbose_name="机关", on_delete=models.CASCADE, related_name="categories"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField("分类名称", max_length=60)
    column = models.CharField("所属栏目", max_length=20, choices=Column.choices, default=Column.STATUTORY)
    description = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["agency", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "parent", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:list") + f"?agency={self.agency.slug}&category={self.pk}"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "已失效"


class DocumentType(models.TextChoices):
    """公文类别 for table 二 of the annual report (国办公开办函〔2021〕30号, 第二十条第（一）项).

    Separate from 体裁 (genre): a 通知 may carry a 行政规范性文件, an 办法 may be a 规章.
    """

    RULES = "rules", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    OTHER = "other", "其他公文"


# The document types that table 二 counts; they must carry a 文号, 成文日期 and 施行日期.
COUNTED_DOCUMENT_TYPES = (DocumentType.RULES, DocumentType.NORMATIVE)
# 有效性 values that end a document's force (本年废止件数 counts items entering one of them).
ENDED_VALIDITIES = (Validity.REPEALED, Validity.EXPIRED)


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_DISCLOSED = "not_disclosed", "不予公开"


class Scope(models.TextChoices):
    PUBLIC = "public", "面向社会"
    INTERNAL = "internal", "本机关内部"


class Genre(models.TextChoices):
    NOTICE = "notice", "通知"
    ANNOUNCEMENT = "announcement", "公告"
    OPINION = "opinion", "意见"
    MEASURES = "measures", "办法"
    PROVISIONS = "provisions", "规定"
    RULES = "rules", "制度"
    PLAN = "plan", "计划"
    REPORT = "report", "报告"
    GUIDE = "guide", "指南"
    REPLY = "reply", "批复"
    OTHER = "other", "其他"


PUBLIC_CONDITION = models.Q(
    status__in=sorted(s.value for s in PUBLIC_STATUSES),
    scope=Scope.PUBLIC,
    disclosure_mode=DisclosureMode.PROACTIVE,
)


class ItemQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: published to society as proactive disclosure.

        `is_public` is the indexed copy of PUBLIC_CONDITION (a check constraint
        keeps the two equal); filtering on both costs nothing and guards leaks.
        """
        return self.filter(PUBLIC_CONDITION, is_public=True)

    def internal_published(self, agency_id: int):
        """Published to the staff of one agency only (内部公开)."""
        return self.filter(
            agency_id=agency_id,
            status__in=[s.value for s in PUBLIC_STATUSES],
            scope=Scope.INTERNAL,
        )


class Item(models.Model):
    """政府信息: one entry of the disclosure catalogue."""

    agency = models.ForeignKey(
        "organisation.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="items"
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name="承办股室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    category = models.ForeignKey(
        Category, verbose_name="主题分类", on_delete=models.PROTECT, related_name="items"
    )
    index_number = models.CharField("索引号", max_length=60, unique=True, null=True, blank=True)
    title = models.CharField("名称", max_length=300)
    summary = models.TextField("内容概述", blank=True)
    body = models.TextField("正文", blank=True, help_text="已净化的HTML")
    publisher = models.CharField("发布机构", max_length=100)
    written_on = models.DateField("成文日期", null=True, blank=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    genre = models.CharField("体裁", max_length=20, choices=Genre.choices, default=Genre.OTHER)
    document_type = models.CharField(
        "公文类别",
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.OTHER,
        help_text="规章、行政规范性文件计入政府信息公开年报表二；其他文件选“其他公文”。",
    )
    effective_on = models.DateField("施行日期", null=True, blank=True)
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices, default=Validity.VALID)
    validity_note = models.CharField("有效性说明", max_length=300, blank=True)
    disclosure_mode = models.CharField(
        "公开方式", max_length=20, choices=DisclosureMode.choices, default=DisclosureMode.PROACTIVE
    )
    scope = models.CharField("公开范围", max_length=20, choices=Scope.choices, default=Scope.PUBLIC)
    is_public = models.BooleanField("向社会公开", default=False, editable=False)
    status = models.CharField("状态", max_length=30, choices=ITEM_STATUS_CHOICES, default=Status.DRAFT)
    return_reason = models.TextField("退回理由", blank=True)
    nondisclosure_ground = models.TextField("不予公开理由", blank=True)
    withdrawal_reason = models.TextField("撤回理由", blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    source_note = models.CharField("来源说明", max_length=300, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(
                fields=["agency", "document_type"],
                condition=~models.Q(document_type="other"),
                name="item_counted_document_type",
            ),
            models.Index(fields=["category", "-published_at"]),
            # Every public listing reads this: published to society, newest first.
            models.Index(
                fields=["-published_at", "-id"], condition=models.Q(is_public=True), name="item_public_recent"
            ),
        ]

        constraints = [
            models.CheckConstraint(
                condition=(PUBLIC_CONDITION & models.Q(is_public=True))
                | (~PUBLIC_CONDITION & models.Q(is_public=False)),
                name="item_is_public_matches_state",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:detail", args=[self.pk])

    def refresh_is_public(self) -> None:
        """Recompute the indexed public flag from status, scope and mode before saving."""
        self.is_public = (
            self.status in PUBLIC_STATUSES
            and self.scope == Scope.PUBLIC
            and self.disclosure_mode == DisclosureMode.PROACTIVE
        )

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status_enum]

    @property
    def is_live(self) -> bool:
        return self.status_enum in PUBLIC_STATUSES


class ValidityChange(models.Model):
    """One change of an item's 有效性, with the date it took effect (its history, oldest first).

    ``changed_on`` is the date the change took effect in law (e.g. the 废止 date stated by the
    repealing document), which may be earlier than the day staff recorded it (``recorded_at``).
    Written only by ``catalogue.validity.item_set_validity`` (re-exported by ``catalogue.services``);
    read by the annual report's table 二 (``gongkai.reports.table2``).
    """

    item = models.ForeignKey(
        "Item", verbose_name="政府信息", on_delete=models.CASCADE, related_name="validity_changes"
    )
    from_validity = models.CharField("原有效性", max_length=20, choices=Validity.choices)
    to_validity = models.CharField("新有效性", max_length=20, choices=Validity.choices)
    changed_on = models.DateField("变更日期")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "有效性变更"
        verbose_name_plural = "有效性变更"
        ordering = ["changed_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["item", "changed_on"])]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_validity} → {self.to_validity} ({self.changed_on})"


class IndexSequence(models.Model):
    """The serial counter behind 索引号, one row per agency and year."""

    agency = models.ForeignKey("organisation.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="indexsequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_value}"


class ItemRevision(models.Model):
    """修订: proposed changes to a published item, reviewed while the live version stays."""

    item = models.ForeignKey(
        Item, verbose_name="政府信息", on_delete=models.CASCADE, related_name="revisions"
    )
    status = models.CharField("状态", max_length=30, choices=REVISION_STATUS_CHOICES, default=Status.DRAFT)
    changes = models.JSONField("修订内容", default=dict)
    note = models.CharField("修订说明", max_length=300, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "修订"
        verbose_name_plural = "修订"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item.title}（修订）"

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status_enum]

    @property
    def department_id(self) -> int | None:
        return self.item.department_id

    @property
    def agency_id(self) -> int:
        return self.item.agency_id


class VersionCause(models.TextChoices):
    """Why a version went live."""

    PUBLISHED = "published", "发布"
    REVISED = "revised", "修订生效"
    VALIDITY = "validity", "有效性变更"
    REPLACED = "replaced", "更正后重新发布"
    MIGRATED = "migrated", "启用发布历史时的现行内容"


# How the public page's 修订记录 names each kind of change (an older version's text is not shown).
PUBLIC_CAUSE_LABELS = {
    VersionCause.PUBLISHED: "发布",
    VersionCause.REVISED: "修订",
    VersionCause.VALIDITY: "有效性变更",
    VersionCause.REPLACED: "更正",
    VersionCause.MIGRATED: "发布",
}


class VersionEnd(models.TextChoices):
    SUPERSEDED = "superseded", "被新版本取代"
    WITHDRAWN = "withdrawn", "撤回"


class ItemVersion(models.Model):
    """发布版本: what a published item showed from ``published_from`` until ``published_until``.

    Written by ``catalogue.history`` in the transaction that changes what is live (publication, an
    applied revision, a change of 有效性, withdrawal); never edited afterwards. ``content`` holds
    ``catalogue.content.SNAPSHOT_FIELDS`` in their JSON form; ``attachments`` the live files as
    ``[{"id", "name", "size", "sha256"}]``. ``is_public``: shown to society then (面向社会, 主动公开);
    otherwise only the agency's own staff saw it (内部公开).
    """

    item = models.ForeignKey(Item, verbose_name="政府信息", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    content = models.JSONField("内容")
    attachments = models.JSONField("附件", default=list)
    is_public = models.BooleanField("向社会公开")
    cause = models.CharField("生效原因", max_length=20, choices=VersionCause.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    revision = models.ForeignKey(
        ItemRevision, verbose_name="修订", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_from = models.DateTimeField("公开起始")
    published_until = models.DateTimeField("公开截止", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生效操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end = models.CharField("结束原因", max_length=20, choices=VersionEnd.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结束操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "发布版本"
        verbose_name_plural = "发布版本"
        ordering = ["item", "number"]
        indexes = [models.Index(fields=["item", "published_from"])]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="itemversion_unique_number"),
            # At most one version of an item is live at a time.
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(published_until__isnull=True), name="itemversion_one_live"
            ),
            models.CheckConstraint(
                condition=models.Q(published_until__isnull=True)
                | models.Q(published_until__gte=models.F("published_from")),
                name="itemversion_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"

    @property
    def public_cause_label(self) -> str:
        return PUBLIC_CAUSE_LABELS[VersionCause(self.cause)]


def attachment_path(instance: "Attachment", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"attachments/{instance.item.agency_id}/{uuid.uuid4().hex}{suffix}"


class TextState(models.TextChoices):
    """Where the text extraction of an attachment stands (gongkai.search.services.attachment_extract)."""

    PENDING = "pending", "待提取"
    RUNNING = "running", "提取中"
    DONE = "done", "已提取"
    TRUNCATED = "truncated", "已提取（达到上限，未读完）"
    FAILED = "failed", "无法读取"
    SKIPPED = "skipped", "无文字（图片等）"


class Attachment(models.Model):
    """附件: a file attached to an item, served only when the item is visible.

    Text extraction (after the upload commits, retried by gongkai_tick; see
    gongkai.search.services) stores what the file shows and what it hides:

    - ``visible_text``: what a reader of the file sees; the only text search indexes and shows.
    - ``hidden_parts``: what the file carries that a reader does not see, for the confidentiality
      review: a list of ``{"kind": str, "where": str, "text": str}``. ``kind`` is one of
      gongkai.search.extract.HIDDEN_KINDS (hidden_sheet, hidden_row, hidden_column, hidden_text,
      comment, tracked_change, annotation, embedded_file); ``where`` says where in Chinese
      (工作表“名单”（隐藏工作表）, 工作表“Sheet1”第3–5行（隐藏行）, 批注（第1条）, 修订（已删除的文字）,
      隐藏文字, PDF注释（第2页）, 嵌入文件“x.xlsx”); ``text`` is its text, at most
      extract.PART_CHARS characters (cut ones end with “…”), may be empty (e.g. an embedded file
      that cannot be read).
    - ``extraction_state`` (TextState) and ``extraction_limit``: when "truncated", the limit that
      cut it: "chars" (visible text), "hidden_chars" (the list of hidden parts is incomplete),
      "bytes" (decompressed size), "pages", "time" or "memory". Whatever was read before the
      limit is kept. "pending"/"running": not extracted yet, so nothing is known of the file.
    - ``extracted_at``: when the stored result was written.

    Read them through ``extraction_known`` and ``hidden_parts_list``.
    """

    item = models.ForeignKey(
        Item, verbose_name="政府信息", on_delete=models.CASCADE, related_name="attachments"
    )
    # Files added by a pending revision stay hidden until the revision takes effect.
    revision = models.ForeignKey(
        ItemRevision,
        verbose_name="所属修订",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField("文件", upload_to=attachment_path)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    visible_text = models.TextField("可见文字", blank=True, default="")
    hidden_parts = models.JSONField("隐藏内容", blank=True, default=list)
    extraction_state = models.CharField(
        "文字提取状态", max_length=10, choices=TextState.choices, default=TextState.PENDING
    )
    extraction_limit = models.CharField("提取上限", max_length=20, blank=True, default="")
    extraction_started_at = models.DateTimeField("提取开始时间", null=True, blank=True)
    extracted_at = models.DateTimeField("提取时间", null=True, blank=True)
    extraction_attempts = models.PositiveSmallIntegerField("提取次数", default=0)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:attachment", args=[self.item_id, self.pk])

    @property
    def extraction_known(self) -> bool:
        """Whether visible_text and hidden_parts describe the file (False while pending/running)."""
        return self.extraction_state not in (TextState.PENDING, TextState.RUNNING)

    @property
    def hidden_parts_list(self) -> list[dict[str, str]]:
        """The hidden parts as a list of {"kind", "where", "text"} dicts of strings (see the class)."""
        parts = self.hidden_parts if isinstance(self.hidden_parts, list) else []
        return [
            {key: str(part.get(key, "")) for key in ("kind", "where", "text")}
            for part in parts
            if isinstance(part, dict)
        ]
