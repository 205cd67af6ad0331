"""Rule sets are data: the two bundled sets and how a province's variant plugs in."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gongkai.workdays.bundled import bundled_calendar
from gongkai.workdays.clock import Event, EventKind, ExtensionRefused, check_extension, compute
from gongkai.workdays.rules import RULE_SETS, RuleSet, rule_set


def test_it_holds_the_national_limits_of_the_2019_regulation():
    national = rule_set("national-2019")
    assert (
        national.reply_days,
        national.correction_notice_days,
        national.max_extension_days,
        national.consultation_days,
        national.fee_payment_days,
    ) == (20, 7, 20, 15, 20)
    assert national.forward_days is None
    assert national.department_answer_days is None
    assert national.extension_approver == "政务公开工作机构负责人"
    assert "第三十三条" in national.basis


def test_it_holds_the_seed_agencys_stricter_limits():
    local = rule_set("seed-local")
    assert local.reply_days == 20
    assert local.max_extension_days == 15
    assert local.forward_days == 5
    assert local.department_answer_days == 10
    assert local.extension_approver == "局领导"
    assert "第十九条" in local.basis and "第二十条" in local.basis and "第二十一条" in local.basis


def test_it_lists_exactly_the_two_rule_sets_by_code():
    assert set(RULE_SETS) == {"national-2019", "seed-local"}
    assert all(code == rs.code for code, rs in RULE_SETS.items())


def test_it_refuses_an_unknown_code_in_chinese():
    with pytest.raises(ValueError, match="未知的期限规则“guangdong”"):
        rule_set("guangdong")


def test_it_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule_set("seed-local").reply_days = 30  # type: ignore[misc]


def test_it_takes_a_provinces_variant_as_one_more_entry_without_new_code():
    # A hypothetical province: reply in 15 days, extension at most 10.
    province = dataclasses.replace(
        rule_set("national-2019"), code="province-x", name="某省规定", reply_days=15, max_extension_days=10
    )
    assert isinstance(province, RuleSet)
    cal = bundled_calendar()
    events = [Event(EventKind.RECEIVED, dt.date(2025, 9, 26))]
    state = compute(rules=province, events=events, calendar=cal, today=dt.date(2025, 9, 29))
    # 9-28 (worked Sunday), 9-29, 9-30, 10-9, 10-10, 10-11 (worked Saturday), 10-13..17, 10-20..23
    assert state.due == dt.date(2025, 10, 23)
    with pytest.raises(ExtensionRefused, match="不得超过10个工作日"):
        check_extension(rules=province, events=events, calendar=cal, days=11, on=dt.date(2025, 9, 29))
