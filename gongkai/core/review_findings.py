"""What the confidentiality review (保密审查) is warned about before sign-off. Pure Python: no Django.

A catalogue item, a revision or a reply is checked as a set of parts (title, body, each
attachment's visible text and each of its hidden parts). ``review_findings`` turns them into
``ReviewFinding`` rows: personal data (``gongkai.core.personal_data``) and hidden content
(hidden sheets, rows and columns, comments, tracked changes, hidden text, annotations, embedded
files), each saying where it is and showing only a masked excerpt. An attachment whose text has
not been read yet is itself a finding: the review cannot have seen it.

Approving in the review and signing off while findings exist needs an explicit decision:
``check_decision`` refuses without one, and ``decision_record`` is what the audit event stores
(the findings acknowledged, masked, and the reviewer's note). The transitions that need it are
marked in the workflow tables (``Transition.findings_decision``); ``required_decision`` is the
guard the services apply for such a transition, ``decision_from_post`` reads the decision the
form (``includes/findings_decision.html``) sends.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from gongkai.core.personal_data import Finding, find_personal_data, grapheme_end, mask_personal_data
from gongkai.core.statemachine import TransitionRefused

HIDDEN_LABELS: dict[str, str] = {
    "hidden_sheet": "隐藏工作表",
    "hidden_row": "隐藏行",
    "hidden_column": "隐藏列",
    "hidden_text": "隐藏文字",
    "comment": "批注",
    "tracked_change": "修订痕迹（已删除或移走的文字）",
    "annotation": "注释",
    "embedded_file": "嵌入文件",
}
PENDING = "pending"
PENDING_LABEL = "附件内容尚未检查完毕"
TRUNCATED = "truncated"
TRUNCATED_LABEL = "附件内容超出检查上限，只检查了前一部分，请人工核对其余内容"
UNREADABLE = "unreadable"
UNREADABLE_LABEL = "附件内容无法读取，请人工核对"

EXCERPTS_PER_ROW = 3  # masked excerpts shown for one kind of finding in one place
HIDDEN_EXCERPT_CHARS = 60

DECISION_MISSING = "存在保密审查提示（个人信息或隐藏内容），请逐项核对后勾选“已核对上述提示，确认可以公开”。"
DECISION_STALE = "保密审查提示已有变化（例如附件检查已完成），请刷新页面重新核对。"


@dataclass(frozen=True)
class Part:
    """One piece of content to check: ``where`` names it for people (标题, 正文, 附件“x.xlsx”)."""

    where: str
    text: str


@dataclass(frozen=True)
class HiddenPart:
    """Content of an attachment a reader of the file does not see (from attachment extraction)."""

    attachment: str  # the file's name
    kind: str  # one of HIDDEN_LABELS
    where: str  # inside the file, e.g. 工作表“名单”第3行 (may be empty)
    text: str


@dataclass(frozen=True)
class ReviewFinding:
    """One row of the review's warning list: a kind of finding in one place, with masked excerpts."""

    where: str
    kind: str
    label: str
    count: int
    excerpts: tuple[str, ...]
    # False only for a file that could not be read at all: shown, but it needs no decision (the
    # upload checks refuse such files; one already stored is for the reviewer to open and look at).
    needs_decision: bool = True

    def as_data(self) -> dict[str, object]:
        return {
            "where": self.where,
            "kind": self.kind,
            "label": self.label,
            "count": self.count,
            "excerpts": list(self.excerpts),
        }


def attachment_where(name: str) -> str:
    return f"附件“{name}”"


def hidden_where(part: HiddenPart) -> str:
    """E.g. 附件“名单.xlsx”：工作表“汇总”第3行（隐藏行）; the kind's label when the part names no place."""
    return f"{attachment_where(part.attachment)}：{part.where or HIDDEN_LABELS.get(part.kind, '隐藏内容')}"


def _short(text: str, limit: int = HIDDEN_EXCERPT_CHARS) -> str:
    """Masked, whitespace collapsed, cut at a grapheme boundary."""
    flat = " ".join(mask_personal_data(text).split())
    if len(flat) <= limit:
        return flat
    return flat[: grapheme_end(flat, limit)] + "…"


def _personal_rows(where: str, text: str) -> list[ReviewFinding]:
    grouped: dict[str, list[Finding]] = {}
    for finding in find_personal_data(text):
        grouped.setdefault(finding.kind, []).append(finding)
    return [
        ReviewFinding(
            where=where,
            kind=str(kind),
            label=found[0].label,
            count=len(found),
            excerpts=tuple(f.excerpt for f in found[:EXCERPTS_PER_ROW]),
        )
        for kind, found in grouped.items()
    ]


def review_findings(
    parts: Iterable[Part],
    hidden: Iterable[HiddenPart] = (),
    pending: Iterable[str] = (),
    unreadable: Iterable[str] = (),
    truncated: Iterable[str] = (),
) -> list[ReviewFinding]:
    """The warnings for one review, in the order the parts are given.

    ``parts``: visible texts (title, summary, body, reply, each attachment's visible text);
    ``hidden``: the attachments' hidden parts; ``pending``: names of attachments whose text is not
    yet extracted; ``unreadable``: names of attachments that could not be read; ``truncated``: names
    of attachments read only up to a limit. Excerpts are masked.
    """
    rows: list[ReviewFinding] = []
    for name in pending:
        rows.append(ReviewFinding(attachment_where(name), PENDING, PENDING_LABEL, 1, ()))
    for name in unreadable:
        rows.append(ReviewFinding(attachment_where(name), UNREADABLE, UNREADABLE_LABEL, 1, (), False))
    for name in truncated:
        rows.append(ReviewFinding(attachment_where(name), TRUNCATED, TRUNCATED_LABEL, 1, ()))
    for part in parts:
        rows.extend(_personal_rows(part.where, part.text or ""))
    hidden_groups: dict[tuple[str, str], list[HiddenPart]] = {}
    for hidden_part in hidden:
        hidden_groups.setdefault((hidden_part.attachment, hidden_part.kind), []).append(hidden_part)
    for (attachment, kind), group in hidden_groups.items():
        rows.append(
            ReviewFinding(
                where=attachment_where(attachment),
                kind=kind,
                label=HIDDEN_LABELS.get(kind, "隐藏内容"),
                count=len(group),
                excerpts=tuple(
                    f"{p.where}：{_short(p.text)}" if p.where else _short(p.text)
                    for p in group[:EXCERPTS_PER_ROW]
                ),
            )
        )
        for hidden_part in group:
            rows.extend(_personal_rows(hidden_where(hidden_part), hidden_part.text or ""))
    return rows


def fingerprint(findings: Iterable[ReviewFinding]) -> str:
    """A short digest of the findings a reviewer saw, to tell whether they changed since."""
    data = json.dumps([f.as_data() for f in findings], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Decision:
    """The reviewer's explicit decision on the findings: confirmed, and which findings were seen."""

    confirmed: bool = False
    note: str = ""
    seen: str = ""  # the fingerprint shown with the form; '' when called without a form


def check_decision(findings: list[ReviewFinding], decision: Decision | None) -> None:
    """Refuse (TransitionRefused, Chinese message) when findings exist and were not acknowledged.

    A decision made on a page that showed other findings (``seen`` differs) is refused too.
    """
    if not needing_decision(findings):
        return
    if decision is None or not decision.confirmed:
        raise TransitionRefused(DECISION_MISSING)
    if decision.seen and decision.seen != fingerprint(findings):
        raise TransitionRefused(DECISION_STALE)


def needing_decision(findings: list[ReviewFinding]) -> list[ReviewFinding]:
    return [f for f in findings if f.needs_decision]


def decision_record(findings: list[ReviewFinding], decision: Decision | None) -> dict[str, object]:
    """What the audit event's ``data`` keeps: the acknowledged (masked) findings and the note."""
    if not needing_decision(findings):
        return {}
    return {
        "findings_acknowledged": [f.as_data() for f in findings],
        "findings_note": (decision.note if decision else "").strip(),
    }


def required_decision(
    needed: bool, findings: Callable[[], list[ReviewFinding]], decision: Decision | None
) -> dict[str, object]:
    """The guard a table row marked ``findings_decision`` names: what the audit event records.

    ``needed``: the transition's ``findings_decision``; ``findings`` is called only then. Raises
    TransitionRefused (see ``check_decision``).
    """
    if not needed:
        return {}
    found = findings()
    check_decision(found, decision)
    return decision_record(found, decision)


def decision_from_post(data: Mapping[str, str]) -> Decision:
    """The decision the fields of ``includes/findings_decision.html`` send (a POST mapping)."""
    return Decision(
        confirmed=data.get("findings_confirmed") == "on",
        note=(data.get("findings_note") or "")[:500],
        seen=(data.get("findings_seen") or "")[:64],
    )
