"""The text comparison behind the publication history's and the revision page's 正文改动
(gongkai.core.textdiff, diff-match-patch underneath)."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.textdiff import Paragraph, Run, Skipped, line_diff, paragraph_diff


def same(text: str) -> Paragraph:
    return Paragraph((Run("=", text),))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("甲\n乙", "甲\n\n乙\n", []),  # blank lines and surrounding space are not changes
        (
            "每月150元",
            "每月170元",
            [Paragraph((Run("=", "每月1"), Run("-", "5"), Run("+", "7"), Run("=", "0元")))],
        ),
        ("甲", "甲\n乙", [same("甲"), Paragraph((Run("+", "乙"),))]),
        ("甲\n乙", "乙", [Paragraph((Run("-", "甲"),)), same("乙")]),
        (
            "一\n二\n三\n四\n五",
            "一\n二\n三\n四\n六",
            [Skipped(3), same("四"), Paragraph((Run("-", "五"), Run("+", "六")))],
        ),
        (
            "一\n二\n三\n四\n五",
            "〇\n二\n三\n四\n五",
            [Paragraph((Run("-", "一"), Run("+", "〇"))), same("二"), Skipped(3)],
        ),
        (
            "一\n二\n三\n四\n五\n六",
            "〇\n二\n三\n四\n五\n七",
            [
                Paragraph((Run("-", "一"), Run("+", "〇"))),
                same("二"),
                Skipped(2),
                same("五"),
                Paragraph((Run("-", "六"), Run("+", "七"))),
            ],
        ),
    ],
)
def test_it_shows_the_changes_with_one_paragraph_of_context(old, new, expected):
    assert paragraph_diff(old, new) == expected


def test_a_long_passage_is_compared_within_the_time_limit_and_stays_exact():
    old = "".join(f"第{n}条 本办法所称补贴标准为每月{n * 10}元。" for n in range(3000))
    new = old.replace("每月150元", "每月170元").replace("第2999条", "第三千条")
    started = time.monotonic()

    [paragraph] = paragraph_diff(old, new)

    assert time.monotonic() - started < 3
    assert "".join(run.text for run in paragraph.runs if run.op != "+") == old
    assert "".join(run.text for run in paragraph.runs if run.op != "-") == new
    assert Run("-", "5") in paragraph.runs and Run("+", "7") in paragraph.runs


def test_unequal_blocks_of_paragraphs_are_compared_character_by_character():
    shown = paragraph_diff("甲一\n乙一", "甲二")

    runs = [run for paragraph in shown for run in paragraph.runs]
    assert Run("=", "甲") in runs
    assert "".join(run.text for run in runs if run.op != "+") == "甲一乙一"
    assert "".join(run.text for run in runs if run.op != "-") == "甲二"


def test_line_diff_marks_the_changed_characters_of_a_title():
    assert line_diff("关于2024年补贴的通知", "关于2025年补贴标准的通知") == (
        Run("=", "关于202"),
        Run("-", "4"),
        Run("+", "5"),
        Run("=", "年补贴"),
        Run("+", "标准"),
        Run("=", "的通知"),
    )
    assert line_diff("同", "同") == ()


paragraph_text = st.text(alphabet="甲乙丙丁一二三,。<>&", min_size=1, max_size=12)


@given(st.lists(paragraph_text, max_size=8), st.lists(paragraph_text, max_size=8))
def test_the_runs_rebuild_both_texts(old, new):
    old_text, new_text = "\n".join(old), "\n".join(new)

    shown = paragraph_diff(old_text, new_text, context=100)

    def rebuilt(skip: str) -> list[str]:
        return ["".join(r.text for r in p.runs if r.op != skip) for p in shown if isinstance(p, Paragraph)]

    if [p.strip() for p in old if p.strip()] == [p.strip() for p in new if p.strip()]:
        assert shown == []
    else:
        assert "".join(rebuilt("+")) == "".join(p.strip() for p in old if p.strip())
        assert "".join(rebuilt("-")) == "".join(p.strip() for p in new if p.strip())
