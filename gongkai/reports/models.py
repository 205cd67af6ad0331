from django.conf import settings
from django.db import models

from gongkai.reports.workflow import STATUS_LABELS, Status


class OpeningBalance(models.Model):
    """期初结转: the requests an agency carried into its first year on the platform (二、上年结转).

    Entered once per agency (gongkai.reports.services.opening_balance_set, audited): the previous
    year's published 四、结转下年度继续办理, per applicant column. It stands in for the derived
    二 of ``year`` (gongkai.reports.figures, docs/annual-report.md).
    """

    agency = models.OneToOneField(
        "organisation.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="opening_balance"
    )
    year = models.PositiveIntegerField("适用年度")
    values = models.JSONField("上年结转申请数量（按申请人类型）", default=dict)
    note = models.TextField("说明")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "期初结转"
        verbose_name_plural = "期初结转"

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年上年结转"


class AnnualReport(models.Model):
    """政府信息公开工作年度报告: one agency's report for one calendar year, as it is being written.

    ``status`` follows gongkai.reports.workflow (draft → 股室审核 → 保密审查 → 领导签发 → 已发布);
    ``text`` is the working copy of the text sections (gongkai.reports.sections.SECTION_KEYS →
    text). The figures are never stored here: they are derived from the records each time
    (gongkai.reports.figures) until a version is published, which freezes them.
    """

    agency = models.ForeignKey(
        "organisation.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveIntegerField("年度")
    status = models.CharField(
        "状态",
        max_length=20,
        choices=[(s.value, label) for s, label in STATUS_LABELS.items()],
        default="draft",
    )
    text = models.JSONField("文字部分", default=dict)
    return_reason = models.TextField("退回理由", blank=True)
    correction_note = models.TextField("更正说明", blank=True)
    item = models.ForeignKey(
        "catalogue.Item",
        verbose_name="公开目录中的信息",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annualreport_unique_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度政府信息公开工作年度报告"

    @property
    def title(self) -> str:
        return f"{self.agency.name}{self.year}年政府信息公开工作年度报告"

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status_enum]


class AnnualReportVersion(models.Model):
    """已发布版本: one published version of a report, frozen (figures and text as signed off).

    ``figures`` holds ``{"raw": {"table2", "table3", "table4"}, "json": as_json(figures)}`` (the
    fee amount as a decimal string in raw). Version 1 is the first publication; each correction is
    the next number, with its ``correction_note`` shown on the public page. Earlier versions stay.
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本")
    figures = models.JSONField("数据")
    text = models.JSONField("文字部分")
    correction_note = models.TextField("更正说明", blank=True)
    published_at = models.DateTimeField("发布时间")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "年度报告发布版本"
        verbose_name_plural = "年度报告发布版本"
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="annualreportversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report}（第{self.number}版）"


class YearlyFigures(models.Model):
    """年度统计数据: the figures of table 二 the platform holds no cases for, for one agency and year.

    Entered by the disclosure office (gongkai.reports.yearly_services.yearly_figures_set, audited), each
    with its source (rules in gongkai.reports.yearly). Read by gongkai.reports.table2; a year with
    no row counts 0 in every cell.
    """

    agency = models.ForeignKey(
        "organisation.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="yearly_figures"
    )
    year = models.PositiveIntegerField("年度")
    licensing_decisions = models.PositiveIntegerField("行政许可本年处理决定数量", default=0)
    licensing_source = models.CharField("行政许可来源说明", max_length=300, blank=True)
    penalty_decisions = models.PositiveIntegerField("行政处罚本年处理决定数量", default=0)
    penalty_source = models.CharField("行政处罚来源说明", max_length=300, blank=True)
    enforcement_decisions = models.PositiveIntegerField("行政强制本年处理决定数量", default=0)
    enforcement_source = models.CharField("行政强制来源说明", max_length=300, blank=True)
    fees_amount = models.DecimalField(
        "行政事业性收费本年收费金额（单位：万元）", max_digits=14, decimal_places=4, default=0
    )
    fees_source = models.CharField("行政事业性收费来源说明", max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "年度统计数据"
        verbose_name_plural = "年度统计数据"
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="yearlyfigures_unique_year"),
            models.CheckConstraint(
                condition=models.Q(fees_amount__gte=0), name="yearlyfigures_fees_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度统计数据"
