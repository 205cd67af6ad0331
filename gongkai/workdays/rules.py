"""Rule sets for requests for disclosure (依申请公开): the statutory time limits, as data.

An agency picks one rule set by code. A province's own variant is one more entry in
``RULE_SETS``, not new code: the clock reads every limit from the ``RuleSet``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RULE_SETS", "RuleSet", "rule_set"]


@dataclass(frozen=True)
class RuleSet:
    code: str  # 'national-2019' | 'seed-local' | a province's variant
    name: str  # Chinese, shown to staff
    reply_days: int  # reply within N working days of receipt (art. 33)
    correction_notice_days: int  # tell the applicant what to correct within N working days (art. 30)
    max_extension_days: int  # total extension at most N working days (art. 33; seed 004 art. 20)
    consultation_days: int  # a consulted third party or agency answers within N working days (arts. 32, 34)
    fee_payment_days: int  # the applicant pays within N working days of the fee notice (art. 42)
    forward_days: int | None  # the office forwards to the department within N working days (seed 004 art. 19)
    department_answer_days: int | None  # the department answers within N working days of receiving it
    extension_approver: str  # who approves an extension
    basis: str  # the legal basis shown with the deadlines
    extension_basis: str = "《中华人民共和国政府信息公开条例》第三十三条第二款"  # cited in the 延期答复告知书


_REGULATION = "《中华人民共和国政府信息公开条例》（2019年修订）"

RULE_SETS: dict[str, RuleSet] = {
    rs.code: rs
    for rs in (
        RuleSet(
            code="national-2019",
            name="全国通用规则（政府信息公开条例2019年修订）",
            reply_days=20,
            correction_notice_days=7,
            max_extension_days=20,
            consultation_days=15,
            fee_payment_days=20,
            forward_days=None,
            department_answer_days=None,
            extension_approver="政务公开工作机构负责人",
            basis=(
                f"{_REGULATION}第三十条（补正）、第三十二条和第三十四条（征求意见）、"
                "第三十三条（答复期限与延长）、第四十二条（信息处理费）；"
                "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
            ),
        ),
        RuleSet(
            code="seed-local",
            name="本局政务公开制度（在全国规则基础上从严）",
            reply_days=20,
            correction_notice_days=7,
            max_extension_days=15,
            consultation_days=15,
            fee_payment_days=20,
            forward_days=5,
            department_answer_days=10,
            extension_approver="局领导",
            extension_basis="《中华人民共和国政府信息公开条例》第三十三条第二款和本局政务公开制度第二十条",
            basis=(
                f"{_REGULATION}第三十条至第三十四条、第四十二条；"
                "本局政务公开制度第十九条（5个工作日内转交股室，股室10个工作日内答复）、"
                "第二十条（经局领导同意延长，最长不超过15个工作日）、"
                "第二十一条（不可抗力期限中止，书面通知申请人）"
            ),
        ),
    )
}


def rule_set(code: str) -> RuleSet:
    """The rule set with this code; ValueError (Chinese message) when there is none."""
    try:
        return RULE_SETS[code]
    except KeyError:
        known = "、".join(RULE_SETS)
        raise ValueError(f"未知的期限规则“{code}”，可选：{known}") from None
