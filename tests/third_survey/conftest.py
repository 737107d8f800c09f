"""A third survey, added the way an organisation adds one: a definition file in its own directory.

The directory holds copies of the shipped definitions and ``tests/fixtures/surveys/youth.yaml``; it is named in
``TILFREDS_SURVEYS_DIR`` and put in use as every ``tilfreds`` command does at start (``settings_or_exit``), and
the shipped ones are back after each test. No code names ``youth``: whatever works for it here works because
the definitions are data.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from surveys import DEFINITIONS_DIR
from surveys.loader import use_definitions
from tests.bot.conftest import bot, harness, server  # noqa: F401 - the bot's fixtures, for tests here too
from tests.web.conftest import axe, client, devtools, quick_argon2, settings, staff_client  # noqa: F401 - and the web's
from tilfreds.commands.support import settings_or_exit

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "surveys" / "youth.yaml"
KEY = "youth"
NAME = "Ungeundersøgelse"
REPORT_TITLE = "De unges tilfredshed med Ungeindsatsen"
QUESTIONS = ["overall", "mentor", "plan", "wish"]


@pytest.fixture
def surveys_dir(tmp_path: Path) -> Path:
    """The organisation's definitions: the shipped ones and the youth survey."""
    directory = tmp_path / "definitions"
    directory.mkdir()
    for file in DEFINITIONS_DIR.glob("*.yaml"):
        shutil.copy(file, directory / file.name)
    shutil.copy(FIXTURE, directory / FIXTURE.name)
    return directory


@pytest.fixture(autouse=True)
def third_survey(surveys_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TILFREDS_SURVEYS_DIR", str(surveys_dir))
    assert settings_or_exit().surveys_dir == surveys_dir
    try:
        yield surveys_dir
    finally:
        use_definitions(None)
