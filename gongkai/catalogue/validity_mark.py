"""How an item's 有效性 is marked wherever the item is listed. Plain module, no Django imports.

One rule for every listing (home page boxes, columns, browse lists, search results, 相关信息, feeds):
an item that is no longer simply 有效 carries its 有效性 next to its title, so a reader never follows
a repealed rule from a list without being told.
"""

VALID = "valid"


def validity_mark(validity: str, label: str) -> str:
    """The label to show beside the title ("" for a valid item)."""
    return "" if not validity or validity == VALID else label


def title_with_validity(title: str, validity: str, label: str) -> str:
    """A title for plain-text listings (RSS and Atom feeds): "【已废止】" before it when not valid."""
    mark = validity_mark(validity, label)
    return f"【{mark}】{title}" if mark else title
