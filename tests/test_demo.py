"""Demo data: deterministic for a seed, with groups clearly above and below the 80% goal."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from surveys import SATISFIED_VALUES, builtin_surveys
from tilfreds.demo import generate


def test_same_seed_same_data_other_seed_other_data() -> None:
    surveys = builtin_surveys()
    first = list(generate(surveys, 300, seed=3, today=date(2026, 11, 26)))
    again = list(generate(surveys, 300, seed=3, today=date(2026, 11, 26)))
    other = list(generate(surveys, 300, seed=4, today=date(2026, 11, 26)))
    assert first == again
    assert first != other


def test_segments_straddle_the_goal_and_answers_fit_the_questions() -> None:
    surveys = builtin_surveys()
    satisfied: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for response in generate(surveys, 20000, seed=1, today=date(2026, 11, 26)):
        survey = surveys[response.survey_key]
        for answer in response.answers:
            question = survey.question(answer["question_id"])
            assert question is not None
            if answer["option"] not in (None, "skip"):
                assert question.option(answer["option"]) is not None
        headline = next((a for a in response.answers if a["question_id"] == survey.headline.id), None)
        if response.survey_key == "citizen" and headline and headline["value"] is not None:
            cell = satisfied[response.segments["benefit"]]
            cell[0] += headline["value"] in SATISFIED_VALUES
            cell[1] += 1
    shares = {benefit: s / n for benefit, (s, n) in satisfied.items()}
    assert shares["a-dagpenge"] > 0.84
    assert shares["sygedagpenge"] < 0.72
