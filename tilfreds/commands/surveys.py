"""``tilfreds surveys check``: validate survey definition files and the languages they are asked in."""

from __future__ import annotations

import os
from pathlib import Path

import click


@click.group()
def surveys() -> None:
    """Survey definitions."""


@surveys.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate definition files (default: TILFREDS_SURVEYS_DIR if set, else the shipped ones), then each
    language's texts and review status.

    Every problem is printed as file:line: problem. Exit status 1 if a file is invalid or a language a survey
    declares lacks a text (in the survey or in the interface catalogue).
    """
    from surveys import DEFINITIONS_DIR, DefinitionError, Survey, load_survey
    from tilfreds.settings import SettingsError, load_settings

    directory = DEFINITIONS_DIR
    if not paths:
        try:
            directory = load_settings().surveys_dir or DEFINITIONS_DIR
        except SettingsError as exc:
            raise click.ClickException(f"configuration: {exc}") from None
    files = list(paths) or sorted(directory.glob("*.yaml"))
    failed = 0
    loaded: list[Survey] = []
    for path in files:
        try:
            survey = load_survey(path)
        except DefinitionError as exc:
            failed += 1
            for line in exc.messages():
                click.secho(f"✗ {line}", fg="red")
            continue
        loaded.append(survey)
        kinds: dict[str, int] = {}
        for question in survey.questions:
            kinds[question.kind] = kinds.get(question.kind, 0) + 1
        kind_text = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        segments = ", ".join(f"{k} ({len(v)})" for k, v in survey.segments.items())
        click.secho(
            f"✓ {path}: survey '{survey.key}', {len(survey.questions)} questions ({kind_text}); "
            f"languages {', '.join(survey.languages)}; segments {segments}; "
            f"headline '{survey.headline.id}'; hash {survey.content_hash[:12]}",
            fg="green",
        )
    failed += _check_languages(loaded)
    if failed:
        raise SystemExit(1)


def _check_languages(loaded: list) -> int:
    """Print each language's coverage and review status; return how many languages lack texts."""
    from translations import PAGES, RESPONDENT, codes, coverage, language
    from translations.registry import po_path

    declared = {lang for survey in loaded for lang in survey.languages}
    problems = 0
    click.echo("\nLanguages (interface texts in translations/<code>/LC_MESSAGES/respondent.po):")
    for code in sorted(declared - set(codes(RESPONDENT))):
        problems += 1
        users = ", ".join(s.key for s in loaded if code in s.languages)
        click.secho(
            f"✗ {_shown(po_path(RESPONDENT, code))}: language {code!r} (survey {users}) has no interface texts; "
            "see translations/README.md to add a language",
            fg="red",
        )
    for code in codes(RESPONDENT):
        info, cover = language(code), coverage(RESPONDENT, code)
        in_surveys = ", ".join(s.key for s in loaded if code in s.languages) or "no survey yet"
        review = "reviewed" if not info.is_draft else "DRAFT – needs review by a native speaker"
        ok = not cover.missing
        if code in codes(PAGES):
            pages = coverage(PAGES, code)
            browser = f"browser pages {pages.translated}/{pages.total}"
        else:
            browser = "not yet in the browser (no pages.po)"
        click.secho(
            f"{'✓' if ok else '✗'} {code} {info.name} ({info.direction}): interface {cover.translated}/{cover.total}"
            f"; {browser}; surveys: {in_surveys}; {review}",
            fg=("green" if not info.is_draft else "yellow") if ok else "red",
        )
        if cover.missing and code in declared:
            problems += 1
        for key, line in cover.missing:
            where = f"{_shown(po_path(RESPONDENT, code))}:{line}" if line else _shown(po_path(RESPONDENT, code))
            click.secho(f"  ✗ {where}: {key!r} has no text in {code!r}", fg="red")
    return problems


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative
