from django.conf import settings
from django.db import models


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
