"""The staff pages' words come from the staff catalogue, in Danish and English."""

from __future__ import annotations

from tilfreds.web.i18n import LANGUAGE_NAMES, LANGUAGES, has_text, translate


def test_staff_pages_speak_danish_and_english() -> None:
    assert LANGUAGES == ("da", "en")
    assert LANGUAGE_NAMES == {"da": "Dansk", "en": "English"}


def test_translate_fills_placeholders() -> None:
    assert translate("da", "batch_title", id=7) == "Invitationer, batch 7"
    assert translate("en", "batch_title", id=7) == "Invitations, batch 7"
    assert has_text("opt_dk") and not has_text("opt_zz")


def test_plural_forms_for_one() -> None:
    from tilfreds.web.i18n import translate

    assert translate("da", "batch_ready", count=1).startswith("1 invitation er oprettet. Hent linket")
    assert translate("da", "batch_ready", count=2).startswith("2 invitationer er oprettet. Hent linkene")
    assert translate("en", "batch_ready", count=1).startswith("1 invitation was created")
    assert translate("da", "comments", count=1, n="1") == "Én kommentar i fritekst."
    assert translate("da", "comments", count=3, n="3") == "Kommentarer i fritekst: 3."
