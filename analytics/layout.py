"""What a report needs to know about a survey: its headline, its items and its segments.

A small value built from a :class:`surveys.model.Survey` (``layout_of``), so report building and its
tests do not depend on the whole survey definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from surveys.model import Survey

MISSING_LABEL = "(ikke angivet)"


@dataclass(frozen=True)
class ItemInfo:
    """One question as reports show it: id, kind ("scale", "nps" or "text") and a short Danish label."""

    id: str
    kind: str
    label: str


@dataclass(frozen=True)
class SurveyLayout:
    key: str
    title: str
    headline_id: str
    items: tuple[ItemInfo, ...]
    # Segment key → allowed values, in the order reports list them.
    segments: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    segment_labels: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def items_of(self, *kinds: str) -> tuple[ItemInfo, ...]:
        return tuple(item for item in self.items if item.kind in kinds)

    def segment_label(self, key: str) -> str:
        return self.segment_labels.get(key, key)

    def value_label(self, key: str, value: str | None) -> str:
        if value is None:
            return MISSING_LABEL
        return self.value_labels.get(key, {}).get(value, value)


# The channel a response came through: a segment of every survey, from the response rather than the invitation.
CHANNEL = "channel"
CHANNELS = ("telegram", "web")
CHANNEL_LABELS = {"da": "Kanal", "en": "Channel"}
CHANNEL_VALUE_LABELS = {
    "da": {"telegram": "Telegram", "web": "Browser"},
    "en": {"telegram": "Telegram", "web": "Browser"},
}


def layout_of(survey: Survey, language: str = "da") -> SurveyLayout:
    """The report layout of a loaded survey definition (``surveys.get_survey(key)``), with the channel and
    the language answered in as segments after the survey's own (neither changes the KPI)."""
    from surveys.model import LANGUAGE_SEGMENT, LANGUAGE_SEGMENT_NAME, localize
    from translations import name_for_reader

    lang = language if language in CHANNEL_LABELS else "da"

    items = tuple(
        ItemInfo(q.id, q.kind, localize(q.short, language) or localize(q.text, language)) for q in survey.questions
    )
    return SurveyLayout(
        key=survey.key,
        # The definition's report_title: its own title is a question to the respondent.
        title=localize(survey.staff_report_title, language),
        headline_id=survey.headline.id,
        items=items,
        segments={
            **{key: tuple(values) for key, values in survey.segments.items()},
            CHANNEL: CHANNELS,
            LANGUAGE_SEGMENT: tuple(survey.languages),
        },
        segment_labels={
            **{key: localize(text, language) for key, text in survey.segment_labels.items()},
            CHANNEL: CHANNEL_LABELS[lang],
            LANGUAGE_SEGMENT: localize(LANGUAGE_SEGMENT_NAME, language),
        },
        value_labels={
            **{
                key: {value: localize(text, language) for value, text in labels.items()}
                for key, labels in survey.segment_value_labels.items()
            },
            CHANNEL: CHANNEL_VALUE_LABELS[lang],
            LANGUAGE_SEGMENT: {code: name_for_reader(code, language) for code in survey.languages},
        },
    )
