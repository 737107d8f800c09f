"""Survey definitions as immutable values.

Everything here is frozen and hashable, so a loaded survey can be shared between tasks, used as a cache
key and stored as a version in the database (``Survey.to_dict`` / ``Survey.from_dict``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

FORMAT_VERSION = 1
DEFAULT_LANGUAGE = "da"

QUESTION_KINDS = ("scale", "nps", "text")
QuestionKind = Literal["scale", "nps", "text"]

DONT_KNOW = "dk"  # "ved ikke": no value, left out of the KPI
NOT_RELEVANT = "na"  # "ikke relevant": no value
SPECIAL_OPTIONS = (DONT_KNOW, NOT_RELEVANT)

# The scheduled follow-ups a survey can be reported in (analytics/jobs.py); a file without ``follow_ups``
# goes to the committee only.
FOLLOW_UPS = ("committee", "annual")
DEFAULT_FOLLOW_UPS = ("committee",)

SCALE_VALUES = (1, 2, 3, 4, 5)
NPS_VALUES = tuple(range(11))
TEXT_MAX_LENGTH = 1000

# Reports break answers down by the language they were given in, like a segment under this name; a survey's
# own segments may not use it.
LANGUAGE_SEGMENT = "language"
LANGUAGE_SEGMENT_NAME = {"da": "Sprog", "en": "Language"}

# Ids travel in Telegram callback data (64 bytes in all), so they stay short and plain.
QUESTION_ID_RE = re.compile(r"[a-z0-9_]{1,16}")
OPTION_ID_RE = re.compile(r"[a-z0-9_]{1,12}")
SURVEY_KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,23}")
LANGUAGE_RE = re.compile(r"[a-z]{2,3}")
SEGMENT_KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,15}")
# Lower-case words joined by dashes; a trailing "+" allows open-ended ranges such as "250+".
SEGMENT_VALUE_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\+?")


class FrozenMap(Mapping[Any, Any]):
    """A read-only, hashable mapping that keeps insertion order (order does not affect equality)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = ()) -> None:
        self._data = dict(data)
        self._hash: int | None = None

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"


class Text(FrozenMap):
    """A text in several languages: language code → string, e.g. ``Text({"da": "Tak", "en": "Thanks"})``."""


def localize(text: Mapping[str, str], lang: str | None, fallback: str = DEFAULT_LANGUAGE) -> str:
    """The text in ``lang``; ``"en-US"`` finds ``"en"``; otherwise the fallback language, otherwise any."""
    if lang:
        lang = lang.lower()
        for candidate in (lang, lang.split("-")[0].split("_")[0]):
            if text.get(candidate):
                return text[candidate]
    if text.get(fallback):
        return text[fallback]
    return next((value for value in text.values() if value), "")


@dataclass(frozen=True)
class Option:
    """One answer button. ``value`` is the number on the scale; ``None`` for "dk" and "na"."""

    id: str
    value: int | None
    label: Text

    @property
    def is_special(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Condition:
    """Show a question only if an earlier question was answered with one of ``options``.

    With ``negate`` the answer must be none of them. A question that was skipped, not shown or not yet
    answered satisfies neither form, so the dependent question stays hidden.
    """

    question: str
    options: tuple[str, ...]
    negate: bool = False

    def holds(self, option: str | None) -> bool:
        if option is None:
            return False
        return (option in self.options) != self.negate


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    text: Text
    options: tuple[Option, ...] = ()
    optional: bool = False
    headline: bool = False
    max_length: int | None = None
    when: Condition | None = None
    short: Text = field(default_factory=Text)

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


class SegmentError(ValueError):
    """An invitation's segments do not fit the survey (unknown key or value)."""


@dataclass(frozen=True)
class Survey:
    """A complete survey definition.

    ``segments`` maps a segment key (e.g. ``"benefit"``) to its allowed values. Segments come from the
    invitation, never from the respondent. ``source_path`` is where the definition was loaded from; it is
    not part of the content (not compared, not hashed, not in ``to_dict``).
    """

    key: str
    title: Text
    intro: Text
    thanks: Text
    languages: tuple[str, ...]
    questions: tuple[Question, ...]
    segments: FrozenMap = field(default_factory=FrozenMap)
    segment_labels: FrozenMap = field(default_factory=FrozenMap)
    segment_value_labels: FrozenMap = field(default_factory=FrozenMap)
    # The scheduled follow-ups the survey is reported in ("committee", "annual"). Like ``source_path`` it
    # says how the survey is used, not what respondents see: not compared, not hashed, not in ``to_dict``,
    # so choosing it never makes a new survey version.
    follow_ups: tuple[str, ...] = field(default=DEFAULT_FOLLOW_UPS, compare=False, repr=False)
    # How staff see the survey, not what respondents see: like ``source_path`` these are not compared, not
    # hashed and not in ``to_dict``, so renaming a report never makes a new survey version. ``name`` is what
    # staff pages and menus call it, ``report_title`` heads its reports, ``position`` orders the surveys in
    # every list (lower first; None after those with a number).
    name: Text | None = field(default=None, compare=False, repr=False)
    report_title: Text | None = field(default=None, compare=False, repr=False)
    position: int | None = field(default=None, compare=False, repr=False)
    source_path: Path | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # A safety net for hand-built or stored surveys; the loader reports these with file and line.
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"survey {self.key!r}: duplicate question ids")
        if sum(q.headline for q in self.questions) != 1:
            raise ValueError(f"survey {self.key!r}: needs exactly one headline question")
        if DEFAULT_LANGUAGE not in self.languages:
            raise ValueError(f"survey {self.key!r}: languages must include {DEFAULT_LANGUAGE!r}")

    @property
    def staff_name(self) -> Text:
        """What staff call the survey: its ``name``, or else its title."""
        return self.name or self.title

    @property
    def staff_report_title(self) -> Text:
        """The title of its reports: ``report_title``, or else what staff call it."""
        return self.report_title or self.staff_name

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Surveys with a ``position`` first, by position; then the rest by key."""
        return (0, self.position, self.key) if self.position is not None else (1, 0, self.key)

    @property
    def headline(self) -> Question:
        """The headline question, the one the KPI is computed from."""
        return next(q for q in self.questions if q.headline)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None if the survey has no such question."""
        return next((q for q in self.questions if q.id == question_id), None)

    @cached_property
    def content_hash(self) -> str:
        """sha256 (hex) of the canonical JSON of the content: equal content, equal hash."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def validate_segments(self, segments: Mapping[str, str]) -> dict[str, str]:
        """Check an invitation's segments; return them as a plain dict.

        Segments may be left out, but every given key and value must be known. Raises SegmentError
        naming the bad key or value and what is allowed.
        """
        checked: dict[str, str] = {}
        for key, value in segments.items():
            if key not in self.segments:
                known = ", ".join(self.segments) or "(none)"
                raise SegmentError(f"unknown segment {key!r} for survey {self.key!r}; known segments: {known}")
            allowed = self.segments[key]
            if value not in allowed:
                raise SegmentError(f"unknown value {value!r} for segment {key!r}; allowed values: {', '.join(allowed)}")
            checked[key] = value
        return checked

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; ``Survey.from_dict(s.to_dict()) == s``."""
        return {
            "format": FORMAT_VERSION,
            "key": self.key,
            "languages": list(self.languages),
            "title": dict(self.title),
            "intro": dict(self.intro),
            "thanks": dict(self.thanks),
            "questions": [_question_to_dict(q) for q in self.questions],
            "segments": {key: list(values) for key, values in self.segments.items()},
            "segment_labels": {key: dict(text) for key, text in self.segment_labels.items()},
            "segment_value_labels": {
                key: {value: dict(text) for value, text in labels.items()}
                for key, labels in self.segment_value_labels.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Survey:
        """Rebuild a survey stored with ``to_dict`` (e.g. a survey version in the database)."""
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported survey format {data.get('format')!r}; expected {FORMAT_VERSION}")
        return cls(
            key=data["key"],
            languages=tuple(data["languages"]),
            title=Text(data["title"]),
            intro=Text(data["intro"]),
            thanks=Text(data["thanks"]),
            questions=tuple(_question_from_dict(q) for q in data["questions"]),
            segments=FrozenMap((k, tuple(v)) for k, v in data.get("segments", {}).items()),
            segment_labels=FrozenMap((k, Text(v)) for k, v in data.get("segment_labels", {}).items()),
            segment_value_labels=FrozenMap(
                (k, FrozenMap((value, Text(t)) for value, t in labels.items()))
                for k, labels in data.get("segment_value_labels", {}).items()
            ),
        )


def _question_to_dict(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "kind": q.kind,
        "text": dict(q.text),
        "short": dict(q.short),
        "options": [{"id": o.id, "value": o.value, "label": dict(o.label)} for o in q.options],
        "optional": q.optional,
        "headline": q.headline,
        "max_length": q.max_length,
        "when": None
        if q.when is None
        else {"question": q.when.question, "options": list(q.when.options), "negate": q.when.negate},
    }


def _question_from_dict(d: Mapping[str, Any]) -> Question:
    when = d.get("when")
    return Question(
        id=d["id"],
        kind=d["kind"],
        text=Text(d["text"]),
        short=Text(d["short"]),
        options=tuple(Option(o["id"], o["value"], Text(o["label"])) for o in d["options"]),
        optional=bool(d["optional"]),
        headline=bool(d["headline"]),
        max_length=d.get("max_length"),
        when=None
        if when is None
        else Condition(when["question"], tuple(when["options"]), bool(when.get("negate", False))),
    )


ORGANISATION_PLACEHOLDER = "{organisation}"


def with_organisation(text: str, organisation: str) -> str:
    """``{organisation}`` in a survey text replaced by the organisation's name (TILFREDS_ORGANISATION_NAME), so one
    definition serves any municipality. Other braces are left alone."""
    return text.replace(ORGANISATION_PLACEHOLDER, organisation)
