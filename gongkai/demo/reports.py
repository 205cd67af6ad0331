"""The demo's annual reports: a year of requests in the last full year, the county above the two
agencies, and each agency's report for that year (one published, one in review).

Everything goes through the services staff use: requests through the intake and the handling
services (gongkai.demo.requests' Plan), reports through gongkai.reports.services.
"""

from __future__ import annotations

import datetime
from typing import Self

from django.utils import timezone

from gongkai.applications.models import Appeal, Channel
from gongkai.catalogue.services import categories_seed_defaults
from gongkai.core.roles import Role
from gongkai.demo.cast import Cast
from gongkai.demo.requests import Plan, _civil_affairs, _hrss
from gongkai.organisation.models import Agency, StaffRole, User
from gongkai.reports import services as report_services
from gongkai.reports.models import AnnualReport
from gongkai.reports.workflow import Action

W, P, F = Channel.WINDOW, Channel.POST, Channel.FAX
R, LD = Appeal.Kind.RECONSIDERATION, Appeal.Kind.LITIGATION_DIRECT
MAINTAINED, CORRECTED, PENDING = Appeal.Result.MAINTAINED, Appeal.Result.CORRECTED, Appeal.Result.PENDING

COUNTY = {
    "slug": "county",
    "name": "示范县人民政府办公室（演示）",
    "short_name": "县政府办",
    "code": "11441234MB2C00000X",
    # The generated 政府信息公开指南 reads these (gongkai.organisation.guide.GUIDE_ELEMENTS).
    "address": "示范县人民路1号县政府大院（演示）",
    "office_hours": "工作日 8:30-12:00，14:30-17:30",
    "phone": "0759-0000021（演示）",
    "complaint_phone": "0759-0000022（演示）",
    "disclosure_office": "政务公开办公室",
    "postcode": "512000",
    "fax": "0759-0000023（传真，演示）",
    "email": "gongkai@county.example.gov.cn",
    "reconsideration_body": "示范县人民政府",
    "court": "示范县人民法院",
}
COUNTY_ACCOUNTS = (("county-office", Role.OFFICE, "政务公开办"), ("county-leader", Role.LEADER, "分管领导"))


class YearPlan(Plan):
    """A Plan whose cases are placed by their received date in the last full year."""

    year: int  # the report year

    @classmethod
    def covering(cls, year: int) -> Self:
        """A plan for ``year`` whose working days reach back to its 1 January."""
        plan = cls.starting_today()
        days = (plan.today - datetime.date(year, 1, 1)).days + 1
        past = [plan.today - datetime.timedelta(days=i) for i in range(max(days, 400))]
        plan.past = [d for d in past if plan.calendar.is_workday(d)]
        plan.year = year
        return plan

    def on(self, cast: Cast, applicant: str, channel: str, month: int, day: int, description: str):
        """A case received on the first working day on or after (month, day) of the report year."""
        received = datetime.date(self.year, month, day)
        while not self.calendar.is_workday(received):
            received += datetime.timedelta(days=1)
        return self.case(cast, applicant, channel, self.past.index(received), description)

    def fits(self, case, days: int) -> bool:
        """Whether a step ``days`` working days after receipt is not in the future."""
        return self.calendar.add(case.received, days) <= self.today


def _hrss_year(p: YearPlan, c: Cast) -> None:
    y = p.year
    p.on(c, "zhang", W, 1, 8, f"{y}年度城乡居民基本养老保险缴费档次").forward(1).reply("disclosed", 8)
    p.on(c, "kexue", P, 1, 15, f"{y}年度职称评审工作安排及评审委员会组成").forward(1).reply("partial", 12)
    p.on(c, "lvshi", F, 2, 20, f"示范某公司{y - 1}年劳动保障监察案件的全部案卷材料").forward(1).reply(
        "nd_enforcement_file", 14
    ).appeal(R, MAINTAINED, 20, 60, "复议机关维持原答复（演示）")
    p.on(c, "li", W, 3, 3, "县人民武装部兵员征集计划中的涉密内容").forward(1).reply("nd_state_secret", 10)
    p.on(c, "gongyi", P, 3, 10, "某企业职工个人社保缴费明细（他人信息）").forward(1).reply(
        "nd_law_forbids", 12
    )
    p.on(c, "keji", F, 3, 17, "示范商贸有限公司（演示）申报材料中的经营数据").forward(1).reply(
        "nd_third_party", 15
    ).appeal(LD, PENDING, 30)
    p.on(c, "zheng", W, 4, 7, "局机关内部考勤和值班安排").forward(1).reply("nd_internal_affairs", 9)
    p.on(c, "li", P, 4, 14, "局党组会议关于干部调整的讨论记录").forward(1).reply("nd_process_info", 11)
    p.on(c, "sun", W, 4, 21, "本人亲属的社会保险参保档案").forward(1).reply("nd_query_matter", 6)
    p.on(c, "wang", P, 5, 6, "1998年县劳动局企业改制批复").forward(1).reply("cp_not_held", 12).appeal(
        R, CORRECTED, 15, 50, "复议机关责令重新检索后答复（演示）"
    )
    p.on(c, "huang", W, 5, 13, "按年龄段和学历统计的全县失业人员结构分析").forward(1).reply(
        "cp_needs_creation", 10
    )
    p.on(c, "zhao", W, 5, 20, "有关工资的文件").correction(3).corrected(8).forward(9).reply(
        "cp_still_unclear", 18
    )
    p.on(c, "chen", W, 6, 3, "反映某工地拖欠工资，要求查处").forward(1).reply("np_petition", 5)
    p.on(c, "zhang", W, 6, 10, f"{y}年度城乡居民基本养老保险缴费档次").forward(1).reply("np_repeated", 3)
    p.on(c, "lin", P, 6, 17, f"《示范县统计年鉴{y - 1}》劳动就业篇").forward(1).reply("np_publication", 4)
    p.on(c, "geti", W, 7, 1, "2000年以来全部企业社保缴费记录等一百余项信息").forward(1).reply(
        "np_excessive", 14
    )
    p.on(c, "sun", W, 7, 8, "要求重新出具已获取的参保证明并加盖公章").forward(1).reply(
        "np_confirm_or_reissue", 6
    )
    p.on(c, "zhao", P, 8, 5, "本人档案中的材料").correction(4).lapse(18)
    p.on(c, "hezuo", W, 9, 16, "村集体经济组织参加工伤保险的政策依据").forward(1).reply("other", 9)
    p.on(c, "kexue", P, 10, 14, f"{y}年度专业技术人员继续教育基地名单").forward(1).reply("disclosed", 9)
    p.on(c, "hezuo", F, 11, 4, f"本村{y}年度城乡居民养老保险缴费补贴发放情况").forward(1).reply(
        "disclosed", 8
    )
    p.on(c, "gongyi", P, 11, 18, f"{y}年度县级创业担保贷款贴息资金拨付明细").forward(1).reply("partial", 13)
    p.on(c, "shangmao", P, 11, 25, f"{y}年度稳岗返还资金发放名单").forward(1).reply("disclosed", 10)
    # Received in late December: carried into the next year, answered in January when that has come.
    late = p.on(c, "zhou", P, 12, 22, f"{y}年第四季度城镇新增就业人数").forward(1)
    if p.fits(late, 9):
        late.reply("disclosed", 9)
    p.on(c, "alex", W, 12, 29, "外国人来华工作许可办理数量统计").forward(1)


def _civil_affairs_year(p: YearPlan, c: Cast) -> None:
    y = p.year
    p.on(c, "zhou", W, 1, 13, f"{y}年度城乡低保标准和特困人员供养标准").forward(1).reply("disclosed", 6)
    p.on(c, "gongyi", P, 2, 24, f"{y}年度福利彩票公益金使用计划").forward(1).reply("disclosed", 10)
    p.on(c, "hezuo", F, 3, 24, f"本村{y}年度低保对象名单").forward(1).reply("partial", 13).appeal(
        R, MAINTAINED, 20, 55, "复议机关维持原答复（演示）"
    )
    p.on(c, "kexue", P, 4, 21, "全县养老机构床位数及入住率").forward(1).reply("disclosed", 9)
    p.on(c, "li", W, 5, 19, "某养老院投资人的个人财产情况").forward(1).reply("nd_third_party", 12)
    p.on(c, "wang", P, 6, 16, "1990年代的婚姻登记原始档案目录").forward(1).reply("cp_not_held", 10)
    p.on(c, "keji", F, 7, 14, "按乡镇、年龄、残疾等级交叉统计的残疾人补贴人数").forward(1).reply(
        "cp_needs_creation", 12
    )
    p.on(c, "chen", W, 8, 18, "反映某社会组织违规收费，要求查处").forward(1).reply("np_petition", 5)
    p.on(c, "sun", W, 9, 15, "本人婚姻登记档案").forward(1).reply("nd_query_matter", 5)
    p.on(c, "lvshi", F, 10, 20, f"{y}年度社会组织年检结果").forward(1).reply("disclosed", 8)
    p.on(c, "shangmao", P, 11, 17, f"{y}年度临时救助资金发放情况").forward(1).reply("partial", 14)
    p.on(c, "huang", W, 12, 8, "殡葬服务收费项目和标准").forward(1).reply("disclosed", 7)


def build_all_requests(casts: dict[str, Cast]) -> int:
    """The demo's year of requests (gongkai.demo.requests) plus requests received in the last full
    year, in one plan: every step runs in date order, so letters are numbered in date order.
    Returns how many requests were created."""
    year = timezone.localdate().year - 1
    plan = YearPlan.covering(year)
    _hrss(plan, casts["hrss"])
    _civil_affairs(plan, casts["civil-affairs"])
    _hrss_year(plan, casts["hrss"])
    _civil_affairs_year(plan, casts["civil-affairs"])
    return plan.run()


def build_county(password: str, agencies: list[Agency]) -> Agency:
    """The county government's office above the demo agencies (the roll-up's viewer)."""
    county = Agency.objects.create(order=9, **COUNTY)
    categories_seed_defaults(agency=county)
    for agency in agencies:
        agency.parent = county
        agency.save(update_fields=["parent"])
    for username, role, title in COUNTY_ACCOUNTS:
        user = User(username=username, full_name=f"县政府办{title}（演示）", agency=county)
        user.set_password(password)
        user.save()
        StaffRole.objects.create(user=user, role=role)
    return county


DEMO_TEXT = {
    "hrss": {
        "management": (
            "严格执行公开前保密审查，全年审查拟公开信息并逐条标注有效性；"
            "清理规范性文件，废止不再适用的文件1件（演示）。"
        ),
        "platform": "政务公开专栏按法定主动公开内容设置栏目，新增办事指南栏目，适老化大字模式上线（演示）。",
        "supervision": (
            "调整政务公开领导小组，开展业务培训2次，将政务公开纳入股室年度考核，未发生责任追究情况（演示）。"
        ),
        "problems": (
            "一是部分栏目更新不够及时；二是依申请公开答复文书格式仍不统一。"
            "改进措施：建立栏目更新台账，统一使用平台生成的告知书。"
            "上一年度报告所列“办事指南要素不全”问题，已于本年上半年逐项补齐（演示）。"
        ),
        "other": (
            "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度未收取信息处理费。"
            "无上级要求报告的其他事项（演示）。"
        ),
    },
    "civil-affairs": {
        "management": "落实公开前保密审查，涉及个人信息的低保名单按规定去标识化后公开（演示）。",
        "platform": "维护政务公开专栏，社会救助政策集中公开，按月检查链接可用情况（演示）。",
        "supervision": "明确分管领导为第一责任人，政务公开纳入年度考核，组织培训1次（演示）。",
        "problems": (
            "存在的问题：社会救助信息公开的及时性有待提高。改进措施：每月5日前更新救助资金发放情况。"
            "上一年度所列“答复时限偏长”问题，本年通过提前转办已整改（演示）。"
        ),
        "other": (
            "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度未收取信息处理费。"
            "本年度行政事业性收费为殡葬服务收费1.28万元，已在第二部分列明（演示）。"
        ),
    },
}


def _write(report: AnnualReport, cast: Cast) -> AnnualReport:
    text = {}
    for key, value in report.text.items():
        text[key] = value.split("【")[0].strip() + ("（演示）" if key in ("proactive", "on_request") else "")
    text.update(DEMO_TEXT[report.agency.slug])
    return report_services.report_save_text(actor=cast["office"], report=report, text=text)


CHAIN = (("office", Action.SUBMIT), ("head", Action.DEPT_APPROVE), ("secrecy", Action.SECRECY_APPROVE))


def build_reports(casts: dict[str, Cast]) -> list[AnnualReport]:
    """Each agency's report for the last full year: 县人社局 published, 县民政局 at leader sign-off."""
    year = timezone.localdate().year - 1
    reports = []
    for slug, publish in (("hrss", True), ("civil-affairs", False)):
        cast = casts[slug]
        report = report_services.report_create(actor=cast["office"], agency=cast.agency, year=year)
        report = _write(report, cast)
        for who, action in CHAIN:
            report = report_services.report_transition(actor=cast[who], report=report, action=action)
        if publish:
            report = report_services.report_transition(
                actor=cast["leader"], report=report, action=Action.LEADER_SIGN
            )
        reports.append(report)
    return reports
