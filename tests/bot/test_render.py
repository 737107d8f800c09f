"""Pure parts of the channel: button data, UI texts, keyboards. No network, no database."""

from __future__ import annotations

import pytest

from bot import callbacks, render
from bot.texts import languages, pick_language, t
from bot.updates import CALLBACK, MEDIA, Incoming
from surveys import builtin_surveys
from translations import RESPONDENT, compiled, strip_marks
from translations.bidi import LRI, PDI, RLM


def test_every_button_of_every_survey_fits_telegrams_64_bytes_and_parses_back() -> None:
    for survey in builtin_surveys().values():
        for lang in survey.languages:
            for question in survey.questions:
                _, rows = render.question(survey, question, lang, 999_999_999_999, 8, 8, can_go_back=True)
                for _label, data in (b for row in rows for b in row):
                    assert len(data.encode()) <= 64
                    press = callbacks.parse(data)
                    assert press is not None and press.response_id == 999_999_999_999
                    assert press.question_id == question.id


@pytest.mark.parametrize(
    "data",
    [
        "",
        "a1",
        "a1:1:q",
        "a1:x:q:1",
        "a1:1:Q:1",
        "a1:1:q:1:2",
        "l1:1:english",
        "d1:maybe",
        "a1:" + "1" * 13 + ":q:1",
        "a1:1:q:" + "o" * 13,
        "x" * 65,
        None,
    ],
)
def test_malformed_button_data_is_refused(data: str | None) -> None:
    assert callbacks.parse(data) is None


def test_every_text_in_every_language_can_be_filled() -> None:
    danish = compiled(RESPONDENT, "da").keys
    assert languages() == ["da", "en", "ar", "fa", "pl", "so", "ti", "uk"]
    for code in languages():
        assert compiled(RESPONDENT, code).keys == danish, code
        for key in danish:  # placeholders must be fillable
            t(
                code,
                key,
                title="",
                intro="",
                count=8,
                max=1000,
                length=1001,
                retention_months=24,
                withdrawal_days=30,
                callback_handled_days=30,
                callback_max_days=90,
                days=90,
                surveys="",
                error="",
                survey="",
                expires="",
                index=1,
                total=8,
                answer="",
            )


def test_language_code_picks_the_first_language() -> None:
    assert [pick_language(c) for c in ("da", "en", "en-GB", "de", None, "")] == ["da", "en", "en", "da", "da", "da"]


def test_scale_buttons_carry_their_labels_and_show_progress() -> None:
    survey = builtin_surveys()["citizen"]
    text, rows = render.question(survey, survey.questions[1], "da", 7, 2, 8, can_go_back=True)
    labels = [label for row in rows for label, _ in row]
    assert text.startswith("2/8")
    assert labels[:5] == ["1 – Helt uenig", "2 – Uenig", "3 – Hverken enig eller uenig", "4 – Enig", "5 – Helt enig"]
    assert labels[5:] == ["Ved ikke", "◀ Tilbage", "Spring over"]


def test_nps_numbers_share_rows() -> None:
    survey = builtin_surveys()["employer"]
    nps = next(q for q in survey.questions if q.kind == "nps")
    _, rows = render.question(survey, nps, "en", 7, 7, 8, can_go_back=True)
    assert len(rows) <= 6 and all(len(row) <= 8 for row in rows)


def test_incoming_payload_keeps_no_names() -> None:
    incoming = Incoming(
        1, CALLBACK, 5, "private", user_id=5, language_code="da", callback_id="q", data="s1:1", message_id=3
    )
    assert Incoming.from_payload(1, incoming.to_payload()) == incoming
    assert set(Incoming(2, MEDIA, 5, "private", user_id=5).to_payload()) == {"kind", "chat_id", "chat_type", "user_id"}


def test_right_to_left_messages_isolate_numbers_and_commands_so_they_keep_their_place() -> None:
    help_text = t("ar", "help")
    assert f"{LRI}/start{PDI} – تابع الاستبيان" in help_text
    assert all(line.startswith(RLM) for line in help_text.split("\n"))
    assert t("ar", "progress", index=3, total=8) == f"{RLM}{LRI}3/8{PDI}"
    assert t("fa", "thanks_footer").count(LRI) == 2
    # Left-to-right languages are left alone, and the marks are invisible extras: removing them gives the text.
    assert t("uk", "progress", index=3, total=8) == "3/8"
    assert t("da", "help") == strip_marks(t("da", "help"))


def test_arabic_scale_buttons_keep_number_and_words_together_worst_first() -> None:
    survey = builtin_surveys()["citizen"]
    _, rows = render.question(survey, survey.headline, "ar", 7, 1, 8, can_go_back=False)
    labels = [strip_marks(label) for row in rows for label, _ in row]
    assert labels[:5] == ["1 – غير راضٍ جدًا", "2 – غير راضٍ", "3 – لا راضٍ ولا غير راضٍ", "4 – راضٍ", "5 – راضٍ جدًا"]
    first = rows[0][0][0]
    assert first.startswith(f"{RLM}{LRI}1{PDI} – ")  # the number is isolated, still first in reading order
    assert [callbacks.parse(data).option for row in rows for _, data in row][:5] == ["1", "2", "3", "4", "5"]


def test_the_language_switch_lists_every_other_language_in_its_own_script() -> None:
    survey = builtin_surveys()["citizen"]
    _, rows = render.welcome(survey, "uk", 7, 8)
    names = [label for row in rows[1:] for label, _ in row]
    assert names == ["Dansk", "English", "العربية", "فارسی", "Polski", "Soomaali", "ትግርኛ"]
    assert all(len(row) <= render.LANGUAGES_PER_ROW for row in rows)
