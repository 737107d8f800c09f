"""The question flow: what comes next, back, skip, conditions and the "3/8" counter."""

import pytest

from surveys import (
    SKIP_OPTION,
    AnswerValue,
    InvalidAnswer,
    answers_to_keep,
    applicable_questions,
    is_complete,
    next_question,
    previous_question,
    progress,
    question_after,
    validate_choice,
)


def choose(survey, answers, qid, option):
    """Answer like a respondent tapping a button; returns a new answers dict."""
    return answers | {qid: validate_choice(survey.question(qid), option)}


def ids(questions):
    return [q.id for q in questions]


def test_citizen_walkthrough_asks_every_question_once_in_order(citizen):
    answers = {}
    asked = []
    while (question := next_question(citizen, answers)) is not None:
        asked.append(question.id)
        assert progress(citizen, answers, question) == (len(asked), 8)
        option = SKIP_OPTION if question.kind == "text" else "4"
        answers = choose(citizen, answers, question.id, option)
    assert asked == ids(citizen.questions)
    assert is_complete(citizen, answers)


def test_headline_comes_first_and_skipped_questions_count_as_done(citizen):
    assert next_question(citizen, {}).id == "overall"
    answers = choose(citizen, {}, "overall", "dk")
    answers = choose(citizen, answers, "heard", SKIP_OPTION)
    assert answers["heard"] == AnswerValue(option="skip")
    assert next_question(citizen, answers).id == "respect"


def test_revised_answer_does_not_move_the_flow(citizen):
    answers = choose(citizen, {}, "overall", "2")
    answers = choose(citizen, answers, "overall", "5")
    assert answers["overall"].value == 5
    assert next_question(citizen, answers).id == "heard"


def test_condition_answer_is_shows_follow_up_only_for_low_scores(conditional):
    happy = choose(conditional, {}, "overall", "5")
    assert "why_low" not in ids(applicable_questions(conditional, happy))
    unhappy = choose(conditional, {}, "overall", "1")
    assert ids(applicable_questions(conditional, unhappy))[:3] == ["overall", "used", "why_low"]


def test_condition_answer_is_not(conditional):
    base = choose(conditional, {}, "overall", "4")
    assert "liked" in ids(applicable_questions(conditional, choose(conditional, base, "used", "4")))
    for option in ("na", "dk"):
        assert "liked" not in ids(applicable_questions(conditional, choose(conditional, base, "used", option)))


def test_skipped_or_unanswered_question_never_satisfies_a_condition(conditional):
    base = choose(conditional, {}, "overall", "4")
    assert "liked" not in ids(applicable_questions(conditional, base))
    skipped = choose(conditional, base, "used", SKIP_OPTION)
    assert "liked" not in ids(applicable_questions(conditional, skipped))
    assert next_question(conditional, skipped).id == "recommend"


def test_conditional_question_that_is_shown_must_be_answered(conditional):
    answers = choose(conditional, {}, "overall", "4")
    answers = choose(conditional, answers, "used", "5")
    question = next_question(conditional, answers)
    assert question.id == "liked"
    with pytest.raises(InvalidAnswer) as exc:
        validate_choice(question, SKIP_OPTION)
    assert exc.value.reason == "not_optional"


def test_going_back_and_changing_drops_the_follow_up(conditional):
    answers = choose(conditional, {}, "overall", "1")
    answers["why_low"] = AnswerValue(text="lang ventetid")
    answers = choose(conditional, answers, "used", "na")
    assert next_question(conditional, answers).id == "recommend"
    # the respondent goes back to the first question and changes the answer
    answers = choose(conditional, answers, "overall", "5")
    assert "why_low" not in ids(applicable_questions(conditional, answers))
    assert previous_question(conditional, answers, "used").id == "overall"
    assert next_question(conditional, answers).id == "recommend"


def test_stale_answer_to_hidden_question_does_not_unlock_later_conditions(conditional):
    answers = choose(conditional, {}, "overall", "4")
    answers = choose(conditional, answers, "used", "5")
    assert "liked" in ids(applicable_questions(conditional, answers))
    answers["used"] = AnswerValue(option="na")
    assert "liked" not in ids(applicable_questions(conditional, answers))


def test_previous_question(conditional):
    answers = choose(conditional, {}, "overall", "2")
    assert previous_question(conditional, answers, "overall") is None
    assert previous_question(conditional, answers, "used").id == "overall"
    assert previous_question(conditional, answers, "why_low").id == "used"
    assert previous_question(conditional, answers, "recommend").id == "why_low"
    happy = choose(conditional, {}, "overall", "5")
    assert previous_question(conditional, happy, "recommend").id == "used"


def test_previous_question_after_the_last_question(conditional):
    answers = choose(conditional, {}, "overall", "5")
    assert previous_question(conditional, answers, None).id == "comment"


def test_progress_counts_only_applicable_questions(conditional):
    answers = choose(conditional, {}, "overall", "5")
    assert progress(conditional, answers, conditional.question("used")) == (2, 4)
    assert progress(conditional, answers, "comment") == (4, 4)
    unhappy = choose(conditional, choose(conditional, {}, "overall", "1"), "used", "3")
    assert progress(conditional, unhappy, "why_low") == (3, 6)
    assert progress(conditional, unhappy, "comment") == (6, 6)


def test_progress_before_any_answer(citizen):
    assert progress(citizen, {}, citizen.headline) == (1, 8)


def test_done_when_all_answered(conditional):
    answers = choose(conditional, {}, "overall", "5")
    answers = choose(conditional, answers, "used", SKIP_OPTION)
    answers = choose(conditional, answers, "recommend", "10")
    assert not is_complete(conditional, answers)
    answers["comment"] = AnswerValue(text="fint")
    assert next_question(conditional, answers) is None and is_complete(conditional, answers)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: next_question(s, {"forged": AnswerValue(option="1")}),
        lambda s: applicable_questions(s, {"forged": AnswerValue(option="1")}),
        lambda s: previous_question(s, {}, "forged"),
        lambda s: progress(s, {}, "forged"),
    ],
)
def test_unknown_question_ids_are_refused(citizen, call):
    with pytest.raises(InvalidAnswer) as exc:
        call(citizen)
    assert exc.value.reason == "unknown_question" and exc.value.question_id == "forged"


def test_the_limit_applies_to_what_was_typed_not_to_the_placeholders() -> None:
    from surveys import get_survey, validate_text

    question = next(q for q in get_survey("citizen").questions if q.kind == "text")
    typed = "x" * 992 + " 22334455"  # 1001 characters as typed ...
    with pytest.raises(InvalidAnswer) as refused:
        validate_text(question, typed)
    assert refused.value.length == 1001
    scrubbed = "x" * 992 + " [TELEFON]"  # ... while 1000 characters typed may scrub to 1002
    assert len(scrubbed) > 1000
    value = validate_text(question, scrubbed, typed_length=1000)
    assert value.text == scrubbed
    with pytest.raises(InvalidAnswer):
        validate_text(question, scrubbed, typed_length=1001)


def test_question_after_walks_forward_through_earlier_answers(conditional):
    answers = choose(conditional, {}, "overall", "5")
    answers = choose(conditional, answers, "used", "4")
    answers = choose(conditional, answers, "liked", "4")
    # back to the first question and the same answer again: the next one is "used", though answered
    assert question_after(conditional, answers, "overall").id == "used"
    assert question_after(conditional, answers, "used").id == "liked"
    assert question_after(conditional, answers, "liked").id == "recommend"


def test_question_after_a_changed_answer_follows_the_new_path(conditional):
    answers = choose(conditional, {}, "overall", "5")
    answers = choose(conditional, answers, "used", "4")
    answers = choose(conditional, answers, "overall", "1")  # went back and changed it
    assert question_after(conditional, answers, "overall").id == "used"
    assert question_after(conditional, answers, "used").id == "why_low"


def test_question_after_the_last_question_is_an_unanswered_one_or_none(conditional):
    answers = choose(conditional, {}, "overall", "5")
    answers = choose(conditional, answers, "comment", SKIP_OPTION)
    assert question_after(conditional, answers, "comment").id == "used"
    for qid, option in (("used", "na"), ("recommend", "7")):
        answers = choose(conditional, answers, qid, option)
    assert question_after(conditional, answers, "recommend").id == "comment"
    assert question_after(conditional, answers, "comment") is None


def test_answers_to_keep_leaves_out_a_path_gone_back_on(conditional):
    answers = choose(conditional, {}, "overall", "1")
    answers["why_low"] = AnswerValue(text="lang ventetid")
    answers = choose(conditional, answers, "used", "na")
    assert "why_low" in answers_to_keep(conditional, answers)
    answers = choose(conditional, answers, "overall", "5")
    kept = answers_to_keep(conditional, answers)
    assert "why_low" not in kept and "liked" not in kept
    assert {"overall", "used", "recommend", "comment"} <= kept
