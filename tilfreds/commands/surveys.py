"""``tilfreds surveys check``: validate survey definition files."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def surveys() -> None:
    """Survey definitions."""


@surveys.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate definition files (default: TILFREDS_SURVEYS_DIR if set, else the shipped ones) and print a summary.

    Exit status 1 if any file is invalid.
    """
    from surveys import DEFINITIONS_DIR, DefinitionError, load_survey
    from tilfreds.settings import SettingsError, load_settings

    directory = DEFINITIONS_DIR
    if not paths:
        try:
            directory = load_settings().surveys_dir or DEFINITIONS_DIR
        except SettingsError as exc:
            raise click.ClickException(f"configuration: {exc}") from None
    files = list(paths) or sorted(directory.glob("*.yaml"))
    failed = 0
    for path in files:
        try:
            survey = load_survey(path)
        except DefinitionError as exc:
            failed += 1
            click.secho(f"✗ {exc}", fg="red")
            continue
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
    if failed:
        raise SystemExit(1)
