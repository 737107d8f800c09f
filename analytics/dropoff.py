"""Where people stop: per question, how many reached it, answered it, skipped it, and stopped there.

Pure: the counts of :mod:`db.repo.dropoff` in, rows in the survey's question order out. The population is
every response *started* in the period (not withdrawn), so people who stopped before the headline count too.
A selection with fewer started responses than the minimum cell size shows no rows at all. Within a larger
selection the counts are shown as they are: they say where people left the survey, never what anyone answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analytics.layout import SurveyLayout
from db.repo.dropoff import QuestionFlow


@dataclass(frozen=True)
class DropoffRow:
    question_id: str
    label: str
    reached: int  # answered + skipped + stopped there
    answered: int
    skipped: int
    stopped: int  # unfinished responses that stand at this question, not answered


@dataclass(frozen=True)
class Dropoff:
    started: int | None  # None when hidden
    display_started: str  # "42" or "<5"
    rows: list[DropoffRow]
    suppressed: bool


def build_dropoff(layout: SurveyLayout, started: int, flows: Sequence[QuestionFlow], min_size: int) -> Dropoff:
    """The survey's questions in order with their counts; nothing but the mark below ``min_size`` started."""
    if 0 < started < min_size:
        return Dropoff(None, f"<{min_size}", [], True)
    by_id = {flow.question_id: flow for flow in flows}
    rows = []
    for item in layout.items:
        flow = by_id.get(item.id, QuestionFlow(item.id))
        reached = flow.answered + flow.skipped + flow.stopped
        rows.append(DropoffRow(item.id, item.label, reached, flow.answered, flow.skipped, flow.stopped))
    return Dropoff(started, str(started), rows, False)
