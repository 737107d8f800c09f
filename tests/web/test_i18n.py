"""Every word on the staff pages exists in Danish and in English, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from tilfreds.web.i18n import LANGUAGES, MESSAGES, translate

TEMPLATES = Path(__file__).resolve().parents[2] / "tilfreds" / "web" / "templates"


def test_every_message_has_every_language_with_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        fields = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert fields["da"] == fields["en"], key


def test_templates_use_only_known_messages() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""\bt\(["'](\w+)["']\s*[,)]""", template.read_text(encoding="utf-8")))
    assert used, "the templates should use t('...')"
    assert used - set(MESSAGES) == set()


def test_translate_fills_placeholders() -> None:
    assert translate("da", "batch_title", id=7) == "Invitationer, batch 7"
    assert translate("en", "batch_title", id=7) == "Invitations, batch 7"


def test_plural_forms_for_one() -> None:
    from tilfreds.web.i18n import translate

    assert translate("da", "batch_ready", count=1).startswith("1 invitation er oprettet. Hent linket")
    assert translate("da", "batch_ready", count=2).startswith("2 invitationer er oprettet. Hent linkene")
    assert translate("en", "batch_ready", count=1).startswith("1 invitation was created")
    assert translate("da", "comments", count=1, n="1") == "Én kommentar i fritekst."
    assert translate("da", "comments", count=3, n="3") == "Kommentarer i fritekst: 3."
