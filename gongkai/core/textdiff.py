"""What changed between two texts, character by character (Chinese has no spaces to split words on),
shown paragraph by paragraph. Plain module, no Django import.

The comparison is Google's diff-match-patch (the ``diff-match-patch`` package): Myers' diff with a
line-level pass first on long texts and a time limit, after which it returns a coarser but still
correct diff instead of taking quadratic time; its semantic clean-up merges the scattered
one-character matches a raw character diff of Chinese text is full of.

``paragraph_diff(old, new)`` returns the paragraphs to show, in order: a ``Paragraph`` of ``Run``s
(``op`` "=" unchanged, "-" removed, "+" added) or a ``Skipped`` count of unchanged paragraphs left
out between changes. ``line_diff(old, new)`` returns the runs of a one-line value (名称, 文号).
Templates render runs as text inside ``<del>``/``<ins>``, escaped as usual.
"""

from dataclasses import dataclass

from diff_match_patch import diff_match_patch

# Seconds a comparison may take before diff-match-patch settles for a coarser diff.
DIFF_SECONDS = 0.5
_OPS = {
    diff_match_patch.DIFF_EQUAL: "=",
    diff_match_patch.DIFF_DELETE: "-",
    diff_match_patch.DIFF_INSERT: "+",
}


@dataclass(frozen=True)
class Run:
    op: str  # "=", "-" or "+"
    text: str


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def changed(self) -> bool:
        return any(run.op != "=" for run in self.runs)


@dataclass(frozen=True)
class Skipped:
    count: int  # unchanged paragraphs not shown


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _diffs(old: str, new: str) -> list[tuple[str, str]]:
    engine = diff_match_patch()
    engine.Diff_Timeout = DIFF_SECONDS
    diffs = engine.diff_main(old, new)
    engine.diff_cleanupSemantic(diffs)
    return [(_OPS[op], text) for op, text in diffs if text]


def line_diff(old: str, new: str) -> tuple[Run, ...]:
    """The runs turning ``old`` into ``new``; () when they are the same."""
    if old == new:
        return ()
    return tuple(Run(op, text) for op, text in _diffs(old, new))


def _split(diffs: list[tuple[str, str]]) -> list[Paragraph]:
    """The runs cut into paragraphs at every line break, removed, added or kept."""
    paragraphs: list[Paragraph] = []
    runs: list[Run] = []
    for op, text in diffs:
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if part:
                runs.append(Run(op, part))
            if index < len(parts) - 1 and runs:
                paragraphs.append(Paragraph(tuple(runs)))
                runs = []
    if runs:
        paragraphs.append(Paragraph(tuple(runs)))
    return paragraphs


def paragraph_diff(old: str, new: str, *, context: int = 1) -> list[Paragraph | Skipped]:
    """The changes from ``old`` to ``new`` (plain text, one paragraph a line), with ``context``
    unchanged paragraphs kept around each change; [] when the paragraphs are the same."""
    before, after = _paragraphs(old), _paragraphs(new)
    if before == after:
        return []
    paragraphs = _split(_diffs("\n".join(before), "\n".join(after)))
    changed = [index for index, paragraph in enumerate(paragraphs) if paragraph.changed]
    keep = {
        near
        for index in changed
        for near in range(index - context, index + context + 1)
        if 0 <= near < len(paragraphs)
    }
    shown: list[Paragraph | Skipped] = []
    for index, paragraph in enumerate(paragraphs):
        if index in keep:
            shown.append(paragraph)
        elif shown and isinstance(shown[-1], Skipped):
            shown[-1] = Skipped(shown[-1].count + 1)
        else:
            shown.append(Skipped(1))
    return shown
