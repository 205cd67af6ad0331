from django import template
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.html import body_html

register = template.Library()


@register.filter(name="body_html")
def body_html_filter(value: object) -> SafeString:
    """A stored (sanitised) body as HTML; one stored as plain text shown as paragraphs."""
    return mark_safe(body_html("" if value is None else str(value)))
