"""How urgent a request is on a day: the one computation behind the case page's milestones, the
queues' overdue and due-soon rows and the landing page (我的待办).

Pure Python, no Django. It reads the clock's milestones (``clock.compute``), so the internal
milestones of an agency's rule set count as well as the statutory reply: under the seed agency's
rules (seed 004 art. 19) a case whose department has not answered within its 10 working days is
overdue, even while the reply itself is not yet due.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .calendar import WorkCalendar
from .clock import ClockState, Milestone

__all__ = ["DUE_SOON_WORKDAYS", "NOT_URGENT", "Urgency", "urgency"]

# "Due soon": due within this many working days (the queues colour such rows, reminders go out).
DUE_SOON_WORKDAYS = 3

# The milestones the agency's own staff must meet (forward, the department's answer, the reply) are
# those the clock does not mark as a ``window``. The others are not the agency's to miss: the
# applicant's correction and payment lapse the request, a consulted third party's silence does not
# make the agency late, and the 补正告知 period is a limit on an optional step, not a task.


@dataclass(frozen=True)
class Urgency:
    """``missed``: the agency's milestones past their date and not met (the case is overdue);
    ``due_soon``: those not met and due within ``DUE_SOON_WORKDAYS`` working days of today."""

    missed: tuple[Milestone, ...] = ()
    due_soon: tuple[Milestone, ...] = ()

    @property
    def overdue(self) -> bool:
        return bool(self.missed)

    @property
    def level(self) -> str:
        """'overdue', 'due_soon' or '' (the row's colour in the queues)."""
        if self.missed:
            return "overdue"
        return "due_soon" if self.due_soon else ""

    @property
    def first(self) -> Milestone | None:
        """The most pressing milestone: the earliest missed one, else the earliest due soon."""
        return next(iter(self.missed or self.due_soon), None)


NOT_URGENT = Urgency()


def urgency(
    state: ClockState, *, today: datetime.date, calendar: WorkCalendar, soon_days: int = DUE_SOON_WORKDAYS
) -> Urgency:
    """The urgency of a case whose clock is ``state`` on ``today``.

    Nothing is urgent once the case is replied or has lapsed, nor while the applicant's correction
    is awaited (the count restarts when it arrives). A milestone due today is due soon, not missed;
    one due on the ``soon_days``-th working day after today is due soon, one a working day later is not.
    """
    if state.replied_on is not None or state.lapsed is not None:
        return NOT_URGENT
    if any(m.key == "correction_due" and m.done_on is None for m in state.milestones):
        return NOT_URGENT
    pending = sorted(
        (m for m in state.milestones if not m.window and m.done_on is None),
        key=lambda m: m.due,
    )
    horizon = calendar.add(today, soon_days)
    return Urgency(
        missed=tuple(m for m in pending if m.due < today),
        due_soon=tuple(m for m in pending if today <= m.due <= horizon),
    )
