"""Sanitising rich text. Plain module: no Django import.

The allowed tags are what the body editor (Jodit, vendored in catalogue/static) produces — paragraphs,
h2–h4 headings, lists, tables, bold/italic, links, line breaks — plus a few harmless inline marks;
a body pasted from Word keeps that structure and loses its styles, classes, spans and scripts."""

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


# Headings outside the editor's h2–h4 (a pasted Word 标题1 is an h1): kept as the nearest allowed level.
_HEADINGS = re.compile(r"<(/?)\s*h([156])\b", re.I)
_NEAREST = {"1": "2", "5": "4", "6": "4"}
# Something shaped like a whole tag (<p>, </li>, <a href="…">, <br/>) or a comment: plain text such
# as "a<b 时" has none. Reading markup as plain text is safe (it is all escaped), the reverse is not.
_TAG = re.compile(r"<(?:/?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>|!--)")


def sanitize_html(value: str) -> str:
    """Keep safe formatting only: no script, style, event handler or javascript: URL survives."""
    value = _HEADINGS.sub(lambda m: f"<{m.group(1)}h{_NEAREST[m.group(2)]}", value or "")
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        # Removed with their content: what a pasted Word document carries besides its text.
        clean_content_tags={"script", "style", "title", "head", "xml", "template", "noscript"},
    ).strip()


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs as escaped <p> elements."""
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p.strip())


def is_plain_text(value: str) -> bool:
    """No markup at all: typed in a plain text box (no script ran) or stored before the editor."""
    return not _TAG.search(value or "")


def plain_text_to_html(value: str) -> str:
    """Each non-blank line a paragraph; entities read as the characters they stand for, then
    everything escaped again (so "&amp;" and "&" both end up as one "&amp;")."""
    return paragraphs_to_html([line.strip() for line in html.unescape(value or "").splitlines()])


def sanitize_body(value: str) -> str:
    """A body as typed or pasted: plain text becomes paragraphs, markup is sanitised."""
    return plain_text_to_html(value) if is_plain_text(value) else sanitize_html(value)


def body_html(value: str) -> str:
    """A stored body ready to show or to load into the editor: one saved as plain text (before the
    editor, or imported) as paragraphs, never as one run-on line or as visible tags."""
    return plain_text_to_html(value) if is_plain_text(value) else (value or "")


# Elements after which a reader sees a break: text on either side never runs together.
_BREAKS = re.compile(r"<(?:br|hr|/p|/li|/td|/th|/tr|/h[1-6]|/blockquote|/pre|/div|/caption)\b[^>]*>", re.I)


def html_to_text(value: str) -> str:
    """The text a reader sees in sanitised HTML: tags removed, entities decoded, blocks on new lines."""
    return html.unescape(nh3.clean(_BREAKS.sub("\n", value or ""), tags=set())).strip()
