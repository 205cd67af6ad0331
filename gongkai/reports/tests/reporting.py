"""Helpers for the report tests: a report with its text written, moved along the chain."""

from gongkai.reports import services
from gongkai.reports.models import AnnualReport
from gongkai.reports.workflow import Action

WRITTEN = {
    "management": "落实公开前保密审查制度，全年审查拟公开信息并标注有效性。",
    "platform": "维护政务公开专栏，按月检查栏目更新和链接可用情况。",
    "supervision": "调整政务公开领导小组，组织业务培训两次，将政务公开纳入年度考核。",
    "problems": "存在的问题：部分栏目更新不够及时。改进措施：建立栏目更新台账。上年度问题已整改完毕。",
}


def write_text(report: AnnualReport, actor, **overrides) -> AnnualReport:
    """Replace the draft's 【…】 prompts with written text, keeping the generated figure sentences."""
    text = {}
    for key, value in report.text.items():
        kept = value.split("【")[0].strip()
        text[key] = WRITTEN.get(key, kept or "已按要求开展相关工作。")
    text["other"] = "依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。"
    text.update(overrides)
    return services.report_save_text(actor=actor, report=report, text=text)


def new_report(team, year: int) -> AnnualReport:
    report = services.report_create(actor=team.office, agency=team.agency, year=year)
    return write_text(report, team.office)


STEPS = {
    "draft": ("office", Action.SUBMIT),
    "returned": ("office", Action.SUBMIT),
    "dept_review": ("dept_head", Action.DEPT_APPROVE),
    "secrecy_review": ("secrecy", Action.SECRECY_APPROVE),
    "leader_review": ("leader", Action.LEADER_SIGN),
}


def advance(team, report: AnnualReport, *, to: str) -> AnnualReport:
    while report.status != to and report.status in STEPS:
        who, action = STEPS[report.status]
        report = services.report_transition(actor=getattr(team, who), report=report, action=action)
    assert report.status == to, f"stuck at {report.status}"
    return report


def case(agency, received, replied=None, outcome="disclosed", name="张三"):
    """A concluded case row, as the request services leave it (for figures and drill-down)."""
    from gongkai.applications.models import Application

    return Application.objects.create(
        agency=agency,
        channel="window",
        received_on=received,
        applicant_type="natural",
        name=name,
        phone="13912345678",
        description="某项政府信息",
        medium="paper",
        delivery="pickup",
        status="replied" if replied else "forwarded",
        outcome=outcome if replied else "",
        replied_on=replied,
    )
