"""The catalogues: complete in every language, same placeholders, plural forms, local numbers and dates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import translations
from translations import (
    PAGES,
    RESPONDENT,
    STAFF,
    accept_language,
    choose_language,
    codes,
    direction,
    format_date,
    format_number,
    language,
    languages,
    message,
)
from translations.catalogues import read_catalogue

TEMPLATES = Path(__file__).resolve().parents[2] / "tilfreds" / "web" / "templates"
RESPOND_TEMPLATES = TEMPLATES.parent / "respond" / "templates"


def _entries(domain: str, code: str) -> dict[str, tuple[str, ...]]:
    entries = {}
    for m in read_catalogue(domain, code):
        if m.id:
            key = m.id[0] if isinstance(m.id, tuple) else m.id
            entries[key] = tuple(m.string) if isinstance(m.string, tuple | list) else (m.string,)
    return entries


def _fields(texts: tuple[str, ...]) -> set[str]:
    return {name for text in texts for name in re.findall(r"{(\w+)}", text)}


@pytest.mark.parametrize("domain", [RESPONDENT, STAFF, PAGES])
def test_every_language_has_every_text_with_the_same_placeholders(domain: str) -> None:
    danish = _entries(domain, "da")
    assert danish
    for code in codes(domain):
        entries = _entries(domain, code)
        assert set(entries) == set(danish), code
        for key, texts in entries.items():
            assert all(texts), f"{code}: {key} has an empty text"
            # A plural form may leave the number out ("سؤال واحد", "one question"), but never add a name.
            assert _fields(texts) <= _fields(danish[key]), f"{code}: {key}"
            if len(texts) == 1:
                assert _fields(texts) == _fields(danish[key]), f"{code}: {key}"


def test_the_eight_languages_are_named_in_their_own_script_danish_first() -> None:
    names = {lang.code: lang.name for lang in languages()}
    assert list(names)[:2] == ["da", "en"]
    assert names == {
        "da": "Dansk",
        "en": "English",
        "ar": "العربية",
        "fa": "فارسی",
        "pl": "Polski",
        "so": "Soomaali",
        "ti": "ትግርኛ",
        "uk": "Українська",
    }
    assert [code for code in names if direction(code) == "rtl"] == ["ar", "fa"]
    assert language("ar").html == {"lang": "ar", "dir": "rtl"}
    assert language("pl").html == {"lang": "pl", "dir": "ltr"}


def test_the_languages_the_team_wrote_are_marked_as_drafts() -> None:
    drafts = {lang.code for lang in languages() if lang.is_draft}
    assert drafts == {"uk", "ar", "fa", "so", "ti", "pl"}
    assert "native speaker" in language("ti").review_note


@pytest.mark.parametrize(
    "lang, counts",
    [
        ("da", {1: "1 undersøgelse", 2: "2 undersøgelser", 5: "5 undersøgelser"}),
        ("en", {1: "1 survey ", 2: "2 surveys", 21: "21 surveys"}),
        ("uk", {1: "1 опитування", 3: "3 опитування", 5: "5 опитувань", 11: "11 опитувань", 21: "21 опитування"}),
        ("pl", {1: "1 ankiety", 2: "2 ankiet", 5: "5 ankiet", 22: "22 ankiet"}),
    ],
)
def test_plural_forms_follow_the_language(lang: str, counts: dict[int, str]) -> None:
    for count, words in counts.items():
        assert words in message(RESPONDENT, lang, "deleted", count=count), (lang, count)


def test_plural_forms_with_three_forms_differ_where_the_language_says() -> None:
    one, few, many = (message(RESPONDENT, "uk", "welcome", title="", intro="", count=n) for n in (1, 3, 5))
    assert "1 питання" in one and "3 питання" in few and "5 питань" in many
    assert message(STAFF, "da", "batch_ready", count=1).startswith("1 invitation er oprettet")
    assert message(STAFF, "da", "batch_ready", count=2).startswith("2 invitationer er oprettet")
    assert message(STAFF, "en", "batch_ready", count=1).startswith("1 invitation was created")


def test_numbers_and_dates_are_written_the_local_way() -> None:
    assert format_number("da", 1234.5) == "1.234,5"
    assert format_number("en", 1234.5) == "1,234.5"
    assert format_number("uk", 1234.5) == "1\xa0234,5"
    assert format_number("da", 78.0, digits=1) == "78,0"
    assert format_number("ar", 1234.5) == "1,234.5"  # digits 0–9, like the numbers on the answer buttons
    assert format_date("da", date(2026, 3, 2)) == "2. marts 2026"
    assert format_date("en", date(2026, 3, 2)) == "March 2, 2026"
    assert format_date("uk", date(2026, 3, 2)) == "2 березня 2026\u202fр."
    assert (
        message(RESPONDENT, "da", "text_prompt", max=1000, local_numbers=True)
        == "Skriv dit svar som en almindelig besked (højst 1.000 tegn)."
    )


def test_staff_values_are_shown_as_given_so_ids_and_years_stay_plain() -> None:
    assert message(STAFF, "da", "batch_title", id=1234) == "Invitationer, batch 1234"
    assert message(STAFF, "da", "previous_year", year=2025) == "Hele 2025"


def test_a_missing_key_is_an_error_not_a_silent_key() -> None:
    with pytest.raises(KeyError):
        message(RESPONDENT, "da", "no_such_text")


def test_an_unknown_language_falls_back_to_danish() -> None:
    assert message(RESPONDENT, "de", "button_skip") == "Spring over"


@pytest.mark.parametrize(
    "requested, expected",
    [("uk-UA", "uk"), ("ar", "ar"), ("fa_IR", "fa"), ("en-GB", "en"), ("de", "da"), (None, "da"), ("", "da")],
)
def test_telegram_language_code_is_the_first_guess(requested: str | None, expected: str) -> None:
    assert choose_language(requested) == expected


def test_a_survey_without_the_language_falls_back() -> None:
    assert choose_language("uk", ("da", "en")) == "da"
    assert choose_language("uk", ("en",)) == "en"


@pytest.mark.parametrize(
    "header, expected",
    [
        ("uk-UA,uk;q=0.9,en;q=0.5", "uk"),
        ("de-DE,de;q=0.9,ar;q=0.8", "ar"),
        ("fr, en;q=0.1", "en"),
        ("pl;q=0, so", "so"),
        ("", "da"),
        (None, "da"),
        ("*", "da"),
        ("en;q=abc", "da"),
    ],
)
def test_accept_language_picks_the_best_language_we_have(header: str | None, expected: str) -> None:
    assert accept_language(header) == expected


@pytest.mark.parametrize("domain, templates", [(STAFF, TEMPLATES), (PAGES, RESPOND_TEMPLATES)])
def test_templates_use_only_known_texts(domain: str, templates: Path) -> None:
    used = set()
    for template in templates.glob("*.html"):
        used |= set(re.findall(r"""\bt\(["'](\w+)["']\s*[,)]""", template.read_text(encoding="utf-8")))
    assert used, "the templates should use t('...')"
    assert used - set(_entries(domain, "da")) == set()


def test_the_package_imports_nothing_else_of_ours() -> None:
    import subprocess
    import sys

    code = (
        "import sys, translations, translations.tools;"
        "ours = {'bot', 'db', 'tilfreds', 'analytics', 'surveys'};"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ours))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert translations.__all__
