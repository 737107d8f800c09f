"""The shipped surveys: what citizens, companies and staff will actually see."""

import re

import pytest

from surveys import DONT_KNOW, NOT_RELEVANT, builtin_surveys, get_survey, localize
from surveys.loader import UnknownSurvey

TELEGRAM_MESSAGE_LIMIT = 4096


def all_texts(survey):
    yield "title", survey.title
    yield "intro", survey.intro
    yield "thanks", survey.thanks
    for q in survey.questions:
        yield f"{q.id}.text", q.text
        yield f"{q.id}.short", q.short
        for o in q.options:
            yield f"{q.id}.{o.id}", o.label


def test_both_surveys_ship():
    assert set(builtin_surveys()) == {"citizen", "employer"}


def test_unknown_survey_lists_known_keys():
    with pytest.raises(UnknownSurvey, match="citizen, employer"):
        get_survey("borger")


@pytest.mark.parametrize("key", ["citizen", "employer"])
def test_headline_is_first_a_required_1_to_5_scale_with_dont_know(key):
    survey = get_survey(key)
    headline = survey.headline
    assert survey.questions[0] is headline
    assert headline.kind == "scale" and not headline.optional and headline.when is None
    assert [o.value for o in headline.options if o.value is not None] == [1, 2, 3, 4, 5]
    assert headline.option(DONT_KNOW).value is None
    assert localize(headline.option("5").label, "da") == "5 – Meget tilfreds"
    assert localize(headline.option("1").label, "en") == "1 – Very dissatisfied"


@pytest.mark.parametrize("key", ["citizen", "employer"])
def test_every_respondent_text_in_all_eight_languages_and_fits_a_telegram_message(key):
    survey = get_survey(key)
    assert survey.languages == ("da", "en", "uk", "ar", "fa", "so", "ti", "pl")
    for where, text in all_texts(survey):
        # Short labels are for staff (Danish and English); everything a respondent reads is in every language.
        assert set(text) == ({"da", "en"} if where.endswith(".short") else set(survey.languages)), where
        for lang, string in text.items():
            assert string.strip() == string and string, (where, lang)
            assert len(string) < TELEGRAM_MESSAGE_LIMIT, where
    assert survey.title["da"] != survey.title["en"]


@pytest.mark.parametrize("key", ["citizen", "employer"])
def test_every_language_explains_the_scale_and_numbers_each_answer_the_same_way(key):
    survey = get_survey(key)
    for lang in survey.languages:
        assert "1" in survey.intro[lang] and "5" in survey.intro[lang], lang  # "1 is the worst, 5 the best"
        for question in survey.questions:
            for option in question.options:
                if option.value is not None:
                    assert option.label[lang].startswith(str(option.value)), (question.id, option.id, lang)


@pytest.mark.parametrize("key", ["citizen", "employer"])
def test_intro_says_who_asks_that_it_is_anonymous_and_how_long(key):
    intro = get_survey(key).intro
    assert "Jobcenter Fredericia" in intro["da"] and "Jobcenter Fredericia" in intro["en"]
    assert "anonym" in intro["da"] and "anonymous" in intro["en"]
    assert "2 minutter" in intro["da"] and "2 minutes" in intro["en"]


@pytest.mark.parametrize("key", ["citizen", "employer"])
def test_eight_questions_ending_in_optional_free_text(key):
    survey = get_survey(key)
    assert len(survey.questions) == 8
    last = survey.questions[-1]
    assert last.kind == "text" and last.optional and last.max_length == 1000
    assert all(q.kind != "text" for q in survey.questions[:-1])


@pytest.mark.parametrize("key", ["citizen", "employer"])
def test_ids_fit_in_versioned_callback_data(key):
    # bot callback data looks like "a1:<response id>:<question>:<option>" and must stay within 64 bytes
    for q in get_survey(key).questions:
        for o in q.options:
            assert len(f"a1:{'9' * 20}:{q.id}:{o.id}".encode()) <= 64


def test_citizen_items_use_agreement_scale_with_dont_know(citizen):
    ids = [q.id for q in citizen.questions]
    assert ids == [
        "overall",
        "heard",
        "respect",
        "understood",
        "own_plan",
        "information",
        "next_step",
        "better",
    ]
    for q in citizen.questions[1:7]:
        assert q.kind == "scale" and q.optional
        assert localize(q.option("1").label, "da") == "1 – Helt uenig"
        assert localize(q.option("5").label, "da") == "5 – Helt enig"
        assert q.option(DONT_KNOW) is not None and q.option(NOT_RELEVANT) is None


def test_citizen_segments(citizen):
    assert citizen.segments["benefit"] == (
        "a-dagpenge",
        "kontanthjaelp",
        "uddannelseshjaelp",
        "selvforsoergelse-hjemrejse",
        "sygedagpenge",
        "jobafklaring",
        "forrevalidering",
        "revalidering",
        "ressourceforloeb",
        "ledighedsydelse",
        "fleksjob",
    )
    assert "ungeenheden" in citizen.segments["unit"]
    assert {"samtale", "aktivering", "virksomhedspraktik", "loentilskud"} <= set(citizen.segments["contact"])
    assert citizen.segment_value_labels["benefit"]["kontanthjaelp"]["da"] == "Kontanthjælp"
    assert citizen.segment_labels["benefit"]["da"] == "Ydelse"


def test_employer_candidates_question_allows_not_relevant(employer):
    candidates = employer.question("candidates")
    assert candidates.option(NOT_RELEVANT).value is None
    assert "Ikke relevant" in candidates.option(NOT_RELEVANT).label["da"]


def test_employer_recommend_is_0_to_10_with_labelled_ends(employer):
    recommend = employer.question("recommend")
    assert recommend.kind == "nps"
    assert [o.id for o in recommend.options if o.value is not None] == [str(n) for n in range(11)]
    assert recommend.option("0").label["da"].startswith("0 – ")
    assert recommend.option("10").label["en"].startswith("10 – ")
    assert set(recommend.option("7").label.values()) == {"7"}


def test_employer_segments(employer):
    assert employer.segments["size"] == ("1-9", "10-49", "50-249", "250+")
    assert employer.segments["service"] == (
        "rekruttering",
        "opkvalificering",
        "fastholdelse",
        "fleksjob-smaajob",
    )
    assert {
        "bygge-anlaeg",
        "transport",
        "hotel-restauration",
        "aeldre-pleje",
        "industri",
        "handel",
        "offentlig",
    } <= set(employer.segments["industry"])


@pytest.mark.parametrize("key", ["citizen", "employer"])
def test_scale_labels_start_with_their_number(key):
    for q in get_survey(key).questions:
        for o in q.options:
            if o.value is not None:
                for label in o.label.values():
                    assert re.match(rf"{o.value}\b", label), (q.id, o.id, label)
