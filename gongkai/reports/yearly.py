"""The yearly figures of table 二 that the platform does not hold as cases (pure rules, no Django).

Table 二 of the annual report (国办公开办函〔2021〕30号, 第二十条第（五）（六）（八）项) asks for
行政许可 / 行政处罚 / 行政强制 本年处理决定数量 and 行政事业性收费 本年收费金额（单位：万元）.
Gongkai keeps no licensing, penalty, enforcement or fee cases, so the disclosure office enters
these four figures once a year, each with the source it was taken from (来源说明: the register,
system or department it comes from), so a reviewer can trace every number
(gongkai.reports.models.YearlyFigures, gongkai.reports.yearly_services.yearly_figures_set).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# The fee amount: 万元 with at most 4 decimal places (4 places of 万元 = 1 元, the smallest unit
# a fee register records), at most 10 digits before the point.
AMOUNT_PLACES = 4
AMOUNT_DIGITS = 14
SOURCE_MAX = 300
DECISIONS_MAX = 2_147_483_647  # the database's integer column


@dataclass(frozen=True)
class YearlyField:
    """One figure of the form: ``key`` the TABLE2_ROWS row key it fills, ``column`` its value
    column key (gongkai.reports.format), ``label`` the row label, ``unit`` shown next to the input."""

    key: str
    column: str
    label: str
    unit: str

    @property
    def value_name(self) -> str:
        return f"{self.key}_{self.column}"

    @property
    def source_name(self) -> str:
        return f"{self.key}_source"


YEARLY_FIELDS: tuple[YearlyField, ...] = (
    YearlyField("licensing", "decisions", "行政许可", "件"),
    YearlyField("penalty", "decisions", "行政处罚", "件"),
    YearlyField("enforcement", "decisions", "行政强制", "件"),
    YearlyField("fees", "amount", "行政事业性收费", "万元"),
)


def parse_amount(value: object) -> Decimal:
    """A fee amount in 万元 as a Decimal: ≥ 0, at most AMOUNT_PLACES decimal places.

    Raises ValueError with a Chinese message otherwise (text, NaN, infinity, negative, too precise).
    """
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError("收费金额须为数字（单位：万元）。") from None
    if not amount.is_finite():
        raise ValueError("收费金额须为数字（单位：万元）。")
    if amount < 0:
        raise ValueError("收费金额不能为负数。")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -AMOUNT_PLACES:
        raise ValueError(f"收费金额最多保留{AMOUNT_PLACES}位小数（单位：万元，即精确到元）。")
    if amount >= Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES):
        raise ValueError("收费金额过大，请核对单位是否为万元。")
    return amount


def check_yearly(values: dict[str, object]) -> dict[str, str]:
    """The errors of one year's figures, as ``{field name: Chinese message}`` (empty when valid).

    ``values`` maps each YearlyField's ``value_name`` to an int (decisions) or a Decimal (the fee
    amount) and its ``source_name`` to a str. Rules: decisions are integers ≥ 0; the amount per
    ``parse_amount``; a non-zero figure names its source (来源说明), so every number in a
    published report can be traced.
    """
    errors: dict[str, str] = {}
    for f in YEARLY_FIELDS:
        value = values.get(f.value_name)
        source = str(values.get(f.source_name) or "").strip()
        if f.column == "amount":
            try:
                number: int | Decimal = parse_amount(value if value is not None else "0")
            except ValueError as exc:
                errors[f.value_name] = str(exc)
                continue
        else:
            if isinstance(value, bool) or not isinstance(value, int):
                errors[f.value_name] = f"{f.label}处理决定数量须为整数。"
                continue
            if value < 0:
                errors[f.value_name] = f"{f.label}处理决定数量不能为负数。"
                continue
            if value > DECISIONS_MAX:
                errors[f.value_name] = f"{f.label}处理决定数量过大，请核对。"
                continue
            number = value
        if len(source) > SOURCE_MAX:
            errors[f.source_name] = f"来源说明不能超过{SOURCE_MAX}个字。"
        elif number and not source:
            errors[f.source_name] = (
                f"{f.label}的数字不为0，请写明数据来源（如统计台账、业务系统或承办股室）。"
            )
    return errors
