"""The KPI rule: the share satisfied on the headline question (top-2-box CSAT; why: docs/measurement.md).

The rule is counted in one place, the database queries of ``db/repo/aggregates.py``, which take these values
from here; this module holds the values and the definition printed beside every result.
"""

from __future__ import annotations

from typing import TypedDict

SATISFIED_VALUES = (4, 5)
SCORED_VALUES = (1, 2, 3, 4, 5)
GOAL = 0.80


class Texts(TypedDict):
    da: str
    en: str


class Scale(TypedDict):
    values: list[int]
    da: str
    en: str


class KpiDefinition(TypedDict):
    version: str
    name: Texts
    definition: Texts
    scale: Scale
    satisfied_values: list[int]
    excluded: Texts
    goal: float
    goal_text: Texts


# Printed in every export so a reader knows exactly what was counted; bump the version on any change.
KPI_DEFINITION: KpiDefinition = {
    "version": "csat-top2-v1",
    "name": {"da": "Andel tilfredse", "en": "Share satisfied"},
    "definition": {
        "da": "Andel med svar 4 eller 5 af dem, der svarede 1–5 på hovedspørgsmålet; 'ved ikke' tæller ikke med.",
        "en": "Share answering 4 or 5 among those who answered 1–5 to the headline question; "
        "'don't know' is not counted.",
    },
    "scale": {
        "values": list(SCORED_VALUES),
        "da": "1 = meget utilfreds, 2 = utilfreds, 3 = hverken tilfreds eller utilfreds, 4 = tilfreds, "
        "5 = meget tilfreds",
        "en": "1 = very dissatisfied, 2 = dissatisfied, 3 = neither satisfied nor dissatisfied, "
        "4 = satisfied, 5 = very satisfied",
    },
    "satisfied_values": list(SATISFIED_VALUES),
    "excluded": {"da": "'ved ikke' og ubesvarede", "en": "'don't know' and unanswered"},
    "goal": GOAL,
    "goal_text": {
        "da": "Mindst 80 % tilfredse (beskæftigelsesplanens mål)",
        "en": "At least 80% satisfied (the employment plan's goal)",
    },
}
