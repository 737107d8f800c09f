"""`tilfreds surveys check` reports every language; adding a language or a text is adding files."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from surveys import DEFINITIONS_DIR
from tilfreds.cli import cli
from translations import DOMAINS, PAGES, RESPONDENT, STAFF, codes, compiled, language, message
from translations.tools import add, sync


def _check(*args: str):
    return CliRunner().invoke(cli, ["surveys", "check", *args])


def test_check_prints_each_languages_coverage_and_review_status() -> None:
    result = _check()
    assert result.exit_code == 0, result.output
    total = len(compiled(RESPONDENT, "da").keys)
    pages = len(compiled(PAGES, "da").keys)
    assert (
        f"✓ da Dansk (ltr): interface {total}/{total}; browser pages {pages}/{pages}; surveys: citizen, employer; "
        "reviewed" in result.output
    )
    assert f"✓ ar العربية (rtl): interface {total}/{total}; browser pages {pages}/{pages}; surveys" in result.output
    for name in ("uk Українська", "so Soomaali", "ti ትግርኛ", "pl Polski"):
        assert f"✓ {name} (ltr): interface {total}/{total}; browser pages {pages}/{pages}; surveys" in result.output
    assert "not yet in the browser" not in result.output
    assert result.output.count("DRAFT – needs review by a native speaker") == 6


def test_check_fails_on_a_declared_language_missing_a_survey_text_naming_file_line_and_language(tmp_path) -> None:
    broken = tmp_path / "citizen.yaml"
    text = (DEFINITIONS_DIR / "citizen.yaml").read_text(encoding="utf-8")
    line = '      uk: "Я знаю, який мій наступний крок."\n'
    assert line in text
    broken.write_text(text.replace(line, "", 1), encoding="utf-8")
    result = _check(str(broken))
    assert result.exit_code == 1
    number = text[: text.index(line)].count("\n") - 1  # the 'text:' line above the removed one
    assert f"citizen.yaml:{number}: question 'next_step': text is missing the translation for 'uk'" in result.output


def test_check_fails_on_a_missing_interface_text_naming_the_po_file_line_and_language(catalogue_copy: Path) -> None:
    po = catalogue_copy / "so" / "LC_MESSAGES" / "respondent.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Ka bood"', 'msgstr ""'), encoding="utf-8")
    result = _check()
    assert result.exit_code == 1
    total = len(compiled(RESPONDENT, "da").keys)
    assert f"✗ so Soomaali (ltr): interface {total - 1}/{total}" in result.output
    assert "so/LC_MESSAGES/respondent.po:" in result.output and "'button_skip' has no text in 'so'" in result.output
    assert message(RESPONDENT, "so", "button_skip") == "Spring over"  # meanwhile people see Danish, not a key


TINY = """key: tiny
languages: [da, de]
title: {da: Hej, de: Hallo}
intro: {da: Kort., de: Kurz.}
thanks: {da: Tak., de: Danke.}
scales:
  s:
    1: {da: 1 – Dårlig, de: 1 – Schlecht}
    2: {da: 2 – Mindre godt, de: 2 – Weniger gut}
    3: {da: 3 – Middel, de: 3 – Mittel}
    4: {da: 4 – Godt, de: 4 – Gut}
    5: {da: 5 – Meget godt, de: 5 – Sehr gut}
    dk: {da: Ved ikke, de: Weiß nicht}
questions:
  - id: overall
    headline: true
    kind: scale
    scale: s
    text: {da: "Hvordan?", de: "Wie?"}
    short: {da: Samlet}
"""


def test_a_survey_language_without_interface_texts_fails(tmp_path) -> None:
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text(TINY, encoding="utf-8")
    result = _check(str(tiny))
    assert result.exit_code == 1, result.output
    assert "✓ " in result.output  # the survey itself is fine ...
    assert "de/LC_MESSAGES/respondent.po: language 'de' (survey tiny) has no interface texts" in result.output


def test_adding_a_language_is_adding_files(catalogue_copy: Path, tmp_path: Path) -> None:
    texts = tmp_path / "de.yaml"
    texts.write_text(
        "button_skip: Überspringen\ndeleted: ['{count} Umfrage gelöscht.', '{count} Umfragen gelöscht.']\n"
    )
    (catalogue_copy / "de").mkdir()
    (catalogue_copy / "de" / "language.yaml").write_text("review: draft\n")
    add(RESPONDENT, texts)
    sync(RESPONDENT)
    from tests.translations.conftest import _clear

    _clear()
    assert "de" in codes(RESPONDENT)
    assert language("de").name == "Deutsch" and language("de").is_draft
    assert message(RESPONDENT, "de", "button_skip") == "Überspringen"
    assert message(RESPONDENT, "de", "deleted", count=2) == "2 Umfragen gelöscht."
    assert message(RESPONDENT, "de", "button_back") == "◀ Tilbage"  # not yet translated: Danish
    # The next batch of texts fills the empty entries sync made, and --replace corrects a text.
    more = tmp_path / "more.yaml"
    more.write_text("button_back: ◀ Zurück\nbutton_skip: Weiter ohne Antwort\n")
    assert add(RESPONDENT, more, lang="de") == ["respondent/de: 1 text(s): button_back"]
    assert add(RESPONDENT, more, lang="de", replace=True) == ["respondent/de: 2 text(s): button_back, button_skip"]
    _clear()
    assert message(RESPONDENT, "de", "button_back") == "◀ Zurück"
    assert message(RESPONDENT, "de", "button_skip") == "Weiter ohne Antwort"
    po = (catalogue_copy / "de" / "LC_MESSAGES" / "respondent.po").read_text(encoding="utf-8")
    assert "#. English: Start ▶" in po  # the translator sees the English beside every key


def test_a_later_messages_entry_converts_with_one_command(catalogue_copy: Path, tmp_path: Path) -> None:
    old = tmp_path / "i18n.py"
    old.write_text(
        "MESSAGES: dict[str, dict[str, str]] = {\n"
        '    "status": {"da": "Status", "en": "Status"},\n'
        '    "new_thing": {"da": "Ny ting: {n}", "en": "New thing: {n}"},\n'
        "}\n"
    )
    changed = add(STAFF, old)
    assert changed == ["staff/da: 1 text(s): new_thing", "staff/en: 1 text(s): new_thing"]
    from tests.translations.conftest import _clear

    _clear()
    assert message(STAFF, "en", "new_thing", n=3) == "New thing: 3"
    assert message(STAFF, "da", "status") == "Status"


def test_the_shipped_catalogues_are_in_sync(catalogue_copy: Path) -> None:
    """`python -m translations.tools sync` changes nothing: every key everywhere, English comments current."""
    before = {p: p.read_bytes() for p in catalogue_copy.rglob("*.po")}
    for domain in DOMAINS:
        sync(domain)
    after = {p: p.read_bytes() for p in catalogue_copy.rglob("*.po")}
    changed = [str(p.relative_to(catalogue_copy)) for p in before if _body(before[p]) != _body(after[p])]
    assert changed == []


def _body(data: bytes) -> bytes:
    # The header's dates are rewritten by Babel on every save; the entries are what matter.
    return data.split(b"\n\n", 1)[1]
