"""Validating what a respondent sends: tapped options (possibly forged) and free text."""

import pytest

from surveys import SKIP_OPTION, AnswerValue, InvalidAnswer, validate_answer, validate_choice, validate_text


def reason(call) -> InvalidAnswer:
    with pytest.raises(InvalidAnswer) as exc:
        call()
    return exc.value


@pytest.mark.parametrize("option, value", [("1", 1), ("4", 4), ("5", 5), ("dk", None)])
def test_valid_headline_choices(citizen, option, value):
    assert validate_choice(citizen.headline, option) == AnswerValue(option=option, value=value)


@pytest.mark.parametrize("forged", ["0", "6", "", "na", "5 ", "05", "x" * 64, "1;DROP TABLE", "SKIP", None, 5])
def test_forged_options_are_refused(citizen, forged):
    error = reason(lambda: validate_choice(citizen.headline, forged))
    assert error.reason == "unknown_option" and error.question_id == "overall"


def test_headline_cannot_be_skipped(citizen):
    error = reason(lambda: validate_choice(citizen.headline, SKIP_OPTION))
    assert error.reason == "not_optional"
    assert isinstance(error, ValueError)


def test_optional_question_can_be_skipped(citizen):
    assert validate_choice(citizen.question("heard"), SKIP_OPTION) == AnswerValue(option="skip", value=None)
    assert validate_choice(citizen.question("better"), SKIP_OPTION).skipped


def test_not_relevant_only_where_offered(employer):
    assert validate_choice(employer.question("candidates"), "na") == AnswerValue(option="na")
    assert reason(lambda: validate_choice(employer.question("need"), "na")).reason == "unknown_option"


@pytest.mark.parametrize("option", [str(n) for n in range(11)])
def test_nps_accepts_0_to_10(employer, option):
    assert validate_choice(employer.question("recommend"), option).value == int(option)


@pytest.mark.parametrize("option", ["11", "-1", "10.0"])
def test_nps_refuses_out_of_range(employer, option):
    assert reason(lambda: validate_choice(employer.question("recommend"), option)).reason == "unknown_option"


def test_option_for_text_question_is_wrong_kind(citizen):
    assert reason(lambda: validate_choice(citizen.question("better"), "1")).reason == "wrong_kind"


def test_text_for_scale_question_is_wrong_kind(citizen):
    assert reason(lambda: validate_text(citizen.headline, "5")).reason == "wrong_kind"


def test_text_answer_is_trimmed_and_kept(citizen):
    answer = validate_text(citizen.question("better"), "  Mere tid til samtalen, tak.  \n")
    assert answer == AnswerValue(text="Mere tid til samtalen, tak.")


def test_control_characters_are_stripped_but_lines_kept(citizen):
    answer = validate_text(citizen.question("better"), "Hej\x00 med\x07 dig\tog\r\nfarvel\x1b[31m")
    assert answer.text == "Hej med dig og\nfarvel[31m"


@pytest.mark.parametrize("empty", ["", "   ", "\n\n", "\x00\x01", "\t \r\n"])
def test_empty_text_is_refused(citizen, empty):
    assert reason(lambda: validate_text(citizen.question("better"), empty)).reason == "empty"


def test_text_at_the_limit_is_accepted(citizen):
    assert len(validate_text(citizen.question("better"), "a" * 1000).text) == 1000


def test_too_long_text_is_refused_not_cut(citizen):
    error = reason(lambda: validate_text(citizen.question("better"), "a" * 1001))
    assert (error.reason, error.limit, error.length) == ("too_long", 1000, 1001)
    assert "1001" in str(error) and "1000" in str(error)


def test_length_is_counted_after_stripping(citizen):
    # invisible control characters and surrounding blanks do not count against the limit
    assert validate_text(citizen.question("better"), "  " + "a\x00" * 1000 + "  ").text == "a" * 1000


def test_per_question_limit(conditional):
    error = reason(lambda: validate_text(conditional.question("comment"), "x" * 21))
    assert (error.limit, error.length) == (20, 21)


@pytest.mark.parametrize("not_text", [None, b"bytes", 42, ["list"]])
def test_non_text_is_refused(citizen, not_text):
    assert reason(lambda: validate_text(citizen.question("better"), not_text)).reason == "not_text"


def test_text_is_scrubbed_before_it_is_returned(citizen):
    answer = validate_text(
        citizen.question("better"), "Mit CPR er 010190-1234, ring 12 34 56 78 eller skriv jens@example.dk"
    )
    assert answer.text == "Mit CPR er [CPR], ring [TELEFON] eller skriv [EMAIL]"


def test_control_characters_cannot_hide_a_cpr_number(citizen):
    assert validate_text(citizen.question("better"), "0101\x0090\x1f1234").text == "[CPR]"


def test_validate_answer_by_question_id(citizen):
    assert validate_answer(citizen, "overall", option="5").value == 5
    assert validate_answer(citizen, "better", text="godt").text == "godt"
    assert reason(lambda: validate_answer(citizen, "nope", option="5")).reason == "unknown_question"
    assert reason(lambda: validate_answer(citizen, "overall")).reason == "wrong_kind"
