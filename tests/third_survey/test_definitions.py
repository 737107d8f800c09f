"""The youth survey is only a file: it loads, takes its place in the lists, and nothing in the code names a survey."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from surveys import DefinitionError, builtin_surveys, get_survey, load_survey, localize
from surveys.loader import use_definitions
from surveys.parse import read_survey
from tests.third_survey.conftest import FIXTURE, KEY, NAME, QUESTIONS, REPORT_TITLE
from tilfreds.demo import generate

ROOT = Path(__file__).resolve().parents[2]


def test_the_file_is_a_survey_in_its_place() -> None:
    assert list(builtin_surveys()) == ["citizen", "employer", KEY]
    youth = get_survey(KEY)
    assert [q.id for q in youth.questions] == QUESTIONS and youth.headline.id == "overall"
    assert localize(youth.staff_name, "da") == NAME and localize(youth.staff_report_title, "da") == REPORT_TITLE
    assert localize(youth.staff_name, "en") == "Youth survey"
    assert youth.follow_ups == ("committee", "annual")
    assert youth.segments == {"school": ("ingen", "fgu", "erhvervsskole")}


def test_position_orders_the_lists_and_a_file_without_one_comes_last(third_survey: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    (third_survey / FIXTURE.name).write_text(text.replace("position: 3", "position: 1"), encoding="utf-8")
    citizen = third_survey / "citizen.yaml"
    citizen.write_text(re.sub(r"\nposition: 1\n", "\n", citizen.read_text(encoding="utf-8")), encoding="utf-8")
    use_definitions(third_survey)
    assert list(builtin_surveys()) == [KEY, "employer", "citizen"]


def test_staff_fields_change_no_version() -> None:
    youth = load_survey(FIXTURE)
    text = FIXTURE.read_text(encoding="utf-8")
    renamed = text.replace("Ungeundersøgelse", "Unge").replace("position: 3", "position: 9")
    again = read_survey(FIXTURE, yaml.compose(renamed, Loader=yaml.SafeLoader))
    assert again == youth and again.content_hash == youth.content_hash
    assert localize(again.staff_name, "da") == "Unge" and again.position == 9


@pytest.mark.parametrize(
    ("old", "new", "line_of", "message"),
    [
        ("position: 3", "position: first", "position: first", "position must be a whole number from 1 to 999"),
        ("position: 3", "position: 0", "position: 0", "position must be a whole number from 1 to 999"),
        ("  en: Youth survey\n", "", "  da: Ungeundersøgelse", "name is missing the translation for 'en'"),
        ("report_title:\n  da:", "report_title:\n  xx:", "  xx:", "language 'xx' is not one of the survey's"),
    ],
)
def test_a_broken_staff_field_is_reported_with_file_and_line(
    tmp_path: Path, old: str, new: str, line_of: str, message: str
) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    path = tmp_path / "youth.yaml"
    path.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index(next(x for x in broken.splitlines() if x.startswith(line_of))) + 1
    with pytest.raises(DefinitionError) as caught:
        load_survey(path)
    assert caught.value.line == line and message in str(caught.value)
    assert f"youth.yaml:{line}: " in str(caught.value)


def test_no_code_names_a_survey() -> None:
    """No string in the code is a survey's key (only the demo data may tune the shipped surveys by key)."""
    allowed = {Path("tilfreds/demo.py")}
    keys = {"citizen", "employer"}
    named = []
    for package in ("bot", "db", "analytics", "tilfreds", "surveys"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative in allowed:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            named += [
                f"{relative}:{node.lineno}: {node.value!r}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and node.value in keys
            ]
    assert named == []


def test_the_demo_data_fill_it_too() -> None:
    surveys = builtin_surveys()
    youth = [r for r in generate(surveys, 2000, seed=3, today=date(2026, 11, 26)) if r.survey_key == KEY]
    assert len(youth) > 100
    for response in youth:
        assert set(response.segments) == {"school"}
        for answer in response.answers:
            question = surveys[KEY].question(answer["question_id"])
            assert question is not None
            assert answer["option"] in (None, "skip") or question.option(answer["option"]) is not None
