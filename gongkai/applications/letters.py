"""Default wording of the written notices, which placeholders each may use, and how they are filled.

Plain module, no Django import. The office may replace any template (per agency) on the templates
page. A placeholder is a known name in braces, `{申请人}`; `{{` and `}}` write a literal brace.
Nothing else is a placeholder: no format specification, conversion, attribute or index (`str.format`
would let `{申请人:>2000000}` pad a field to megabytes or `{申请人.__class__}` print Python internals).
`check_template` refuses anything else when a template is saved; `fill` substitutes by plain lookup
and leaves anything it does not know as written, so a template stored before the check is harmless.
"""

import re

# The remedies sentence (条例 art. 51): who reconsiders and which court, from the agency's settings
# (``remedies``); this generic form when they are not configured.
REMEDIES = (
    "如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议，"
    "或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。"
)


def remedies(reconsideration_body: str = "", court: str = "") -> str:
    """The remedies sentence naming the 复议机关 and the court when the agency has set them."""
    body, court = reconsideration_body.strip(), court.strip()
    if not body and not court:
        return REMEDIES
    to_body = f"向{body}申请行政复议" if body else "依法申请行政复议"
    to_court = f"向{court}提起行政诉讼" if court else "依法向人民法院提起行政诉讼"
    return (
        f"如对本答复不服，可以自收到本答复之日起六十日内{to_body}，或者自收到本答复之日起六个月内{to_court}。"
    )


# How a letter addresses the applicant: a natural person is 您, an organisation 你单位 (the wording
# of county offices' 告知书). Templates write {称谓}; "您（单位）" and a bare 您 in a template stored
# before the placeholder existed are adapted the same way (``address``).
NATURAL_FORM = "您"
ORGANISATION_FORM = "你单位"


def address_form(organisation: bool) -> str:
    return ORGANISATION_FORM if organisation else NATURAL_FORM


def address(text: str, organisation: bool) -> str:
    """``text`` (a template or a fixed wording, never the applicant's own words) with its address
    to the applicant in the right form: "您（单位）" becomes 您 or 你单位, and for an organisation
    every other 您 becomes 你单位."""
    form = address_form(organisation)
    text = re.sub(r"[您你]（单位）|[您你]\(单位\)", form, text)
    if organisation:
        text = text.replace("您单位", ORGANISATION_FORM).replace("您", ORGANISATION_FORM)
    return text


# A quoted text ends without its own sentence-final stop: the sentence around it supplies one.
_TRAILING_STOPS = "。．.，,、；;：: \u3000"
_CLOSING_QUOTES = "”’」』"
_DOUBLE_STOP = re.compile(f"[。．.]([{_CLOSING_QUOTES}])(?=[。．.，,；;：:、！？!?）)])")


def quotable(text: str, limit: int = 300) -> str:
    """``text`` ready to stand inside Chinese quotation marks in a letter: whitespace collapsed, cut
    visibly (……) after ``limit`` characters, and without a trailing 。 (or other stop), so that the
    sentence around the quotation supplies the one stop: “……”。, never “……。”。."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rstrip() + "……"
    return text.rstrip(_TRAILING_STOPS)


def quote(text: str, limit: int = 300) -> str:
    """``quotable(text)`` in Chinese quotation marks: “……”."""
    return f"“{quotable(text, limit)}”"


def tidy(text: str) -> str:
    """A stop inside closing quotation marks that is followed by more punctuation dropped
    (“……。”。 → “……”。): what a template quoting a value that ends in 。 would otherwise print."""
    return _DOUBLE_STOP.sub(r"\1", text)


def once_reviewed(paragraphs: list[str]) -> list[str]:
    """The letter's paragraphs with 经审查 said once: the office's template ("经审查，现答复如下") and
    the staff's reply text or a legal basis ("经审查，您申请的……") often both say it; every later
    "经审查，" is dropped (a paragraph left empty goes)."""
    seen = False
    out: list[str] = []
    for paragraph in paragraphs:
        parts = re.split(r"(经审查[，,：:]?)", paragraph)
        kept = [parts[0]]
        for marker, rest in zip(parts[1::2], parts[2::2], strict=True):
            if seen:
                kept.append(rest)
            else:
                kept.append(marker + rest)
                seen = True
        text = "".join(kept).strip()
        if text:
            out.append(text)
    return out


DEFAULT_TEMPLATES: dict[str, str] = {
    "receipt": (
        "本机关已于{收到日期}收到{称谓}提交的政府信息公开申请，申请内容为：“{申请内容}”。\n"
        "本机关将依照《中华人民共和国政府信息公开条例》的规定，自收到申请之日起{答复工作日}个工作日内予以答复"
        "（预计不晚于{答复期限}）。{称谓}可凭查询码 {查询码} 和联系电话后四位在政务公开网站查询办理进度。"
    ),
    "correction": (
        "本机关于{收到日期}收到{称谓}提交的政府信息公开申请。经审查，{称谓}的申请内容不明确，"
        "根据《中华人民共和国政府信息公开条例》第三十条的规定，请{称谓}作出补正，需补正的事项如下：\n"
        "{补正事项}\n"
        "请自收到本告知书之日起{补正工作日数}个工作日内将补正后的申请提交本机关。答复期限自本机关收到补正申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"
    ),
    "extension": (
        "{申请}收悉。因{延期理由}，不能在规定期限内作出答复。"
        "根据{延期依据}的规定，经{延期批准人}同意，答复期限延长{延期天数}个工作日，"
        "本机关将于{延长后期限}前作出答复。"
    ),
    "suspension": (
        "{申请}收悉。因{中止理由}，本机关自{日期}起中止办理{称谓}的申请，中止期间不计算在答复期限内。"
        "中止情形消除后，本机关将及时恢复办理并书面告知{称谓}。"
    ),
    "resumption": (
        "{申请}收悉，本机关曾因不可抗力中止办理。"
        "现中止情形已经消除，本机关自{日期}起恢复办理，答复期限相应顺延至{答复期限}。"
    ),
    "consultation": (
        "本机关于{收到日期}收到一份政府信息公开申请，申请公开的政府信息可能涉及贵方合法权益：\n"
        "{征求意见内容}\n"
        "根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。"
        "请于收到本函之日起15个工作日内提出意见；逾期未提出意见的，由本机关依照条例的规定决定是否公开。"
    ),
    "fee": (
        "{申请}收悉。{称谓}申请公开政府信息的数量、频次明显超过合理范围，"
        "根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》的规定，"
        "需收取信息处理费{收费金额}元。\n"
        "请自收到本通知之日起{缴费工作日数}个工作日内缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"
    ),
    "reply": ("{申请}收悉。经审查，现答复如下：\n{答复内容}\n{法律依据}\n{不予公开部分}\n{救济途径}"),
}


# The receipt is one page (it is handed over at the window): it quotes the request's first characters.
RECEIPT_QUOTE_LIMIT = 50
TEMPLATE_MAX_CHARS = 5000

# What every letter can say about its case (notices.values_for).
COMMON_PLACEHOLDERS = (
    "申请人",
    "称谓",
    "收到日期",
    "申请",
    "申请内容",
    "补正日期",
    "补正后的申请内容",
    "查询码",
    "答复工作日",
    "答复期限",
    "机关",
    "日期",
    "答复结果",
    "答复内容",
    "法律依据",
    "不予公开部分",
    "复议机关",
    "管辖法院",
    "救济途径",
)
# What a kind of letter adds (the `extra` its service passes to notice_issue).
KIND_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "receipt": (),
    "correction": ("补正事项", "补正工作日数", "补正期限"),
    "extension": ("延期理由", "延期天数", "延期依据", "延期批准人", "延长后期限"),
    "suspension": ("中止理由",),
    "resumption": (),
    "consultation": ("征求意见内容",),
    "fee": ("收费金额", "缴费工作日数", "缴费期限"),
    "reply": (),
}

# `{{`, `}}`, a braced field without braces inside it, or a lone brace: the whole template is
# covered by these and literal text, so nothing is ever evaluated.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


class TemplateRefused(ValueError):
    """A template the office may not save; ``message`` is Chinese and names the bad placeholder."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def placeholders_for(kind: str) -> tuple[str, ...]:
    """The placeholder names a template of ``kind`` may use (KeyError for an unknown kind)."""
    return COMMON_PLACEHOLDERS + KIND_PLACEHOLDERS[kind]


def _shown(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


def check_template(template: str, kind: str) -> str:
    """Return ``template`` if every brace in it is a known placeholder of ``kind``, `{{` or `}}`.

    Raises TemplateRefused naming the first offending placeholder (or stray brace), or when the
    template is longer than TEMPLATE_MAX_CHARS characters.
    """
    if len(template) > TEMPLATE_MAX_CHARS:
        raise TemplateRefused(f"模板不能超过{TEMPLATE_MAX_CHARS}字（当前{len(template)}字）。")
    allowed = placeholders_for(kind)
    names = "、".join(f"{{{n}}}" for n in allowed)
    for match in _TOKEN.finditer(template):
        token = match.group()
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            raise TemplateRefused(
                f"模板中有单独的“{token}”。占位符须写成{{名称}}；"
                f"如需在文书中显示花括号，请写成“{token * 2}”。"
            )
        name = match.group(1)
        if name in allowed:
            continue
        if name.strip() in allowed:
            hint = f"占位符内不能有空格，请写成“{{{name.strip()}}}”。"
        elif name in COMMON_PLACEHOLDERS or any(name in extra for extra in KIND_PLACEHOLDERS.values()):
            hint = "该占位符不能用于这类文书。"
        else:
            hint = "占位符只能写成{名称}，不能带格式、属性或下标。"
        raise TemplateRefused(f"模板中的“{_shown(token)}”不是可用的占位符：{hint}可用的占位符有：{names}。")
    return template


def fill(template: str, values: dict[str, str]) -> list[str]:
    """The template's paragraphs with placeholders filled; empty paragraphs dropped.

    Plain substitution: `{名称}` becomes ``values[名称]`` when the name is in ``values`` (values are
    inserted as they are, never expanded again); `{{` and `}}` become single braces; anything else,
    including `{申请人:>9}` or `{申请人.__class__}`, is left exactly as written. Never raises.
    """

    def replace(match: re.Match[str]) -> str:
        token = match.group()
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name is not None and name in values:
            return str(values[name])
        return token

    text = _TOKEN.sub(replace, template)
    return [tidy(line.strip()) for line in text.splitlines() if line.strip()]
