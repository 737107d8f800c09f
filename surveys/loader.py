"""Load survey definition files: one file, the shipped ones, or one shipped survey by key."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import yaml

from .model import Survey
from .parse import DefinitionError, read_survey

__all__ = [
    "DEFINITIONS_DIR",
    "DefinitionError",
    "UnknownSurvey",
    "builtin_surveys",
    "check_definitions",
    "get_survey",
    "load_survey",
    "use_definitions",
]

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


class UnknownSurvey(ValueError):
    """No built-in survey has this key."""


def load_survey(path: str | os.PathLike[str]) -> Survey:
    """Load and check one definition file. Raises DefinitionError naming file and line."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DefinitionError(path, None, f"the file is not UTF-8 text ({exc.reason})") from exc
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or "malformed YAML"
        raise DefinitionError(path, mark.line + 1 if mark else None, f"malformed YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise DefinitionError(path, None, f"malformed YAML: {exc}") from exc
    if root is None:
        raise DefinitionError(path, None, "the file is empty")
    return read_survey(path, root)


_directory: list[Path] = [DEFINITIONS_DIR]  # the definitions in use: the shipped ones unless replaced


def use_definitions(directory: str | os.PathLike[str] | None) -> None:
    """Use the organisation's own definitions in ``directory`` instead of the shipped ones (None: the shipped).

    Only after they pass the same check as ``tilfreds surveys check``: raises DefinitionError otherwise, and the
    definitions in use stay as they were.
    """
    chosen = DEFINITIONS_DIR if directory is None else Path(directory)
    problems = check_definitions(chosen)
    if problems:
        raise DefinitionError(chosen, None, "; ".join(problems))
    if not any(chosen.glob("*.yaml")):
        raise DefinitionError(chosen, None, "no survey definitions (*.yaml) in this directory")
    _directory[0] = chosen
    _builtin.cache_clear()


@functools.cache
def _builtin() -> tuple[tuple[str, Survey], ...]:
    surveys: dict[str, Survey] = {}
    for file in sorted(_directory[0].glob("*.yaml")):
        survey = load_survey(file)
        if survey.key in surveys:
            other = surveys[survey.key].source_path
            raise DefinitionError(file, None, f"survey key {survey.key!r} is already used by {other}")
        surveys[survey.key] = survey
    return tuple((survey.key, survey) for survey in sorted(surveys.values(), key=lambda s: s.sort_key))


def builtin_surveys() -> dict[str, Survey]:
    """The surveys in use by key — the shipped ones, or the organisation's own (``use_definitions``) — in the
    order staff see them (each file's ``position``); loaded once, a fresh dict each call."""
    return dict(_builtin())


def get_survey(key: str) -> Survey:
    """A shipped survey by key. Raises UnknownSurvey listing the known keys."""
    surveys = builtin_surveys()
    if key not in surveys:
        raise UnknownSurvey(f"unknown survey {key!r}; known surveys: {', '.join(sorted(surveys))}")
    return surveys[key]


def check_definitions(directory: str | os.PathLike[str] = DEFINITIONS_DIR) -> list[str]:
    """Every problem in every ``*.yaml`` file of ``directory`` as ``path:line: problem``; [] if all is well.

    For ``tilfreds surveys check``: unlike ``load_survey`` it reports every file and every problem.
    """
    messages: list[str] = []
    seen: dict[str, Path] = {}
    for file in sorted(Path(directory).glob("*.yaml")):
        try:
            survey = load_survey(file)
        except DefinitionError as exc:
            messages.extend(exc.messages())
            continue
        if survey.key in seen:
            messages.append(
                str(DefinitionError(file, None, f"survey key {survey.key!r} is already used by {seen[survey.key]}"))
            )
        seen[survey.key] = file
    return messages
