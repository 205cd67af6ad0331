"""Sanitising rich text. Plain module: no Django import."""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "hr",
    "a",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}


def sanitize_html(value: str) -> str:
    """Keep safe formatting only: no script, style, event handler or javascript: URL survives."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs as escaped <p> elements."""
    from html import escape

    return "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs if p.strip())


# Elements after which a reader sees a break: text on either side never runs together.
_BREAKS = re.compile(r"<(?:br|hr|/p|/li|/td|/th|/tr|/h[1-6]|/blockquote|/pre|/div|/caption)\b[^>]*>", re.I)


def html_to_text(value: str) -> str:
    """The text a reader sees in sanitised HTML: tags removed, entities decoded, blocks on new lines."""
    return html.unescape(nh3.clean(_BREAKS.sub("\n", value or ""), tags=set())).strip()
