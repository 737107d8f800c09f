"""Turn composed YAML nodes into a Survey, collecting every problem with its line.

The YAML is composed into nodes (not loaded into plain Python values) so that each value keeps the line
it came from, duplicate keys are caught (plain ``yaml.safe_load`` silently keeps the last one) and no
value changes type behind the author's back (``no`` is a language code here, not ``False``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .model import (
    DEFAULT_FOLLOW_UPS,
    DEFAULT_LANGUAGE,
    DONT_KNOW,
    FOLLOW_UPS,
    LANGUAGE_RE,
    LANGUAGE_SEGMENT,
    NPS_VALUES,
    OPTION_ID_RE,
    QUESTION_ID_RE,
    QUESTION_KINDS,
    SCALE_VALUES,
    SEGMENT_KEY_RE,
    SEGMENT_VALUE_RE,
    SPECIAL_OPTIONS,
    SURVEY_KEY_RE,
    TEXT_MAX_LENGTH,
    Condition,
    FrozenMap,
    Option,
    Question,
    QuestionKind,
    Survey,
    Text,
)

# Texts only staff read (short labels, segment names) need these languages, not every language.
STAFF_LANGUAGES = ("da", "en")

_TOP_KEYS = (
    "key",
    "languages",
    "name",
    "report_title",
    "position",
    "title",
    "intro",
    "thanks",
    "scales",
    "questions",
    "segments",
    "follow_ups",
)
_QUESTION_KEYS = ("id", "kind", "text", "short", "scale", "optional", "headline", "max_length", "when")
_WHEN_KEYS = ("question", "answer_is", "answer_is_not")
_SEGMENT_KEYS = ("name", "values")
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}
_NULL_TAG = "tag:yaml.org,2002:null"


class DefinitionError(Exception):
    """A survey definition file is broken. ``str()`` reads ``path:line: problem``.

    ``line`` is 1-based, or None when the problem has no single line. When a file has several problems,
    this error describes the first one and ``problems`` lists all ``(line, problem)`` pairs.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        line: int | None,
        problem: str,
        problems: tuple[tuple[int | None, str], ...] = (),
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        self.problems: tuple[tuple[int | None, str], ...] = problems or ((line, problem),)
        super().__init__(path, line, problem)

    def messages(self) -> list[str]:
        """Every problem as ``path:line: problem``, for ``tilfreds surveys check``."""
        return [_format(self.path, line, problem) for line, problem in self.problems]

    def __str__(self) -> str:
        text = _format(self.path, self.line, self.problem)
        more = len(self.problems) - 1
        return f"{text} (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else text


def _format(path: Path, line: int | None, problem: str) -> str:
    try:
        shown = os.path.relpath(path)
        if shown.startswith(".."):
            shown = str(path)
    except ValueError:  # another drive on Windows
        shown = str(path)
    return f"{shown}:{line}: {problem}" if line else f"{shown}: {problem}"


def _line(node: Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def read_survey(path: Path, root: Node) -> Survey:
    """Build the survey from the document's root node. Raises DefinitionError listing every problem."""
    return _Reader(path).survey(root)


class _Scale:
    """A named set of answers from the ``scales`` section, checked against a kind when used."""

    def __init__(self, name: str, node: Node, options: list[tuple[Option, bool, Node]], broken: bool) -> None:
        self.name = name
        self.node = node
        self.options = options  # (option, label is just the number, key node)
        self.broken = broken  # a problem inside was reported already; do not pile on


class _Reader:
    """Walks the YAML nodes, collecting every problem before giving up."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[tuple[int | None, str]] = []
        self.languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)
        self.checked_scales: set[tuple[str, str]] = set()
        self.broken_ids: set[str] = set()  # questions already reported; no follow-up complaints

    def fail(self, node: Node | None, problem: str) -> None:
        entry = (_line(node), problem)
        if entry not in self.problems:
            self.problems.append(entry)

    # -- generic shapes -------------------------------------------------------------------------------

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]] | None:
        if not isinstance(node, MappingNode):
            self.fail(node, f"{what} must be a list of 'name: value' lines")
            return None
        result: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.fail(key, f"{what}: a name must be a plain word")
                continue
            if key.value in result:
                self.fail(key, f"{what}: {key.value!r} appears twice")
                continue
            result[key.value] = (key, value)
        return result

    def keys(
        self, items: dict[str, Any], node: Node, what: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> None:
        for name, (key, _) in items.items():
            if name not in allowed:
                self.fail(key, f"unknown key {name!r} in {what}; allowed keys: {', '.join(allowed)}")
        for name in required:
            if name not in items:
                self.fail(node, f"{what} is missing {name!r}")

    def string(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag == _NULL_TAG or not node.value.strip():
            self.fail(node, f"{what} must be a text")
            return None
        value: str = node.value
        return value.strip()

    def boolean(self, node: Node, what: str) -> bool | None:
        word = node.value.lower() if isinstance(node, ScalarNode) else None
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        self.fail(node, f"{what} must be true or false")
        return None

    def words(self, node: Node, what: str) -> list[tuple[str, Node]]:
        """A list of plain words (a single word counts as a list of one)."""
        if isinstance(node, ScalarNode):
            return [(node.value, node)]
        if isinstance(node, SequenceNode) and all(isinstance(n, ScalarNode) for n in node.value):
            return [(n.value, n) for n in node.value]
        self.fail(node, f"{what} must be a list like [1, 2]")
        return []

    def text(self, node: Node, what: str, staff: bool = False) -> Text | None:
        """A text per language. Respondent texts need every survey language; staff texts da and en."""
        needed = [lang for lang in STAFF_LANGUAGES if lang in self.languages] if staff else self.languages
        if not isinstance(node, MappingNode):
            self.fail(node, f"{what} must have one text per language, like 'da: ...' and 'en: ...'")
            return None
        items = self.mapping(node, what) or {}
        texts = {}
        for lang, (key, value) in items.items():
            if lang not in self.languages:
                hint = " (Danish is 'da')" if lang == "dk" else ""
                self.fail(
                    key,
                    f"{what}: language {lang!r} is not one of the survey's languages "
                    f"({', '.join(self.languages)}){hint}",
                )
                continue
            string = self.string(value, f"{what} ({lang})")
            if string is not None:
                texts[lang] = string
        missing = [lang for lang in needed if lang not in items]
        if missing:
            self.fail(node, f"{what} is missing the translation for {', '.join(map(repr, missing))}")
        return Text(texts) if len(texts) == len(items) and not missing else None

    # -- the survey -----------------------------------------------------------------------------------

    def survey(self, root: Node) -> Survey:
        top = self.mapping(root, "the survey")
        if top is None:
            raise self.error()
        self.keys(top, root, "the survey", _TOP_KEYS, ("key", "languages", "title", "intro", "thanks"))

        def get(name: str) -> Node:
            return top[name][1]

        key = self.survey_key(get("key")) if "key" in top else None
        if "languages" in top:
            self.languages = self.read_languages(get("languages"))
        title = self.text(get("title"), "title") if "title" in top else None
        intro = self.text(get("intro"), "intro") if "intro" in top else None
        thanks = self.text(get("thanks"), "thanks") if "thanks" in top else None
        scales = self.scales(get("scales")) if "scales" in top else {}
        if "questions" in top:
            questions = self.questions(get("questions"), scales)
        else:
            self.fail(root, "the survey is missing 'questions'")
            questions = ()
        segments = self.segments(get("segments")) if "segments" in top else ({}, {}, {})
        follow_ups = self.follow_ups(get("follow_ups")) if "follow_ups" in top else DEFAULT_FOLLOW_UPS
        name = self.text(get("name"), "name", staff=True) if "name" in top else None
        report_title = self.text(get("report_title"), "report_title", staff=True) if "report_title" in top else None
        position = self.position(get("position")) if "position" in top else None

        if self.problems:
            raise self.error()
        values, labels, value_labels = segments
        # No problems: every required part was read.
        assert key is not None and title is not None and intro is not None and thanks is not None
        return Survey(
            key=key,
            title=title,
            intro=intro,
            thanks=thanks,
            languages=self.languages,
            questions=questions,
            segments=FrozenMap(values),
            segment_labels=FrozenMap(labels),
            segment_value_labels=FrozenMap(value_labels),
            follow_ups=follow_ups,
            name=name,
            report_title=report_title,
            position=position,
            source_path=self.path,
        )

    def error(self) -> DefinitionError:
        problems = tuple(sorted(self.problems, key=lambda p: p[0] or 0))
        line, problem = problems[0]
        return DefinitionError(self.path, line, problem, problems)

    def survey_key(self, node: Node) -> str | None:
        key = self.string(node, "key")
        if key is not None and not SURVEY_KEY_RE.fullmatch(key):
            self.fail(node, f"bad survey key {key!r}: use lower-case letters, digits and _ (at most 24)")
        return key

    def follow_ups(self, node: Node) -> tuple[str, ...]:
        chosen: list[str] = []
        for name, name_node in self.words(node, "follow_ups"):
            if name not in FOLLOW_UPS:
                self.fail(name_node, f"unknown follow-up {name!r}; choose from: {', '.join(FOLLOW_UPS)}")
            elif name not in chosen:
                chosen.append(name)
        return tuple(chosen)

    def position(self, node: Node) -> int | None:
        word = node.value if isinstance(node, ScalarNode) else ""
        if not (word.isascii() and word.isdigit()) or not 1 <= int(word) <= 999:
            self.fail(node, "position must be a whole number from 1 to 999 (lower comes first in lists)")
            return None
        return int(word)

    def read_languages(self, node: Node) -> tuple[str, ...]:
        langs: list[str] = []
        for lang, lang_node in self.words(node, "languages"):
            if not LANGUAGE_RE.fullmatch(lang):
                self.fail(lang_node, f"bad language code {lang!r}: use a 2–3 letter code such as 'da' or 'ar'")
            elif lang in langs:
                self.fail(lang_node, f"language {lang!r} is listed twice")
            else:
                langs.append(lang)
        if DEFAULT_LANGUAGE not in langs:
            self.fail(node, f"languages must include {DEFAULT_LANGUAGE!r} (Danish is the fallback)")
            langs.insert(0, DEFAULT_LANGUAGE)
        return tuple(langs)

    # -- answer scales --------------------------------------------------------------------------------

    def scales(self, node: Node) -> dict[str, _Scale]:
        scales = {}
        for name, (_, scale_node) in (self.mapping(node, "scales") or {}).items():
            problems_before = len(self.problems)
            options = []
            for answer, (key, label_node) in (self.mapping(scale_node, f"scale {name!r}") or {}).items():
                option = self.scale_option(name, answer, key, label_node)
                if option is not None:
                    options.append((*option, key))
            scales[name] = _Scale(name, scale_node, options, len(self.problems) > problems_before)
        return scales

    def scale_option(self, scale: str, answer: str, key: Node, label_node: Node) -> tuple[Option, bool] | None:
        what = f"answer {answer!r} in scale {scale!r}"
        if answer.isdigit() and answer.isascii():
            value, option_id = int(answer), str(int(answer))
            if answer != option_id:
                self.fail(key, f"{what}: write the number as {option_id}")
                return None
        elif answer in SPECIAL_OPTIONS:
            value, option_id = None, answer
        else:
            self.fail(key, f"{what}: use a number, 'dk' (ved ikke) or 'na' (ikke relevant)")
            return None
        if not OPTION_ID_RE.fullmatch(option_id):
            self.fail(key, f"{what}: bad answer code")
            return None
        if value is not None and isinstance(label_node, ScalarNode) and label_node.value == option_id:
            # A bare number reads the same in every language (the middle of a 0–10 scale).
            return Option(option_id, value, Text({lang: option_id for lang in self.languages})), True
        label = self.text(label_node, what)
        return (Option(option_id, value, label), False) if label is not None else None

    def scale_for(
        self, question_id: str, kind: str, node: Node, scales: dict[str, _Scale]
    ) -> tuple[Option, ...] | None:
        name = self.string(node, f"question {question_id!r}: scale")
        if name is None:
            return None
        if name not in scales:
            known = ", ".join(scales) or "none are defined under 'scales'"
            self.fail(node, f"question {question_id!r}: unknown scale {name!r}; known scales: {known}")
            return None
        scale = scales[name]
        if (name, kind) not in self.checked_scales:
            self.checked_scales.add((name, kind))
            self.check_scale(scale, kind, question_id)
        return tuple(option for option, _, _ in scale.options)

    def check_scale(self, scale: _Scale, kind: str, question_id: str) -> None:
        if scale.broken:
            return
        expected = SCALE_VALUES if kind == "scale" else NPS_VALUES
        values = tuple(o.value for o, _, _ in scale.options if o.value is not None)
        if values != expected:
            self.fail(
                scale.node,
                f"bad scale {scale.name!r} (used by question {question_id!r}): a {kind} question needs the "
                f"answers {expected[0]} to {expected[-1]} in order; "
                f"found {', '.join(map(str, values)) or 'none'}",
            )
        for option, plain, key in scale.options:
            ends = (expected[0], expected[-1])
            if plain and (kind == "scale" or option.value in ends):
                self.fail(
                    key,
                    f"answer {option.id!r} in scale {scale.name!r} needs words in every language "
                    f"({'every point' if kind == 'scale' else 'both ends'} of the scale is labelled)",
                )

    # -- questions ------------------------------------------------------------------------------------

    def questions(self, node: Node, scales: dict[str, _Scale]) -> tuple[Question, ...]:
        if not isinstance(node, SequenceNode) or not node.value:
            self.fail(node, "questions must be a list of questions, each starting with '- id: ...'")
            return ()
        questions: list[Question] = []
        seen: dict[str, Question] = {}
        headlines: list[tuple[Question, Node]] = []
        for q_node in node.value:
            question = self.question(q_node, scales, seen)
            if question is None:
                continue
            seen[question.id] = question
            questions.append(question)
            if question.headline:
                headlines.append((question, q_node))
        self.check_headline(node, headlines)
        return tuple(questions)

    def question(self, node: Node, scales: dict[str, _Scale], seen: dict[str, Question]) -> Question | None:
        items = self.mapping(node, "a question")
        if items is None:
            return None
        problems_before = len(self.problems)
        qid = self.question_id(items["id"][1], seen) if "id" in items else None
        what = f"question {qid!r}" if qid else "a question"
        self.keys(items, node, what, _QUESTION_KEYS, ("id", "kind", "text", "short"))

        def value(name: str) -> Node:
            return items[name][1]

        kind = None
        if "kind" in items:
            kind = self.string(value("kind"), f"{what}: kind")
            if kind is not None and kind not in QUESTION_KINDS:
                self.fail(value("kind"), f"{what}: unknown kind {kind!r}; use one of {', '.join(QUESTION_KINDS)}")
                kind = None
        text = self.text(value("text"), f"{what}: text") if "text" in items else None
        short = self.text(value("short"), f"{what}: short", staff=True) if "short" in items else None
        optional = self.boolean(value("optional"), f"{what}: optional") if "optional" in items else None
        headline = self.boolean(value("headline"), f"{what}: headline") if "headline" in items else False

        options: tuple[Option, ...] | None = ()
        max_length = None
        if kind in ("scale", "nps"):
            if "scale" in items:
                options = self.scale_for(qid or "?", kind, value("scale"), scales)
            else:
                self.fail(node, f"{what} is a {kind} question and needs 'scale: <name of a scale>'")
            if "max_length" in items:
                self.fail(items["max_length"][0], f"{what}: only text questions have max_length")
        elif kind == "text":
            if "scale" in items:
                self.fail(items["scale"][0], f"{what}: a text question has no scale")
            if optional is False:
                self.fail(value("optional"), f"{what}: a free-text question is always optional")
            optional = True
            max_length = self.max_length(value("max_length"), what) if "max_length" in items else TEXT_MAX_LENGTH

        if headline and "when" in items:
            # The KPI counts every response, so the headline question is always asked.
            self.fail(items["when"][0], f"headline question {qid!r} must always be asked (no 'when')")
            when = None
        else:
            when = self.condition(value("when"), what, seen) if "when" in items else None
        if len(self.problems) > problems_before:
            if qid is not None:
                self.broken_ids.add(qid)
            return None
        # No problems: every required part was read.
        assert qid is not None and kind is not None and text is not None and short is not None
        assert options is not None and headline is not None
        return Question(
            id=qid,
            kind=cast(QuestionKind, kind),
            text=text,
            short=short,
            options=options,
            optional=bool(optional),
            headline=headline,
            max_length=max_length,
            when=when,
        )

    def question_id(self, node: Node, seen: dict[str, Question]) -> str | None:
        qid = self.string(node, "question id")
        if qid is None:
            return None
        if not QUESTION_ID_RE.fullmatch(qid):
            self.fail(node, f"bad question id {qid!r}: use lower-case letters, digits and _ (at most 16)")
            return None
        if qid in seen or qid in self.broken_ids:
            self.fail(node, f"duplicate question id {qid!r}")
            return None
        return qid

    def max_length(self, node: Node, what: str) -> int | None:
        raw = node.value if isinstance(node, ScalarNode) else ""
        if not (raw.isdigit() and raw.isascii() and 1 <= int(raw) <= TEXT_MAX_LENGTH):
            self.fail(node, f"{what}: max_length must be a whole number from 1 to {TEXT_MAX_LENGTH}")
            return None
        return int(raw)

    def condition(self, node: Node, what: str, seen: dict[str, Question]) -> Condition | None:
        items = self.mapping(node, f"{what}: when")
        if items is None:
            return None
        self.keys(items, node, f"{what}: when", _WHEN_KEYS, ("question",))
        forms = [name for name in ("answer_is", "answer_is_not") if name in items]
        if len(forms) != 1:
            self.fail(node, f"{what}: when needs exactly one of 'answer_is' or 'answer_is_not'")
            return None
        if "question" not in items:
            return None
        ref_node = items["question"][1]
        ref = self.string(ref_node, f"{what}: when: question")
        if ref is None:
            return None
        earlier = seen.get(ref)
        if ref in self.broken_ids:
            return None
        if earlier is None:
            self.fail(ref_node, f"{what}: when refers to {ref!r}, which is not an earlier question")
            return None
        if earlier.kind == "text":
            self.fail(ref_node, f"{what}: when cannot depend on the free-text question {ref!r}")
            return None
        answers_node = items[forms[0]][1]
        answers = self.words(answers_node, f"{what}: {forms[0]}")
        if not answers and isinstance(answers_node, SequenceNode):
            self.fail(answers_node, f"{what}: {forms[0]} needs at least one answer")
        bad = [(a, n) for a, n in answers if a not in earlier.option_ids]
        for answer, answer_node in bad:
            self.fail(
                answer_node,
                f"{what}: question {ref!r} has no answer {answer!r}; its answers are {', '.join(earlier.option_ids)}",
            )
        if bad or not answers:
            return None
        return Condition(ref, tuple(a for a, _ in answers), negate=forms[0] == "answer_is_not")

    def check_headline(self, node: Node, headlines: list[tuple[Question, Node]]) -> None:
        if not headlines:
            if not self.problems:
                self.fail(node, "no headline question: mark exactly one question with 'headline: true'")
            return
        for extra, extra_node in headlines[1:]:
            self.fail(
                extra_node,
                f"more than one headline question ({headlines[0][0].id!r} and {extra.id!r}); a survey has exactly one",
            )
        question, q_node = headlines[0]
        if question.kind != "scale":
            self.fail(q_node, f"headline question {question.id!r} must be a 1–5 scale question")
        elif DONT_KNOW not in question.option_ids:
            self.fail(q_node, f"headline question {question.id!r} needs a 'dk' (ved ikke) answer")
        if question.optional:
            self.fail(q_node, f"headline question {question.id!r} cannot be optional")

    # -- segments -------------------------------------------------------------------------------------

    def segments(self, node: Node) -> tuple[dict[str, tuple[str, ...]], dict[str, Text], dict[str, FrozenMap]]:
        values: dict[str, tuple[str, ...]] = {}
        labels: dict[str, Text] = {}
        value_labels: dict[str, FrozenMap] = {}
        for key, (key_node, seg_node) in (self.mapping(node, "segments") or {}).items():
            what = f"segment {key!r}"
            if not SEGMENT_KEY_RE.fullmatch(key):
                self.fail(key_node, f"bad segment name {key!r}: use lower-case letters, digits and _")
            elif key == LANGUAGE_SEGMENT:
                self.fail(key_node, f"{key!r} is reserved: reports already break answers down by their language")
            items = self.mapping(seg_node, what)
            if items is None:
                continue
            self.keys(items, seg_node, what, _SEGMENT_KEYS, _SEGMENT_KEYS)
            if "name" in items:
                name = self.text(items["name"][1], f"{what}: name", staff=True)
                if name is not None:
                    labels[key] = name
            if "values" not in items:
                continue
            vals_node = items["values"][1]
            seg_values = self.mapping(vals_node, f"{what}: values") or {}
            if not seg_values and isinstance(vals_node, MappingNode):
                self.fail(vals_node, f"{what} needs at least one value")
            per_value = {}
            for value, (value_key, label_node) in seg_values.items():
                if not SEGMENT_VALUE_RE.fullmatch(value):
                    self.fail(
                        value_key,
                        f"bad value {value!r} in {what}: use lower-case letters, digits and dashes "
                        "(write æ, ø, å as ae, oe, aa)",
                    )
                label = self.text(label_node, f"{what}: value {value!r}", staff=True)
                if label is not None:
                    per_value[value] = label
            values[key] = tuple(seg_values)
            value_labels[key] = FrozenMap(per_value)
        return values, labels, value_labels
