"""A year of demo requests for disclosure (依申请公开) in both demo agencies.

Every request is made with the services staff use: the office registers the window, post and fax
requests with their past received dates, online requests arrive today, and each later step is
recorded with its own past date (``on=``), so the request clock, the letters (dated and numbered on
the day of the step) and the workbench queues all show a consistent history.

The cases are written as small scripts (``Plan.case(...).forward(1).reply("disclosed", 9)``), with
every date given in working days after the received date. The steps of all cases are then run in
date order, so letter numbers follow the calendar as they would in a real register. Two kinds of
step can only happen today, because their services take no date: extension requests and decisions,
and closing a request whose fee was not paid.

Every applicant is fictional and marked 演示; phone numbers are 1380000xxxx.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from django.utils import timezone

from gongkai.applications import intake, services
from gongkai.applications.identity import make_credit_code, make_resident_id
from gongkai.applications.models import (
    DELIVERY_METHOD_FOR_WAY,
    Appeal,
    ApplicantType,
    Application,
    Channel,
    DeliveryMethod,
    DeliveryWay,
    IdType,
    Medium,
    NoticeKind,
    OrgType,
    Satisfaction,
)
from gongkai.applications.outcomes import outcome
from gongkai.applications.workflow import Action
from gongkai.demo.cast import Cast
from gongkai.workdays.calendar import WorkCalendar
from gongkai.workdays.selectors import current_calendar

date = datetime.date

# ---------------------------------------------------------------- applicants (all fictional)

ADDRESS = "示范县人民路{n}号（演示）"


def _natural(name: str, n: int, id_type: str = IdType.RESIDENT_ID, id_number: str = "", **extra) -> dict:
    if id_type == IdType.RESIDENT_ID and not id_number:
        id_number = make_resident_id(date(1960 + 3 * n, 1 + n % 12, 1 + (7 * n) % 28), area="449900", seq=n)
    return {
        "applicant_type": ApplicantType.NATURAL,
        "name": name,
        "id_type": id_type,
        "id_number": id_number,
        "phone": f"1380000{n:04d}",
        "address": ADDRESS.format(n=100 + n),
        "postcode": "529900",
        "email": f"demo{n:02d}@example.com",
        **extra,
    }


def _legal(name: str, n: int, org_type: str, credit_body: str, contact: str, **extra) -> dict:
    return {
        "applicant_type": ApplicantType.LEGAL,
        "name": name,
        "org_type": org_type,
        "credit_code": make_credit_code(credit_body),
        "legal_representative": f"{contact[0]}法人（演示）",
        "contact_person": contact,
        "phone": f"1380000{n:04d}",
        "address": ADDRESS.format(n=200 + n),
        "postcode": "529900",
        "email": f"org{n:02d}@example.com",
        **extra,
    }


APPLICANTS: dict[str, dict[str, Any]] = {
    "zhang": _natural("张演示", 1),
    "li": _natural("李演示", 2),
    "wang": _natural("王演示", 3),
    "zhao": _natural("赵演示", 4),
    "liu": _natural("刘演示", 5),
    "zhou": _natural("周演示", 6),
    "wu": _natural("吴演示", 7),
    "zheng": _natural("郑演示", 8),
    "huang": _natural("黄演示", 9),
    "alex": _natural("Alex DEMO（演示）", 10, IdType.PASSPORT, "E00000010"),
    "chen": _natural("陈演示", 11, IdType.HK_MACAO, "H00000011"),
    "lin": _natural("林演示", 12, IdType.TAIWAN, "00000012"),
    "sun": _natural("孙演示", 13, IdType.OTHER, "演示证件000013"),
    "keji": _legal("示范科技有限公司（演示）", 21, OrgType.COMMERCIAL, "91449900MA000021", "钱演示"),
    "shangmao": _legal("示范商贸有限公司（演示）", 22, OrgType.COMMERCIAL, "91449900MA000022", "冯演示"),
    "geti": _legal("示范县某某便利店（演示）", 23, OrgType.COMMERCIAL, "92449900MA000023", "蒋演示"),
    "kexue": _legal("示范县农业科学研究所（演示）", 24, OrgType.RESEARCH, "12449900MB000024", "韩演示"),
    "gongyi": _legal("示范公益基金会（演示）", 25, OrgType.PUBLIC_WELFARE, "53449900MJ000025", "杨演示"),
    "lvshi": _legal("示范律师事务所（演示）", 26, OrgType.LEGAL_SERVICE, "31449900MD000026", "朱演示"),
    "hezuo": _legal("示范村股份经济合作社（演示）", 27, OrgType.OTHER_ORG, "N2449900MC000027", "秦演示"),
}

# What each channel usually brings: the medium and the way the applicant gets the information.
CHANNEL_DEFAULTS = {
    Channel.ONLINE: (Medium.ELECTRONIC, DeliveryWay.ONLINE),
    Channel.WINDOW: (Medium.PAPER, DeliveryWay.PICKUP),
    Channel.POST: (Medium.PAPER, DeliveryWay.POST),
    Channel.FAX: (Medium.ELECTRONIC, DeliveryWay.EMAIL),
}

# ---------------------------------------------------------------- reply wording per outcome

REPLIES: dict[str, tuple[str, str]] = {
    "disclosed": ("经检索，您申请的信息由本机关制作并保存，现予以公开，随本答复书提供相关文件（演示）。", ""),
    "partial": (
        "经审查，您申请的信息中含有第三方个人信息，本机关对可以公开的部分予以提供（演示）。",
        "名单中的公民身份号码、联系电话和家庭住址属于个人隐私，公开会对第三方合法权益造成损害，不予公开。",
    ),
    "nd_state_secret": (
        "经审查，您申请的文件已依法确定为国家秘密（演示）。",
        "全部内容：属于依法确定的国家秘密，不予公开。",
    ),
    "nd_law_forbids": (
        "经审查，您申请的信息属于法律、行政法规禁止公开的信息（演示）。",
        "全部内容：《中华人民共和国未成年人保护法》规定不得披露未成年人的个人信息，不予公开。",
    ),
    "nd_three_safety": (
        "经审查，您申请的信息公开后可能危及社会稳定（演示）。",
        "全部内容：涉及救灾物资储备点位置与库存，公开后可能危及公共安全，不予公开。",
    ),
    "nd_third_party": (
        "本机关已书面征求第三方意见，第三方不同意公开（演示）。",
        "全部内容：涉及企业经营数据等商业秘密，第三方不同意公开，且不公开不会对公共利益造成重大影响。",
    ),
    "nd_internal_affairs": (
        "经审查，您申请的信息属于本机关内部人事管理信息（演示）。",
        "全部内容：属于行政机关内部事务信息（人事管理），不予公开。",
    ),
    "nd_process_info": (
        "经审查，您申请的信息为会议讨论记录和内部请示（演示）。",
        "全部内容：属于讨论记录、请示报告等过程性信息，不予公开。",
    ),
    "nd_enforcement_file": (
        "经审查，您申请的信息属于行政执法案卷（演示）。",
        "全部内容：属于行政执法案卷信息；案件当事人可依法申请查阅案卷材料。",
    ),
    "nd_query_matter": (
        "您申请获取的是婚姻登记档案，属于行政查询事项，请持有效证件到婚姻登记处查询（演示）。",
        "全部内容：婚姻登记档案的查询另有规定，请通过婚姻登记档案查询渠道办理。",
    ),
    "cp_not_held": ("经检索，本机关未制作或者获取您申请的信息（演示）。", ""),
    "cp_needs_creation": ("您申请的统计口径本机关没有现成信息，需要另行汇总分析（演示）。", ""),
    "cp_still_unclear": ("您补正后的申请仍未能指明所需信息的名称、文号或其他特征（演示）。", ""),
    "np_petition": ("您反映的问题属于投诉举报事项，请通过劳动保障监察投诉渠道提出（演示）。", ""),
    "np_repeated": ("本机关已于此前就相同内容作出答复，不予重复处理（演示）。", ""),
    "np_publication": ("您申请的是公开出版物，可在县图书馆或新华书店获取（演示）。", ""),
    "np_excessive": ("您短期内申请事项达一百余项，经要求说明理由后未能说明合理理由（演示）。", ""),
    "np_confirm_or_reissue": ("您要求对已获取的证明重新出具并加盖公章，不属于政府信息公开范围（演示）。", ""),
    "other": ("您申请的事项已通过行政复议程序一并处理，请关注复议决定（演示）。", ""),
}

# How each receipt is delivered (an online receipt is shown on screen and downloaded).
RECEIPT_DELIVERY: dict[str, str] = {
    Channel.WINDOW: DeliveryMethod.IN_PERSON,
    Channel.POST: DeliveryMethod.POST,
    Channel.FAX: DeliveryMethod.FAX,
}

# ---------------------------------------------------------------- the plan: cases as dated steps


@dataclass
class Case:
    plan: Plan
    index: int
    cast: Cast
    applicant: str
    channel: str
    received: date
    description: str
    medium: str
    delivery: str
    app: Application | None = None
    last: date = field(init=False)
    forwarded_at: int | None = None
    steps: int = 0

    def __post_init__(self) -> None:
        self.last = self.received

    # -- scheduling

    def _day(self, at: int | date | None) -> date:
        """``at`` working days after the received date (or a date itself); None means today."""
        if at is None:
            day = self.plan.today
        elif isinstance(at, date):
            day = at
        else:
            day = self.plan.calendar.add(self.received, at)
        if day > self.plan.today:
            raise ValueError(f"demo case {self.description[:12]}: step on {day} is in the future")
        if day < self.last:
            raise ValueError(f"demo case {self.description[:12]}: step on {day} before {self.last}")
        self.last = day
        return day

    def _step(self, at: int | date | None, run: Callable[[date], Any], *, aside: bool = False) -> Case:
        """Schedule ``run(day)``; an ``aside`` step (a delivery) may overlap the case's later steps."""
        last = self.last
        day = self._day(at)
        if aside:
            self.last = last
        self.plan.steps.append((day, self.index, self.steps, lambda: run(day)))
        self.steps += 1
        return self

    def fresh(self) -> Application:
        assert self.app is not None, "the case is not received yet"
        self.app = Application.objects.select_related("agency").get(pk=self.app.pk)
        return self.app

    def _move(self, who: str, action: Action, day: date, **kwargs) -> None:
        self.app = services.application_transition(
            actor=self.cast[who], application=self.fresh(), action=action, on=day, **kwargs
        )

    # -- intake

    def submit(self) -> Case:
        data = {
            **APPLICANTS[self.applicant],
            "description": self.description,
            "medium": self.medium,
            "delivery": self.delivery,
        }

        def run(day: date) -> None:
            online = self.channel == Channel.ONLINE
            # The entry point of the forms and the API: a same-day repeat is flagged 疑似重复.
            self.app = intake.application_intake(
                agency=self.cast.agency,
                data=data,
                channel=self.channel,
                received_on=None if online else day,
                actor=None if online else self.cast["office"],
            ).application

        return self._step(0 if self.channel != Channel.ONLINE else None, run)

    # -- handling

    def correction(self, at: int, days: int = 10) -> Case:
        reason = "请写明所需信息的名称、文号或形成时间等特征，以及所涉年度（演示）。"
        return self._step(
            at,
            lambda d: self._move("office", Action.REQUEST_CORRECTION, d, reason=reason, correction_days=days),
        )._deliver_after(NoticeKind.CORRECTION, self.last)

    def corrected(self, at: int) -> Case:
        corrected = f"{self.description.rstrip('。')}（补正：写明所涉年度为2025年度及文件名称，演示）"
        return self._step(
            at,
            lambda d: self._move(
                "office",
                Action.RECEIVE_CORRECTION,
                d,
                reason="申请人当面补正（演示）",
                corrected_description=corrected,
            ),
        )

    def lapse(self, at: int) -> Case:
        self._step(at, lambda d: self._move("office", Action.LAPSE, d))
        return self._deliver_after(NoticeKind.REPLY, self.last)

    def void(self, at: int, reason: str) -> Case:
        """The office sets aside a flagged same-day repeat (作废): no outcome, never counted."""
        return self._step(at, lambda d: self._move("office", Action.VOID, d, reason=reason))

    def forward(self, at: int) -> Case:
        self.forwarded_at = at
        return self._step(
            at, lambda d: self._move("office", Action.FORWARD, d, department=self.cast.department)
        )

    def draft(self, code: str, at: int, who: str = "clerk") -> Case:
        text, withheld = REPLIES[code]

        def run(day: date) -> None:
            self.app = services.reply_draft_save(
                actor=self.cast[who],
                application=self.fresh(),
                outcome_code=code,
                reply_text=text,
                withheld_note=withheld,
            )

        return self._step(at, run)

    def submit_reply(self, at: int) -> Case:
        return self._step(at, lambda d: self._move("clerk", Action.SUBMIT_REPLY, d))

    def dept_approve(self, at: int) -> Case:
        return self._step(at, lambda d: self._move("head", Action.DEPT_APPROVE, d))

    def secrecy_approve(self, at: int) -> Case:
        return self._step(at, lambda d: self._move("secrecy", Action.SECRECY_APPROVE, d))

    def sign(self, at: int) -> Case:
        return self._step(at, lambda d: self._move("leader", Action.LEADER_SIGN, d))

    def send_back(self, at: int, who: str, reason: str) -> Case:
        return self._step(at, lambda d: self._move(who, Action.RETURN, d, reason=reason))

    def issue(self, at: int) -> Case:
        return self._step(at, lambda d: self._move("office", Action.ISSUE_REPLY, d))

    def reply(self, code: str, at: int, *, deliver: bool = True) -> Case:
        """The whole chain: drafted and submitted two days before, reviewed, signed if needed, issued."""
        start = (self.forwarded_at or 0) + 1
        submit = max(start, at - 2)
        self.draft(code, submit).submit_reply(submit).dept_approve(submit)
        self.secrecy_approve(min(submit + 1, at))
        if outcome(code).needs_leader_signoff:
            self.sign(at)
        self.issue(at)
        if deliver:
            self.deliver_reply(at)
        return self

    def on_spot(self, code: str = "disclosed", at: int = 0) -> Case:
        """Answered at the window (or online) the day it arrives: drafted by the office itself."""
        self.draft(code, at, who="office")
        self._step(at, lambda d: self._move("office", Action.ANSWER_ON_SPOT, d))
        return self.deliver_reply(at)

    # -- pauses and extensions

    def consult(self, at: int, third_party: str, matter: str) -> Case:
        return self._step(
            at,
            lambda d: services.consultation_start(
                actor=self.cast["office"],
                application=self.fresh(),
                third_party=third_party,
                matter=matter,
                on=d,
            ),
        )._deliver_after(NoticeKind.CONSULTATION, self.last, to_third_party=True)

    def consulted(self, at: int, note: str) -> Case:
        return self._step(
            at,
            lambda d: services.consultation_answer(
                actor=self.cast["office"], application=self.fresh(), note=note, on=d
            ),
        )

    def fee(self, at: int, amount: str = "100") -> Case:
        return self._step(
            at,
            lambda d: services.fee_notice(
                actor=self.cast["office"], application=self.fresh(), amount=amount, on=d
            ),
        )._deliver_after(NoticeKind.FEE, self.last)

    def fee_paid(self, at: int) -> Case:
        return self._step(
            at, lambda d: services.fee_paid(actor=self.cast["office"], application=self.fresh(), on=d)
        )

    def fee_lapse(self) -> Case:
        """Today: the service closes the request on the day it is called."""

        def run(day: date) -> None:
            self.app = services.fee_lapse(actor=self.cast["office"], application=self.fresh())

        self._step(None, run)
        return self._deliver_after(NoticeKind.REPLY, self.last)

    def suspend(self, at: int, reason: str) -> Case:
        return self._step(
            at,
            lambda d: services.suspend(
                actor=self.cast["office"], application=self.fresh(), reason=reason, on=d
            ),
        )._deliver_after(NoticeKind.SUSPENSION, self.last)

    def resume(self, at: int) -> Case:
        return self._step(
            at, lambda d: services.resume(actor=self.cast["office"], application=self.fresh(), on=d)
        )._deliver_after(NoticeKind.RESUMPTION, self.last)

    def extension(self, days: int, reason: str, *, decide: str | None, note: str = "") -> Case:
        """Requested today by the clerk; decided today by the entitled role ('leader' or 'office')."""

        def run(day: date) -> None:
            request = services.extension_request(
                actor=self.cast["clerk"], application=self.fresh(), days=days, reason=reason
            )
            if decide:
                services.extension_decide(
                    actor=self.cast[decide], extension=request, approve=not note, note=note
                )

        self._step(None, run)
        return self._deliver_after(NoticeKind.EXTENSION, self.last) if decide and not note else self

    # -- after the reply

    def deliver_receipt(self) -> Case:
        """Handed over at the window, faxed back, or posted (arriving two working days later)."""
        if self.channel not in RECEIPT_DELIVERY:
            return self  # online: shown on screen and downloaded by the applicant
        method = RECEIPT_DELIVERY[self.channel]
        day = self.plan.calendar.add(self.received, 2) if self.channel == Channel.POST else self.received
        if day > self.plan.today:
            return self
        return self._step(day, lambda d: self._deliver(NoticeKind.RECEIPT, method, d), aside=True)

    def deliver_reply(self, at: int) -> Case:
        return self._deliver_after(NoticeKind.REPLY, self.plan.calendar.add(self.received, at))

    def _deliver_after(self, kind: str, issued: date, *, to_third_party: bool = False) -> Case:
        """Mark the letter delivered: the same day, or two working days later when it goes by post."""
        way = DeliveryWay.POST if to_third_party else self.delivery
        if kind != NoticeKind.REPLY and way in (DeliveryWay.PICKUP, DeliveryWay.ONLINE):
            way = DeliveryWay.POST if way == DeliveryWay.PICKUP else DeliveryWay.EMAIL
        day = self.plan.calendar.add(issued, 2) if way == DeliveryWay.POST else issued
        if day > self.plan.today:
            return self  # still on its way
        proofs: dict[str, str] = {
            DeliveryWay.POST: f"EMS演示单号 10{self.index:04d}{self.steps:03d}",
            DeliveryWay.EMAIL: f"已发送至 {APPLICANTS[self.applicant]['email']}",
            DeliveryWay.PICKUP: "申请人签收（演示）",
            DeliveryWay.ONLINE: "申请人已在线查看（演示）",
        }
        proof = proofs[way]
        return self._step(
            day, lambda d: self._deliver(kind, DELIVERY_METHOD_FOR_WAY[way], d, proof), aside=True
        )

    def _deliver(self, kind: str, method: str, day: date, proof: str = "") -> None:
        notice = self.fresh().notices.filter(kind=kind).order_by("-id").first()
        if notice is not None:
            services.notice_mark_delivered(
                actor=self.cast["office"], notice=notice, method=method, on=day, proof=proof
            )

    def appeal(self, kind: str, result: str, filed: int, decided: int | None = None, note: str = "") -> Case:
        cal = self.plan.calendar
        filed_on = cal.add(self.received, filed)
        decided_on = cal.add(self.received, decided) if decided is not None else None

        def run(day: date) -> None:
            services.appeal_record(
                actor=self.cast["office"],
                application=self.fresh(),
                kind=kind,
                filed_on=filed_on,
                result=result,
                decided_on=decided_on,
                note=note or "（演示）",
            )

        # Recorded when the latest fact is known: the decision, or the filing while still pending.
        return self._step(decided_on or filed_on, run)

    def rate(self, rating: str, comment: str = "") -> Case:
        def run(day: date) -> None:
            services.satisfaction_submit(application=self.fresh(), rating=rating, comment=comment)

        return self._step(self.last, run)


@dataclass
class Plan:
    today: date
    calendar: WorkCalendar
    past: list[date]
    steps: list[tuple[date, int, int, Callable[[], Any]]] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)

    @classmethod
    def starting_today(cls) -> Self:
        today = timezone.localdate()
        calendar = current_calendar()
        past = [today - datetime.timedelta(days=i) for i in range(400)]
        return cls(today=today, calendar=calendar, past=[d for d in past if calendar.is_workday(d)])

    def ago(self, n: int) -> date:
        """The working day ``n`` working days before today (0: today, or the last working day)."""
        return self.past[n]

    def case(
        self,
        cast: Cast,
        applicant: str,
        channel: str,
        ago: int,
        description: str,
        *,
        medium: str | None = None,
        delivery: str | None = None,
    ) -> Case:
        default_medium, default_delivery = CHANNEL_DEFAULTS[Channel(channel)]
        received = self.today if channel == Channel.ONLINE else self.ago(ago)
        case = Case(
            plan=self,
            index=len(self.cases),
            cast=cast,
            applicant=applicant,
            channel=channel,
            received=received,
            description=description,
            medium=medium or default_medium,
            delivery=delivery or default_delivery,
        )
        self.cases.append(case)
        case.submit()
        case.deliver_receipt()
        return case

    def run(self) -> int:
        for _day, _case, _n, step in sorted(self.steps, key=lambda s: s[:3]):
            step()
        return len(self.cases)


# ---------------------------------------------------------------- the cases

W, P, F, NET = Channel.WINDOW, Channel.POST, Channel.FAX, Channel.ONLINE
R = Appeal.Kind.RECONSIDERATION
LD, LA = Appeal.Kind.LITIGATION_DIRECT, Appeal.Kind.LITIGATION_AFTER
MAINTAINED, CORRECTED = Appeal.Result.MAINTAINED, Appeal.Result.CORRECTED
OTHER, PENDING = Appeal.Result.OTHER, Appeal.Result.PENDING
GOOD, FAIR, BAD = (
    Satisfaction.Rating.SATISFIED,
    Satisfaction.Rating.BASICALLY,
    Satisfaction.Rating.DISSATISFIED,
)
TYPHOON = "受台风影响，县档案馆闭馆，所需档案无法调取（演示）"


def _hrss(p: Plan, c: Cast) -> None:
    """县人社局 (seed-local rules): about 60 requests, 42 answered or closed, 18 open."""
    # Answered over the past year, oldest first.
    p.case(c, "zhang", W, 242, "2025年度城乡居民基本养老保险基础养老金发放标准").on_spot().rate(
        GOOD, "当场就拿到了，很方便。"
    )
    p.case(c, "kexue", P, 238, "本县2025年度专业技术人员职称评审通过人员名单").forward(1).reply(
        "disclosed", 9
    )
    p.case(c, "li", W, 235, "反映某建筑工地拖欠农民工工资问题，要求查处").forward(1).reply(
        "np_petition", 6
    ).appeal(R, MAINTAINED, 25, 70, "复议机关维持原答复（演示）").appeal(
        LA, OTHER, 80, 140, "申请人撤回起诉（演示）"
    )
    p.case(c, "lvshi", F, 230, "示范某公司2025年劳动保障监察案件的调查笔录和处理决定").forward(1).reply(
        "nd_enforcement_file", 14
    ).appeal(LD, PENDING, 40)
    p.case(c, "alex", W, 226, "2010年县劳动局机构改革方案").forward(2).reply("cp_not_held", 12)
    p.case(c, "gongyi", P, 221, "县本级就业专项资金2025年上半年使用情况").forward(1).reply(
        "disclosed", 10
    ).rate(FAIR)
    p.case(c, "zhao", W, 217, "有关社保的文件").correction(3).corrected(8).forward(9).reply(
        "cp_still_unclear", 20
    )
    p.case(c, "chen", P, 212, "本县2025年度企业退休人员养老金待遇核定名单").forward(1).consult(
        4, "相关企业（演示）", "名单中企业及个人信息是否同意公开"
    ).consulted(12, "部分同意公开（演示）").reply("partial", 22)
    p.case(c, "liu", W, 208, "县人社局2025年度部门预算及“三公”经费").on_spot()
    p.case(c, "keji", F, 203, "示范商贸有限公司（演示）申报稳岗返还的材料及审核意见").forward(1).consult(
        3, "示范商贸有限公司（演示）", "申报材料中的经营数据是否同意公开"
    ).consulted(13, "不同意公开，涉及商业秘密（演示）").reply("nd_third_party", 21).appeal(
        R, MAINTAINED, 30, 75
    )
    p.case(c, "lin", W, 199, "《示范县统计年鉴2024》劳动就业篇").forward(1).reply("np_publication", 4)
    p.case(c, "zhou", P, 194, "2025年度公益性岗位招聘计划及录用结果").forward(1).suspend(5, TYPHOON).resume(
        9
    ).reply("disclosed", 18).rate(GOOD)
    p.case(c, "sun", W, 190, "要求重新出具2019年已获取的参保证明并加盖公章").forward(1).reply(
        "np_confirm_or_reissue", 6
    )
    p.case(c, "shangmao", P, 185, "2015年以来全县历年最低工资标准调整文件汇编").forward(1).fee(
        4, "120"
    ).fee_paid(8).reply("disclosed", 16)
    p.case(c, "zheng", W, 181, "局机关2025年干部职工考勤记录").forward(1).reply("nd_internal_affairs", 12)
    p.case(c, "hezuo", F, 176, "本村2025年度城乡居民养老保险缴费补贴发放情况").forward(1).reply(
        "disclosed", 8
    ).rate(GOOD)
    p.case(c, "huang", W, 171, "县就业困难人员认定标准及办理流程").on_spot().rate(GOOD)
    p.case(c, "wang", P, 167, "2005年县劳动就业服务中心的人员编制文件").forward(1).reply(
        "cp_not_held", 11
    ).appeal(R, CORRECTED, 20, 55, "复议机关责令重新检索后答复（演示）")
    p.case(c, "kexue", P, 162, "本县各乡镇2025年度农村劳动力转移就业人数，按性别、年龄分组统计").forward(
        1
    ).reply("cp_needs_creation", 13)
    p.case(c, "zhang", W, 158, "2025年度城乡居民基本养老保险基础养老金发放标准").forward(1).reply(
        "np_repeated", 3
    )
    p.case(c, "wu", W, 154, "县人社局2026年度政府信息公开工作要点").forward(1).reply("disclosed", 7)
    p.case(c, "gongyi", F, 149, "2025年度县级创业担保贷款贴息资金拨付明细").forward(1).reply(
        "partial", 15
    ).rate(FAIR)
    p.case(c, "li", P, 145, "局党组会议关于人事调整的讨论记录").forward(1).reply("nd_process_info", 14)
    p.case(
        c, "geti", W, 140, "2000年以来全部劳动保障监察案件、全部企业社保缴费记录等共一百二十项信息"
    ).forward(1).reply("np_excessive", 15)
    p.case(c, "liu", W, 136, "职业技能提升补贴申领条件").on_spot().rate(GOOD)
    p.case(c, "zhao", P, 131, "本人档案中的职称评审材料").correction(4).lapse(18)
    p.case(c, "lvshi", F, 127, "2025年度劳动人事争议仲裁案件数量及结案情况").forward(1).reply("disclosed", 9)
    p.case(c, "alex", W, 122, "外国人来华工作许可办理指南").forward(1).reply("disclosed", 5).rate(GOOD)
    p.case(c, "shangmao", P, 118, "县人社局2024年度物业服务采购合同").forward(1).reply("cp_not_held", 10)
    p.case(c, "chen", W, 113, "反映社保卡补办窗口排队时间过长").forward(1).reply("np_petition", 5)
    p.case(c, "zhou", P, 109, "2025年第三季度城镇新增就业人数").forward(1).reply("disclosed", 12)
    p.case(c, "zhou", P, 109, "请提供2025年第三季度城镇新增就业人数").void(
        1, "与同日寄来的申请内容相同，已电话向申请人确认系重复寄送（演示）"
    )
    p.case(c, "hezuo", W, 104, "村集体经济组织参加工伤保险的政策依据").forward(1).reply("other", 9)
    p.case(c, "keji", F, 99, "2025年度高新技术企业人才补贴发放名单").forward(1).reply("partial", 14)
    p.case(c, "huang", P, 95, "按学历、专业统计的2025年全县失业人员结构分析").forward(1).reply(
        "cp_needs_creation", 12
    )
    p.case(c, "wang", W, 90, "2026年度县级人才公寓分配方案").forward(1).reply("disclosed", 11).rate(
        BAD, "答复太简单。"
    )
    p.case(c, "lin", P, 86, "2026年春季招聘会参会企业名单").forward(1).reply("disclosed", 6)
    p.case(c, "sun", W, 81, "县社保经办机构2025年度基金运行分析报告").forward(1).reply("disclosed", 13)
    p.case(c, "shangmao", F, 40, "2020年以来全县企业社会保险费缴费基数核定明细").forward(1).fee(
        3, "300"
    ).fee_lapse()
    p.case(c, "zheng", P, 77, "2025年度全县城乡居民养老保险参保人数").forward(1).reply("disclosed", 9)
    p.case(c, "kexue", W, 64, "2025年度人力资源市场工资价位").forward(1).reply("disclosed", 8).rate(GOOD)
    p.case(c, "wu", P, 52, "2026年事业单位公开招聘岗位表").forward(1).reply("partial", 12)
    p.case(c, "li", W, 30, "2026年度技能人才评价机构名单").forward(1).reply("disclosed", 7)

    # Open: in every step, paused, overdue, with extensions.
    p.case(c, "zhang", NET, 0, "2026年度城乡居民基本养老保险缴费档次及补贴标准")
    p.case(c, "gongyi", NET, 0, "2026年度县级公益性岗位补贴资金分配情况")
    p.case(c, "zhou", W, 1, "2026年下半年就业见习基地名单")
    p.case(c, "liu", W, 5, "社保方面的规定").correction(2, days=15)
    p.case(c, "hezuo", P, 3, "2026年度被征地农民养老保险缴费补贴标准").forward(1)
    p.case(c, "lvshi", F, 6, "2026年度劳动人事争议仲裁员名册").forward(2)
    p.case(c, "kexue", P, 11, "2026年度专业技术人才继续教育基地名单").forward(1).draft(
        "disclosed", 6
    ).submit_reply(6).send_back(7, "head", "请补充信息的获取方式，并附上名单文件（演示）。")
    p.case(c, "wang", W, 8, "2026年度失业保险稳岗返还政策文件").forward(1).draft("disclosed", 6).submit_reply(
        6
    )
    p.case(c, "huang", P, 10, "本县2010年以前的劳动合同鉴证档案").forward(1).draft(
        "cp_not_held", 6
    ).submit_reply(6).dept_approve(7)
    p.case(c, "keji", F, 12, "县人社局2026年第三次局务会议记录").forward(2).draft(
        "nd_process_info", 8
    ).submit_reply(8).dept_approve(9).secrecy_approve(10).extension(
        5, "需补充征求承办股室意见（演示）", decide="leader", note="已基本办结，可按期答复，不予延期。"
    )
    p.case(c, "zheng", W, 9, "2026年度县级技能大赛获奖名单").forward(1).draft("disclosed", 5).submit_reply(
        5
    ).dept_approve(6).secrecy_approve(7)
    p.case(c, "alex", P, 35, "2024年度外国人来华工作许可办理数量").forward(1)
    p.case(c, "wu", F, 38, "2025年度社会保险基金审计整改情况").forward(2)
    p.case(c, "shangmao", P, 14, "示范科技有限公司（演示）2026年度员工参保人数").forward(1).consult(
        8, "示范科技有限公司（演示）", "员工参保人数是否同意公开"
    )
    p.case(c, "geti", W, 10, "2018年以来全县各乡镇历年社保费征缴台账").forward(1).fee(5, "80")
    p.case(c, "sun", P, 16, "2015年县劳动局档案中关于企业改制职工安置的文件").forward(1).suspend(12, TYPHOON)
    p.case(c, "chen", W, 18, "2016年至2025年全县企业职工工伤认定统计").forward(1).extension(
        10, "所需信息分散在多个年度档案中，需逐卷检索（演示）", decide="leader"
    )
    p.case(c, "lin", P, 17, "2026年度县级创业孵化基地运营补贴发放情况").forward(1).extension(
        15, "涉及多家孵化基地，需逐一核对资金拨付凭证（演示）", decide=None
    )


def _civil_affairs(p: Plan, c: Cast) -> None:
    """县民政局 (national rules): about 25 requests, 17 answered, 8 open."""
    p.case(c, "zhou", W, 236, "2025年度城乡低保标准和特困人员供养标准").on_spot().rate(GOOD)
    p.case(c, "gongyi", P, 231, "2025年度县级福利彩票公益金使用情况").forward(1).reply("disclosed", 10).rate(
        GOOD
    )
    p.case(c, "wang", W, 224, "县级救灾物资储备库的位置与库存清单").forward(1).reply(
        "nd_three_safety", 12
    ).appeal(LD, MAINTAINED, 30, 110, "法院判决驳回诉讼请求（演示）")
    p.case(c, "lvshi", F, 215, "某收养登记案件中送养人的身份信息").forward(1).reply("nd_law_forbids", 14)
    p.case(c, "li", P, 206, "1998年县民政局内部定密文件目录").forward(1).reply("nd_state_secret", 15)
    p.case(c, "zhang", W, 196, "本人父母1985年的婚姻登记档案").forward(1).reply("nd_query_matter", 5)
    p.case(c, "hezuo", F, 187, "本村2025年度低保对象名单").forward(1).reply("partial", 13).appeal(
        R, PENDING, 140
    )
    p.case(c, "kexue", P, 176, "2025年度全县养老机构床位数及入住率").forward(1).reply("disclosed", 9)
    p.case(c, "zhao", W, 165, "反映某养老院服务质量问题").forward(1).reply("np_petition", 4)
    p.case(c, "alex", P, 150, "1990年代县民政局社团登记底册").forward(1).reply("cp_not_held", 11)
    p.case(c, "keji", F, 137, "按乡镇、年龄、残疾等级交叉统计的2025年残疾人两项补贴发放人数").forward(
        1
    ).reply("cp_needs_creation", 12)
    p.case(c, "sun", W, 121, "2026年度殡葬服务收费标准").on_spot().rate(FAIR)
    p.case(c, "chen", P, 108, "2025年度临时救助资金发放情况").forward(1).reply("partial", 16).rate(
        BAD, "希望公开更详细的数据。"
    )
    p.case(c, "huang", W, 92, "2026年度社区工作者招聘公告及录用名单").forward(1).reply("disclosed", 8)
    p.case(c, "lin", F, 66, "2026年度县级地名命名更名批复").forward(1).reply("disclosed", 6)
    p.case(c, "liu", P, 44, "与行政复议案件相关的殡葬执法材料").forward(1).reply("other", 10)
    p.case(c, "wu", NET, 0, "2026年度城乡低保标准调整文件").on_spot().rate(GOOD, "网上申请当天就答复了。")

    # Open.
    p.case(c, "zheng", NET, 0, "2026年度养老服务补贴发放标准")
    p.case(c, "shangmao", P, 2, "2026年度政府购买养老服务项目清单")
    p.case(c, "geti", W, 5, "2026年度社会组织年检结果").forward(1)
    p.case(c, "gongyi", F, 9, "2026年度慈善组织认定名单").forward(1).draft("disclosed", 5).submit_reply(
        5
    ).dept_approve(6)
    p.case(c, "lvshi", P, 13, "2026年某街道社区换届选举的内部请示").forward(1).draft(
        "nd_process_info", 8
    ).submit_reply(8).dept_approve(9).secrecy_approve(10)
    p.case(c, "kexue", W, 36, "2025年度农村留守儿童关爱服务统计").forward(2)
    p.case(c, "hezuo", P, 12, "2026年度本村低保评议会议记录").forward(1).consult(
        6, "示范村村民委员会（演示）", "评议记录中涉及的村民个人信息是否同意公开"
    )
    p.case(c, "zhou", F, 16, "2016年至2025年全县困难残疾人生活补贴发放统计").forward(1).extension(
        10, "需调取十年的发放档案并逐年核对（演示）", decide="office"
    )


def build_requests(casts: dict[str, Cast]) -> int:
    """Create the demo requests in both agencies; returns how many were created."""
    plan = Plan.starting_today()
    _hrss(plan, casts["hrss"])
    _civil_affairs(plan, casts["civil-affairs"])
    return plan.run()
