"""Pure parts of the channel: button data, UI texts, keyboards. No network, no database."""

from __future__ import annotations

import pytest

from bot import callbacks, render
from bot.texts import catalogue, languages, pick_language, t
from bot.updates import CALLBACK, MEDIA, Incoming
from surveys import builtin_surveys


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


def test_every_language_has_every_ui_text() -> None:
    danish = set(catalogue("da"))
    for code in languages():
        assert set(catalogue(code)) == danish, code
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


def test_right_to_left_languages_are_isolated_so_commands_keep_their_place(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.texts as texts

    arabic = {"direction": "rtl", "language_name": "العربية", "help": "اكتب /start للمتابعة"}
    real = texts.catalogue
    monkeypatch.setattr(texts, "catalogue", lambda code: arabic if code == "ar" else real(code))
    assert texts.t("ar", "help") == "\u2067اكتب /start للمتابعة\u2069"
    assert texts.t(
        "ar", "privacy", retention_months=24, withdrawal_days=30, callback_handled_days=30, callback_max_days=90
    ).startswith("\u2067Hvad vi gemmer")
    assert texts.t("da", "help") == real("da")["help"]
