"""The text comparison behind the publication history's 正文改动 (gongkai.core.textdiff)."""

import pytest

from gongkai.core.textdiff import CHARACTER_DIFF_LIMIT, Paragraph, Run, Skipped, paragraph_diff


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


def test_a_long_passage_is_shown_removed_and_added_whole():
    old, new = "甲" * CHARACTER_DIFF_LIMIT, "乙" + "甲" * CHARACTER_DIFF_LIMIT

    assert paragraph_diff(old, new) == [Paragraph((Run("-", old), Run("+", new)))]


def test_unequal_blocks_of_paragraphs_are_compared_as_one_passage():
    [paragraph] = paragraph_diff("甲一\n乙一", "甲二")

    assert Run("=", "甲") in paragraph.runs
    assert "".join(run.text for run in paragraph.runs if run.op != "+") == "甲一\n乙一"
    assert "".join(run.text for run in paragraph.runs if run.op != "-") == "甲二"
