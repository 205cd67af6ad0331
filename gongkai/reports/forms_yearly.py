"""The yearly figures form (年度统计数据) of table 二: one number and its source per row."""

from django import forms

from gongkai.reports.yearly import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    DECISIONS_MAX,
    SOURCE_MAX,
    YEARLY_FIELDS,
    YearlyField,
)


def _value_field(f: YearlyField) -> forms.Field:
    if f.column == "amount":
        return forms.DecimalField(
            label=f"{f.label} 本年收费金额（单位：万元）",
            min_value=0,
            max_digits=AMOUNT_DIGITS,
            decimal_places=AMOUNT_PLACES,
            initial=0,
            error_messages={
                "required": "请填写收费金额；没有收费的填0。",
                "invalid": "收费金额须为数字（单位：万元）。",
                "min_value": "收费金额不能为负数。",
                "max_decimal_places": f"收费金额最多保留{AMOUNT_PLACES}位小数（精确到元）。",
                "max_digits": "收费金额过大，请核对单位是否为万元。",
                "max_whole_digits": "收费金额过大，请核对单位是否为万元。",
            },
            help_text="单位：万元，最多4位小数（如 1.2345 万元 = 12345 元）。",
        )
    return forms.IntegerField(
        label=f"{f.label} 本年处理决定数量（件）",
        min_value=0,
        max_value=DECISIONS_MAX,
        initial=0,
        error_messages={
            "required": f"请填写{f.label}处理决定数量；没有的填0。",
            "invalid": f"{f.label}处理决定数量须为整数。",
            "min_value": f"{f.label}处理决定数量不能为负数。",
            "max_value": f"{f.label}处理决定数量过大，请核对。",
        },
    )


def _source_field(f: YearlyField) -> forms.Field:
    return forms.CharField(
        label=f"{f.label} 来源说明",
        required=False,
        max_length=SOURCE_MAX,
        error_messages={"max_length": f"来源说明不能超过{SOURCE_MAX}个字。"},
        help_text="数字不为0时必填：写明取自哪个台账、业务系统或股室。",
    )


class YearlyFiguresForm(forms.Form):
    """Fields named after gongkai.reports.yearly.YEARLY_FIELDS (``<row>_<column>``, ``<row>_source``),
    declared on the class (``base_fields``) so every field is known without an instance."""

    def values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.fields}

    def rows(self) -> list[dict]:
        """The form as rows for the template: each row's number field and source field."""
        return [
            {"label": f.label, "unit": f.unit, "value": self[f.value_name], "source": self[f.source_name]}
            for f in YEARLY_FIELDS
        ]


for _f in YEARLY_FIELDS:
    YearlyFiguresForm.base_fields[_f.value_name] = _value_field(_f)
    YearlyFiguresForm.base_fields[_f.source_name] = _source_field(_f)
