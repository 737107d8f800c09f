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
