"""The surveys as staff see them: a name, and each segment with its allowed values, in the page's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tilfreds.web.i18n import translate


@dataclass(frozen=True)
class SegmentField:
    key: str
    label: str
    choices: tuple[tuple[str, str], ...]  # (value, label)


@dataclass(frozen=True)
class StaffSurvey:
    key: str
    title: str  # the staff's name for it, e.g. "Borgerevaluering"
    respondent_title: str  # what respondents see, in the page's language
    segments: tuple[SegmentField, ...]
    channel: SegmentField | None = None  # the channel answers came through: a breakdown, not an invitation field
    language: SegmentField | None = None  # the language answers were given in: a breakdown too

    @property
    def segment_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.segments)

    @property
    def breakdowns(self) -> tuple[SegmentField, ...]:
        """What results can be broken down by: the segments, then the channel and the language."""
        return self.segments + tuple(f for f in (self.channel, self.language) if f is not None)

    def segment(self, key: str) -> SegmentField | None:
        return next((f for f in self.segments if f.key == key), None)


def _text(value: object, lang: str, fallback: str) -> str:
    from surveys import localize

    if isinstance(value, Mapping) and value:
        return localize(value, lang)
    return fallback


def _channel_field(lang: str) -> SegmentField:
    from analytics.layout import CHANNEL, CHANNEL_LABELS, CHANNEL_VALUE_LABELS, CHANNELS

    labels = CHANNEL_VALUE_LABELS.get(lang, CHANNEL_VALUE_LABELS["da"])
    return SegmentField(CHANNEL, CHANNEL_LABELS.get(lang, "Kanal"), tuple((c, labels[c]) for c in CHANNELS))


def staff_surveys(lang: str) -> list[StaffSurvey]:
    """Every survey in use, in the definitions' order."""
    from surveys import LANGUAGE_SEGMENT, LANGUAGE_SEGMENT_NAME, builtin_surveys, localize
    from translations import name_for_reader

    found = []
    for key, survey in builtin_surveys().items():
        labels = getattr(survey, "segment_labels", {}) or {}
        value_labels = getattr(survey, "segment_value_labels", {}) or {}
        fields = tuple(
            SegmentField(
                key=seg,
                label=_text(labels.get(seg), lang, seg),
                choices=tuple((v, _text((value_labels.get(seg) or {}).get(v), lang, v)) for v in values),
            )
            for seg, values in survey.segments.items()
        )
        name = _text(survey.staff_name, lang, key)
        by_language = SegmentField(
            key=LANGUAGE_SEGMENT,
            label=localize(LANGUAGE_SEGMENT_NAME, lang),
            choices=tuple((code, name_for_reader(code, lang)) for code in survey.languages),
        )
        found.append(StaffSurvey(key, name, _text(survey.title, lang, key), fields, _channel_field(lang), by_language))
    return found


def segment_text(survey: StaffSurvey, segments: Mapping[str, str], lang: str) -> str:
    """``Ydelse: Kontanthjælp · Enhed: Ungeenheden``, or the survey-wide word for none."""
    if not segments:
        return translate(lang, "all")
    parts = []
    for key, value in segments.items():
        field = survey.segment(key)
        if field is None:
            parts.append(f"{key}: {value}")
            continue
        parts.append(f"{field.label}: {dict(field.choices).get(value, value)}")
    return " · ".join(parts)
