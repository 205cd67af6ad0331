"""What changed between two texts, paragraph by paragraph and, inside a changed paragraph, character
by character (Chinese has no spaces to split words on). Plain module, no Django import; the
comparison is the standard library's difflib.

``paragraph_diff(old, new)`` returns the paragraphs to show, in order: a ``Paragraph`` of ``Run``s
(``op`` "=" unchanged, "-" removed, "+" added) or a ``Skipped`` count of unchanged paragraphs left
out between changes. Templates render runs as text inside ``<del>``/``<ins>``, escaped as usual.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

# Past this many characters a changed passage is shown as removed and added whole: a character
# comparison of long passages costs quadratic time and reads worse than the two versions.
CHARACTER_DIFF_LIMIT = 3000


@dataclass(frozen=True)
class Run:
    op: str  # "=", "-" or "+"
    text: str


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Skipped:
    count: int  # unchanged paragraphs not shown


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _characters(old: str, new: str) -> list[Run]:
    if len(old) + len(new) > CHARACTER_DIFF_LIMIT:
        return [Run("-", old), Run("+", new)]
    runs = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(Run("=", old[i1:i2]))
            continue
        if i2 > i1:
            runs.append(Run("-", old[i1:i2]))
        if j2 > j1:
            runs.append(Run("+", new[j1:j2]))
    return runs


def paragraph_diff(old: str, new: str, *, context: int = 1) -> list[Paragraph | Skipped]:
    """The changes from ``old`` to ``new`` (plain text, one paragraph a line), with ``context``
    unchanged paragraphs kept around each change; [] when the paragraphs are the same."""
    before, after = _paragraphs(old), _paragraphs(new)
    shown: list[Paragraph | Skipped] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    opcodes = matcher.get_opcodes()
    if all(tag == "equal" for tag, *_ in opcodes):
        return []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            same = before[i1:i2]
            head = same[:context] if index > 0 else []
            tail = same[len(same) - context :] if index < len(opcodes) - 1 and context else []
            if len(head) + len(tail) >= len(same):
                head, tail = same, []
            shown += [Paragraph((Run("=", text),)) for text in head]
            if len(same) > len(head) + len(tail):
                shown.append(Skipped(len(same) - len(head) - len(tail)))
            shown += [Paragraph((Run("=", text),)) for text in tail]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            pairs = zip(before[i1:i2], after[j1:j2], strict=True)
            shown += [Paragraph(tuple(_characters(a, b))) for a, b in pairs]
        elif tag == "replace":
            shown.append(Paragraph(tuple(_characters("\n".join(before[i1:i2]), "\n".join(after[j1:j2])))))
        elif tag == "delete":
            shown += [Paragraph((Run("-", text),)) for text in before[i1:i2]]
        else:
            shown += [Paragraph((Run("+", text),)) for text in after[j1:j2]]
    return shown
