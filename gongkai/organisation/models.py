from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models

from gongkai.core.roles import ROLE_LABELS, Role
from gongkai.workdays.rules import RULE_SETS

agency_code_validator = RegexValidator(
    r"^[0-9A-Z]{9}$|^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$|^[0-9A-Z]{8}-[0-9A-Z]$",
    "机构代码须为18位统一社会信用代码或9位组织机构代码（大写字母与数字）。",
)


def rule_set_choices() -> list[tuple[str, str]]:
    """The request rule sets are data (gongkai.workdays.rules); a new variant needs no migration."""
    return [(code, rules.name) for code, rules in RULE_SETS.items()]


class Agency(models.Model):
    """机关: an agency publishing government information on the platform."""

    name = models.CharField("机关名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30)
    code = models.CharField(
        "机构代码",
        max_length=20,
        unique=True,
        validators=[agency_code_validator],
        help_text="统一社会信用代码或组织机构代码，用于生成索引号，设定后不宜更改。",
    )
    slug = models.SlugField("网址标识", max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    rule_set = models.CharField(
        "依申请公开规则", max_length=30, choices=rule_set_choices, default="national-2019"
    )
    address = models.CharField("办公地址", max_length=200, blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    phone = models.CharField("咨询电话", max_length=50, blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=50, blank=True)
    # The disclosure office's particulars: the 政府信息公开指南 and every letter's remedies sentence
    # are generated from these (条例 art. 12; 国办公开办函〔2021〕30号 指南 elements).
    disclosure_office = models.CharField(
        "受理机构", max_length=100, blank=True, help_text="依申请公开的受理机构，如“政务公开办公室”。"
    )
    postcode = models.CharField(
        "邮政编码",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "邮政编码应为6位数字。")],
    )
    fax = models.CharField("传真", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    reconsideration_body = models.CharField(
        "行政复议机关",
        max_length=100,
        blank=True,
        help_text="答复文书告知的行政复议机关；县级部门一般为本级人民政府，如“示范县人民政府”。",
    )
    court = models.CharField(
        "管辖法院",
        max_length=100,
        blank=True,
        help_text="答复文书告知的行政诉讼管辖法院，如“示范县人民法院”。",
    )
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """股室: a department (section) of an agency."""

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField("股室名称", max_length=100)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "股室"
        verbose_name_plural = "股室"
        ordering = ["agency", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="department_unique_name_per_agency"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """工作人员: a staff account, scoped to one agency and usually one department."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name="所属机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="所属股室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def role_set(self) -> frozenset[Role]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(Role(r.role) for r in self.roles.all())
            self._role_cache = cached
        return cached

    def has_role(self, *roles: Role) -> bool:
        return bool(self.role_set() & set(roles))

    @property
    def is_agency_staff(self) -> bool:
        return self.is_active and self.agency_id is not None and bool(self.role_set())


class StaffRole(models.Model):
    """角色: a role held by a staff member within their agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=20, choices=[(r.value, ROLE_LABELS[r]) for r in Role])

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="staffrole_unique")]

    def __str__(self) -> str:
        return ROLE_LABELS[Role(self.role)]
