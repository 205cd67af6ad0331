"""Default wording of the written notices and how placeholders are filled.

Plain module, no Django import. Staff may replace any template (per agency)
in the admin; placeholders are written `{申请人}` and unknown ones are left as
they are, so a typo shows in the letter instead of breaking it.
"""

REMEDIES = (
    "如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议，"
    "或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。"
)

DEFAULT_TEMPLATES: dict[str, str] = {
    "receipt": (
        "本机关已于{收到日期}收到您（单位）提交的政府信息公开申请，申请内容为：“{申请内容}”。\n"
        "本机关将依照《中华人民共和国政府信息公开条例》的规定，自收到申请之日起{答复工作日}个工作日内予以答复"
        "（预计不晚于{答复期限}）。\n"
        "您可凭查询码 {查询码} 和联系电话后四位在政务公开网站查询办理进度。"
    ),
    "correction": (
        "本机关于{收到日期}收到您（单位）提交的政府信息公开申请。经审查，您的申请内容不明确，"
        "根据《中华人民共和国政府信息公开条例》第三十条的规定，请您作出补正，需补正的事项如下：\n"
        "{补正事项}\n"
        "请于{补正期限}前将补正后的申请提交本机关。答复期限自本机关收到补正申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"
    ),
    "extension": (
        "本机关于{收到日期}收到您（单位）提交的政府信息公开申请。因{延期理由}，不能在规定期限内作出答复。"
        "根据{延期依据}的规定，经{延期批准人}同意，答复期限延长{延期天数}个工作日，"
        "本机关将于{延长后期限}前作出答复。"
    ),
    "suspension": (
        "本机关于{收到日期}收到您（单位）提交的政府信息公开申请。因{中止理由}，"
        "本机关自{日期}起中止办理您的申请，中止期间不计算在答复期限内。中止情形消除后，本机关将及时恢复办理并书面告知您。"
    ),
    "resumption": (
        "本机关于{收到日期}收到您（单位）提交的政府信息公开申请，曾因不可抗力中止办理。"
        "现中止情形已经消除，本机关自{日期}起恢复办理，答复期限相应顺延至{答复期限}。"
    ),
    "consultation": (
        "本机关于{收到日期}收到一份政府信息公开申请，申请公开的政府信息可能涉及贵方合法权益：\n"
        "{征求意见内容}\n"
        "根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。"
        "请于收到本函之日起15个工作日内提出意见；逾期未提出意见的，由本机关依照条例的规定决定是否公开。"
    ),
    "fee": (
        "本机关于{收到日期}收到您（单位）提交的政府信息公开申请。您申请公开政府信息的数量、频次明显超过合理范围，"
        "根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》的规定，"
        "需收取信息处理费{收费金额}元。\n"
        "请于{缴费期限}前缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"
    ),
    "reply": (
        "本机关于{收到日期}收到您（单位）提交的政府信息公开申请，申请内容为：“{申请内容}”。\n"
        "经审查，现答复如下：\n"
        "{答复内容}\n"
        "{法律依据}\n"
        "{不予公开部分}\n" + REMEDIES
    ),
}


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: dict[str, str]) -> list[str]:
    """The template's paragraphs with placeholders filled; empty paragraphs dropped."""
    try:
        text = template.format_map(_KeepUnknown(values))
    except (ValueError, IndexError, KeyError, AttributeError):
        # A stray brace in a staff-edited template: show it as written rather than fail.
        text = template
    return [line.strip() for line in text.splitlines() if line.strip()]
