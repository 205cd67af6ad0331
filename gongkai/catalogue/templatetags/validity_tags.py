"""{% validity_badge item %}: the 有效性 mark of an item in any listing (see catalogue.validity_mark)."""

from django import template
from django.utils.html import format_html

from gongkai.catalogue.validity_mark import validity_mark

register = template.Library()


@register.simple_tag
def validity_badge(item) -> str:
    """A badge "已废止"/"已失效"/"已修改" beside the title; nothing for a valid item."""
    validity = getattr(item, "validity", "")
    mark = validity_mark(validity, item.get_validity_display() if validity else "")
    if not mark:
        return ""
    return format_html(' <span class="badge warn validity-badge" title="有效性：{}">{}</span>', mark, mark)
