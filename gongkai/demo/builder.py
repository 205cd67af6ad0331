"""The demo platform: a county with two agencies, staff in every role, the five
seed documents imported and published, and items in every review state.

Everything is made with the same services staff use, so the demo exercises the
real workflow. All of it is marked 演示 (demo).
"""

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.applications.identity import make_resident_id
from gongkai.catalogue import services
from gongkai.catalogue.models import Category, Item
from gongkai.catalogue.workflow import Action
from gongkai.core.review_findings import Decision
from gongkai.core.roles import ROLE_LABELS, Role
from gongkai.demo.cast import Cast
from gongkai.demo.reports import COUNTY_ACCOUNTS, build_all_requests, build_county, build_reports
from gongkai.documents.render import Letter, render_pdf
from gongkai.documents.workbooks import workbook_bytes
from gongkai.importing.services import document_import
from gongkai.organisation.models import Agency, Department, StaffRole, User
from gongkai.reports.yearly_services import yearly_figures_set

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"
DEMO_MARK = "演示数据"


@dataclass(frozen=True)
class AgencySpec:
    slug: str
    name: str
    short_name: str
    code: str
    rule_set: str
    prefix: str
    departments: tuple[str, ...]
    address: str
    phone: str
    complaint_phone: str
    seeds: tuple[str, ...]


AGENCIES = (
    AgencySpec(
        slug="hrss",
        name="示范县人力资源和社会保障局（演示）",
        short_name="县人社局",
        code="11441234MB2C00001A",
        rule_set="seed-local",
        prefix="hrss",
        departments=("办公室", "就业促进股", "社会保险股", "劳动关系股", "人事人才股"),
        address="示范县人民路1号政务服务中心二楼",
        phone="0759-0000001（演示）",
        complaint_phone="0759-0000002（演示）",
        seeds=("000", "001", "002", "004"),
    ),
    AgencySpec(
        slug="civil-affairs",
        name="示范县民政局（演示）",
        short_name="县民政局",
        code="11441234MB2C00002B",
        rule_set="national-2019",
        prefix="mz",
        departments=("办公室", "社会救助股", "社会事务股", "基层政权股"),
        address="示范县建设路8号",
        phone="0759-0000011（演示）",
        complaint_phone="0759-0000012（演示）",
        seeds=("003",),
    ),
)

ROLE_ACCOUNTS = (
    ("clerk", Role.CLERK, "经办人"),
    ("head", Role.DEPT_HEAD, "股长"),
    ("secrecy", Role.SECRECY_REVIEWER, "保密员"),
    ("leader", Role.LEADER, "分管领导"),
    ("office", Role.OFFICE, "公开办"),
    ("group", Role.LEADING_GROUP, "领导小组"),
    ("supervisor", Role.SUPERVISOR, "监督员"),
    ("admin", Role.ADMIN, "管理员"),
    ("secadmin", Role.SECURITY_ADMIN, "安全保密管理员"),
    ("auditor", Role.AUDITOR, "安全审计员"),
)


@dataclass
class DemoResult:
    created: bool
    password: str
    accounts: list[tuple[str, str, str]]


def _password_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-password"


def _demo_password() -> str:
    path = _password_file()
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    password = "demo-" + secrets.token_urlsafe(9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password, encoding="utf-8")
    path.chmod(0o600)
    return password


def _accounts() -> list[tuple[str, str, str]]:
    rows = [("admin", "系统管理员（Django 后台 /admin/）", "")]
    for spec in AGENCIES:
        for key, role, _ in ROLE_ACCOUNTS:
            rows.append((f"{spec.prefix}-{key}", f"{spec.short_name} · {ROLE_LABELS[role]}", ""))
    rows.extend(
        (username, f"县政府办 · {ROLE_LABELS[role]}（年报汇总）", "") for username, role, _ in COUNTY_ACCOUNTS
    )
    return rows


def _make_cast(spec: AgencySpec, password: str) -> Cast:
    agency = Agency.objects.create(
        slug=spec.slug,
        name=spec.name,
        short_name=spec.short_name,
        code=spec.code,
        rule_set=spec.rule_set,
        address=spec.address,
        office_hours="工作日 8:30-12:00，14:30-17:30",
        phone=spec.phone,
        complaint_phone=spec.complaint_phone,
        disclosure_office="政务公开办公室",
        postcode="512000",
        fax=spec.phone.replace("（演示）", "") + "（传真，演示）",
        email=f"gongkai@{spec.slug}.example.gov.cn",
        reconsideration_body="示范县人民政府",
        court="示范县人民法院",
        order=AGENCIES.index(spec),
    )
    services.categories_seed_defaults(agency=agency)
    departments = [
        Department.objects.create(agency=agency, name=name, order=i)
        for i, name in enumerate(spec.departments)
    ]
    business = departments[1]
    cast = Cast(agency=agency, department=business)
    for key, role, title in ROLE_ACCOUNTS:
        department = business if role in (Role.CLERK, Role.DEPT_HEAD) else departments[0]
        user = User(
            username=f"{spec.prefix}-{key}",
            full_name=f"{spec.short_name}{title}（演示）",
            agency=agency,
            department=department,
        )
        user.set_password(password)
        user.save()
        StaffRole.objects.create(user=user, role=role)
        cast.people[key] = user
    return cast


# The demo's reviewer and leader have checked the warnings (e.g. the office phone in a service guide).
DEMO_DECISION = Decision(confirmed=True, note="演示数据：已核对联系电话、地址等均为机关公开信息")


def _advance(cast: Cast, item: Item, *, to: str) -> Item:
    chain = [
        ("dept_review", "clerk", Action.SUBMIT),
        ("secrecy_review", "head", Action.DEPT_APPROVE),
        ("leader_review", "secrecy", Action.SECRECY_APPROVE),
        ("published", "leader", Action.LEADER_SIGN),
        ("filed", "office", Action.FILE),
    ]
    for _state, who, action in chain:
        if item.status == to:
            break
        item = services.item_transition(actor=cast[who], item=item, action=action, decision=DEMO_DECISION)
    return item


def _category(cast: Cast, name: str) -> Category:
    return Category.objects.get(agency=cast.agency, name=name)


def _draft(cast: Cast, title: str, body: str, category: str, **fields) -> Item:
    return services.item_create(
        actor=cast["clerk"],
        agency=cast.agency,
        department=cast.department,
        category=_category(cast, category),
        title=title,
        body=body,
        source_note=DEMO_MARK,
        **fields,
    )


def _import_seeds(cast: Cast, seeds: tuple[str, ...]) -> None:
    for prefix in seeds:
        path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
        result = document_import(
            actor=cast["clerk"], agency=cast.agency, path=path, department=cast.department
        )
        if result.error or result.item is None:
            raise RuntimeError(f"demo seed {path.name}: {result.error}")
        _advance(cast, result.item, to="filed")


def _form_pdf() -> bytes:
    """A real one-page PDF form, so the demo's attachment opens and its text is searchable."""
    return render_pdf(
        Letter(
            title="就业困难人员认定申请表",
            number="（演示）",
            recipient="申请人填写：",
            paragraphs=(
                "姓名、身份证号码、户籍地址、联系电话。",
                "申请认定的类别：大龄失业人员、残疾人、零就业家庭成员等。",
            ),
            issuer="示范县人力资源和社会保障局（演示）",
            issued_on=datetime.date(2026, 1, 5),
        )
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _statistics_xlsx(agency_name: str) -> bytes:
    """A statistics table with a hidden sheet and hidden rows of (fictitious) personal data.

    Its properties name the agency that made it, as a real office's file would (not the library)."""
    book = openpyxl.Workbook()
    table = book.active
    assert isinstance(table, Worksheet)  # a new workbook starts with one worksheet
    table.title = "汇总"
    table.append(["指标", "本季度", "同比"])
    table.append(["城镇新增就业（人）", 1260, "3.2%"])
    table.append(["失业人员再就业（人）", 415, "1.8%"])
    table.append(["备注：核对用", "李演示", make_resident_id(datetime.date(1988, 3, 9), seq=217)])
    table.row_dimensions[4].hidden = True
    names = book.create_sheet("核对名单")
    names.append(["姓名", "身份证号码", "联系电话"])
    names.append(["赵演示", make_resident_id(datetime.date(1979, 11, 2), seq=35), "13900139000"])
    names.append(["钱演示", make_resident_id(datetime.date(1992, 6, 21), seq=48), "13700137000"])
    names.sheet_state = "hidden"
    return workbook_bytes(book, title="2026年第三季度就业统计表", agency=agency_name, when=timezone.now())


def _service_guide(cast: Cast) -> Item:
    body = (
        "<h2>办理依据</h2><p>《就业服务与就业管理规定》等（演示）。</p>"
        "<h2>申请条件</h2><p>本县户籍、在法定劳动年龄内、有劳动能力和就业意愿的失业人员。</p>"
        "<h2>申请材料</h2><ol><li>居民身份证原件及复印件；</li><li>就业创业证；</li><li>申请表（窗口领取）。</li></ol>"
        "<h2>办理地点</h2><p>县政务服务中心人社窗口。</p>"
        "<h2>办理时限</h2><p>法定时限20个工作日，承诺时限5个工作日。</p>"
        "<h2>收费标准</h2><p>不收费。</p><p>（本办事指南为演示数据。）</p>"
    )
    item = _draft(cast, "就业困难人员认定办事指南", body, "行政许可和服务事项", genre="guide")
    upload = SimpleUploadedFile("就业困难人员认定申请表.pdf", _form_pdf(), content_type="application/pdf")
    services.attachment_add(actor=cast["clerk"], item=item, upload=upload)
    return _advance(cast, item, to="published")


def _states(cast: Cast) -> None:
    """A handful of items in every other state, so the workbench has work to show."""

    def body(text: str) -> str:
        return f"<p>{text}</p><p>（演示数据）</p>"

    _draft(cast, "2026年度高校毕业生就业见习计划（草稿）", body("草拟中的见习计划。"), "规划计划")
    _advance(
        cast,
        _draft(cast, "关于调整城乡居民基础养老金标准的通知", body("待股室审核。"), "法规文件"),
        to="dept_review",
    )
    statistics = _draft(
        cast,
        "2026年第三季度就业统计数据",
        body("待保密审查。统计口径说明可询问经办人王演示（电话13800138000）。"),
        "统计信息",
    )
    # A table whose hidden sheet and hidden rows still hold names, ID and phone numbers: what the
    # confidentiality review is warned about before sign-off (issue 10).
    workbook = _statistics_xlsx(cast.agency.name)
    upload = SimpleUploadedFile("2026年第三季度就业统计表.xlsx", workbook, content_type=XLSX)
    services.attachment_add(actor=cast["clerk"], item=statistics, upload=upload)
    _advance(cast, statistics, to="secrecy_review")
    _advance(
        cast,
        _draft(cast, "失业保险金申领办事指南（修订稿）", body("待领导签发。"), "行政许可和服务事项"),
        to="leader_review",
    )
    returned = _advance(
        cast,
        _draft(cast, "劳动保障监察投诉处理流程", body("需补充时限。"), "办事程序和时限"),
        to="dept_review",
    )
    services.item_transition(
        actor=cast["head"],
        item=returned,
        action=Action.RETURN,
        reason="请补充各环节的办理时限，并写明投诉电话。",
    )
    withdrawn = _advance(
        cast, _draft(cast, "关于举办招聘会的公告（已撤回）", body("已撤回。"), "其他"), to="published"
    )
    services.item_transition(
        actor=cast["office"],
        item=withdrawn,
        action=Action.WITHDRAW,
        reason="招聘会延期举办，原公告撤回，另行发布。",
    )
    nd = _draft(cast, "劳动争议案件当事人名单", body("涉及个人隐私。"), "行政执法")
    services.item_transition(
        actor=cast["clerk"],
        item=nd,
        action=Action.PROPOSE_NONDISCLOSURE,
        reason="涉及个人隐私，依据《政府信息公开条例》第十五条不予公开。",
    )
    nd2 = _draft(cast, "内部审计工作底稿", body("过程性信息。"), "其他")
    nd2 = services.item_transition(
        actor=cast["clerk"],
        item=nd2,
        action=Action.PROPOSE_NONDISCLOSURE,
        reason="属于内部过程性信息，依据《政府信息公开条例》第十六条不予公开。",
    )
    services.item_transition(actor=cast["group"], item=nd2, action=Action.APPROVE_NONDISCLOSURE)
    _advance(
        cast,
        _draft(
            cast,
            "机关干部职工年度考勤与休假安排",
            body("本机关内部公开（第八条）。"),
            "人事",
            scope="internal",
        ),
        to="published",
    )
    repealed = _advance(
        cast,
        _draft(
            cast,
            "关于印发社会保险费缴费基数核定办法的通知",
            body("已被新文件替代。"),
            "法规文件",
            document_number="示人社〔2019〕3号（演示）",
        ),
        to="filed",
    )
    services.item_set_validity(
        actor=cast["office"], item=repealed, validity="repealed", note="已被示人社〔2025〕8号（演示）废止"
    )
    guide = _service_guide(cast)
    services.revision_save(
        actor=cast["clerk"],
        item=guide,
        note="更新承诺时限",
        body=guide.body.replace("承诺时限5个工作日", "承诺时限3个工作日"),
    )


# Table 二 of the annual report: 行政规范性文件 per agency (county bureaus make no 规章: 立法法
# art. 93 gives that power to provincial and districted-city governments, and reviewers flag a
# county bureau reporting 规章): (title, 文号 pattern, (month, day) written, (month, day) in force)
# in the last full year; a 施行 day before the written day falls in the year after.
NORMATIVE_DOCS = {
    "hrss": (
        ("关于印发示范县就业困难人员认定和援助办法的通知", "示人社规〔{y}〕1号", (3, 15), (4, 15)),
        ("关于规范城乡居民养老保险待遇领取资格确认工作的通知", "示人社规〔{y}〕2号", (11, 20), (1, 1)),
    ),
    "civil-affairs": (("关于印发示范县最低生活保障审核确认办法的通知", "示民规〔{y}〕1号", (5, 8), (6, 1)),),
}
# What a document says of itself before its 施行 sentence (its purpose and basis), by title.
NORMATIVE_PREAMBLE = {
    "关于印发示范县最低生活保障审核确认办法的通知": (
        "为规范最低生活保障（低保）审核确认工作，根据《社会救助暂行办法》和民政部《最低生活保障审核确认办法》，"
        "结合本县实际，制定本办法。低保申请由申请人向户籍所在地乡镇人民政府（街道办事处）提出，"
        "经家庭经济状况调查、民主评议和审核确认后，按月发放低保金。"
    ),
}
# The last full year's yearly figures (行政许可、行政处罚、行政强制、行政事业性收费), with sources.
YEARLY_DEMO: dict[str, dict[str, int | str]] = {
    "hrss": {
        "licensing_decisions": 214,
        "licensing_source": "县政务服务中心审批系统导出的人社窗口办件数（演示）",
        "penalty_decisions": 6,
        "penalty_source": "劳动保障监察行政处罚案件台账（演示）",
        "enforcement_decisions": 0,
        "enforcement_source": "",
        "fees_amount": "0",
        "fees_source": "",
    },
    "civil-affairs": {
        "licensing_decisions": 12,
        "licensing_source": "社会组织登记审批台账（演示）",
        "penalty_decisions": 1,
        "penalty_source": "社会组织执法案件台账（演示）",
        "enforcement_decisions": 0,
        "enforcement_source": "",
        "fees_amount": "1.2800",
        "fees_source": "财务股殡葬服务收费台账（演示，单位：万元）",
    },
}


def _table2_demo(cast: Cast) -> None:
    """Table 二 material for the last full year: 行政规范性文件 with 文号, 成文日期 and 施行日期 (one
    taking effect on 1 January of the current year, so it is issued but not yet in force at the
    year's end), one older document repealed during that year, and the yearly figures.

    Built with the staff services; REPORT's demo reports read it through gongkai.reports.table2.
    """
    year = timezone.localdate().year - 1
    slug = cast.agency.slug

    def normative(title: str, number: str, written: datetime.date, effective: datetime.date) -> Item:
        preamble = f"<p>{NORMATIVE_PREAMBLE[title]}</p>" if title in NORMATIVE_PREAMBLE else ""
        item = _draft(
            cast,
            title,
            f"<p>{title}（演示数据）。</p>{preamble}<p>本文件自{effective:%Y年%-m月%-d日}起施行。</p>",
            "法规文件",
            genre="notice",
            document_type="normative",
            document_number=number,
            written_on=written,
            effective_on=effective,
        )
        return _advance(cast, item, to="filed")

    for title, number, (wm, wd), (em, ed) in NORMATIVE_DOCS[slug]:
        written = datetime.date(year, wm, wd)
        effective = datetime.date(year if (em, ed) >= (wm, wd) else year + 1, em, ed)
        normative(title, number.format(y=year), written, effective)
    if slug == "hrss":
        old = normative(
            "关于调整失业保险金发放标准的通知",
            f"示人社规〔{year - 2}〕3号",
            datetime.date(year - 2, 6, 1),
            datetime.date(year - 2, 7, 1),
        )
        services.item_set_validity(
            actor=cast["office"],
            item=old,
            validity="repealed",
            note=f"已被示人社规〔{year}〕1号（演示）废止",
            changed_on=datetime.date(year, 4, 15),
        )
    demo = YEARLY_DEMO[slug]
    values: dict[str, object] = {**demo, "fees_amount": Decimal(demo["fees_amount"])}
    yearly_figures_set(actor=cast["office"], agency=cast.agency, year=year, values=values)


class DemoRefused(Exception):
    """The demo may not be built here; ``message`` (Chinese) says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def demo_refusal() -> str | None:
    """Why the demo must not be built into this database, or None.

    The demo resets the ``admin`` account to a printed password and adds staff accounts that all
    share it: never on production settings (GONGKAI_REQUIRE_SECRET), never into a database that
    already holds agencies or users of its own (the demo is built only into an empty one, in one
    transaction, so a half-built demo cannot exist).
    """
    if settings.GONGKAI_REQUIRE_SECRET:
        return "已启用生产配置（GONGKAI_REQUIRE_SECRET），不能载入演示数据。"
    agencies, users = Agency.objects.count(), User.objects.count()
    if agencies or users:
        return (
            f"数据库中已有{agencies}个机关、{users}个账号（不是演示数据），拒绝载入演示数据："
            "演示会重置 admin 的密码并添加共用密码的账号。请使用空数据库（开发环境可先运行 make clean）。"
        )
    return None


@transaction.atomic
def build_demo() -> DemoResult:
    """Create the demo platform once; later runs leave it as it is.

    Raises DemoRefused (nothing written) when ``demo_refusal()`` gives a reason.
    """
    if Agency.objects.filter(slug=AGENCIES[0].slug).exists():
        return DemoResult(created=False, password=_demo_password(), accounts=_accounts())
    if (refusal := demo_refusal()) is not None:
        raise DemoRefused(refusal)
    password = _demo_password()
    admin = User.objects.filter(username="admin").first() or User(username="admin", full_name="系统管理员")
    admin.is_staff = admin.is_superuser = True
    admin.set_password(password)
    admin.save()
    casts = {}
    for spec in AGENCIES:
        # The 政府信息公开指南 is generated from the agency's settings (/agencies/<slug>/guide/):
        # no hand-written guide item that could drift from them.
        cast = casts[spec.slug] = _make_cast(spec, password)
        _import_seeds(cast, spec.seeds)
        if spec.slug == "hrss":
            _states(cast)
        _table2_demo(cast)
    # The year of requests, with the last full year's for the annual reports.
    build_all_requests(casts)
    # The annual reports for the last full year, and the county that rolls them up.
    build_county(password, [cast.agency for cast in casts.values()])
    build_reports(casts)
    return DemoResult(created=True, password=password, accounts=_accounts())
