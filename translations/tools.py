"""Catalogue chores for translators and developers: ``python -m translations.tools --help``.

- ``add DOMAIN FILE``: copy texts into the catalogues. FILE is a ``<lang>.yaml`` (``key: text``; a list of
  texts for plural forms) or a Python file with a ``MESSAGES = {key: {lang: text}}`` dict (the staff pages'
  strings from before the catalogues, e.g. ``git show other-branch:tilfreds/web/i18n.py > /tmp/m.py``).
  Keys already in a catalogue keep their text unless ``--replace``.
- ``sync``: give every language every key of the Danish catalogue (empty where a text is missing) and put the
  English text above each entry as the translator's comment. Run it after adding keys.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from .registry import DEFAULT_LANGUAGE, DOMAINS, SOURCE_LANGUAGE, codes, po_path

HEADER = (
    "tilfreds: {domain} texts in {lang}.\n"
    "msgid is a key; the English text is the comment above each entry (see translations/README.md)."
)


def _load(domain: str, lang: str) -> Catalog:
    path = po_path(domain, lang)
    if path.exists():
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, domain=domain)
    catalog = Catalog(locale=lang, domain=domain, project="tilfreds", fuzzy=False)
    catalog.header_comment = "# " + HEADER.format(domain=domain, lang=lang).replace("\n", "\n# ")
    return catalog


def _save(catalog: Catalog, domain: str, lang: str) -> None:
    # Header fields Babel would otherwise fill with placeholders ("FULL NAME <EMAIL@ADDRESS>").
    catalog.project, catalog.version = "tilfreds", "1"
    catalog.msgid_bugs_address = ""
    catalog.language_team = f"tilfreds {lang} (review status: translations/{lang}/language.yaml)"
    if "EMAIL@ADDRESS" in (catalog.last_translator or ""):
        catalog.last_translator = "tilfreds team"
    path = po_path(domain, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=False)


def _set(catalog: Catalog, key: str, text: str | list[str], replace: bool) -> bool:
    old = catalog.get(key)
    if old is not None and not replace and (old.string if isinstance(old.string, str) else any(old.string)):
        return False
    if isinstance(text, list):
        forms = [str(t) for t in text] + [str(text[-1])] * (catalog.num_plurals - len(text))
        message = Message((key, key), tuple(forms[: catalog.num_plurals]))
    else:
        message = Message(key, str(text))
    if old is None:
        catalog[key] = message
    else:  # in place, keeping its position and comments (Babel's catalog[key] = … would keep the old text)
        old.id, old.string = message.id, message.string
        old.flags.discard("fuzzy")
    return True


def add(domain: str, file: Path, replace: bool = False, lang: str | None = None) -> list[str]:
    """Copy texts from ``file`` into ``domain``'s catalogues; returns what changed, for the terminal."""
    by_lang: dict[str, dict[str, str | list[str]]] = {}
    if file.suffix == ".py":
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            if isinstance(target, ast.Name) and target.id == "MESSAGES" and node.value is not None:
                for key, texts in ast.literal_eval(node.value).items():
                    for code, text in texts.items():
                        by_lang.setdefault(code, {})[key] = text
    else:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        by_lang[lang or file.stem] = {str(k): v if isinstance(v, list) else str(v) for k, v in data.items()}
    changed = []
    for code, texts in by_lang.items():
        catalog = _load(domain, code)
        added = [key for key, text in texts.items() if _set(catalog, key, text, replace)]
        if added:
            _save(catalog, domain, code)
            changed.append(f"{domain}/{code}: {len(added)} text(s): {', '.join(added)}")
    return changed


def sync(domain: str) -> list[str]:
    """Every language gets every Danish key; the English text becomes each entry's translator comment."""
    danish = _load(domain, DEFAULT_LANGUAGE)
    english = _load(domain, SOURCE_LANGUAGE)
    report = []
    for code in codes(domain):
        catalog = _load(domain, code)
        missing = []
        for message in danish:
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            source = english.get(key)
            if key not in catalog:
                missing.append(key)
                empty = ("",) * catalog.num_plurals if message.pluralizable else ""
                catalog[key] = Message(message.id, empty)
            entry = catalog.get(key)
            if source is not None and code != SOURCE_LANGUAGE:
                text = source.string if isinstance(source.string, str) else " | ".join(source.string)
                first, *rest = text.split("\n")
                entry.auto_comments = [f"English: {first}", *rest]
        _save(catalog, domain, code)
        if missing:
            report.append(f"{domain}/{code}: {len(missing)} new key(s) to translate: {', '.join(missing)}")
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m translations.tools", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add_cmd = commands.add_parser("add", help="copy texts from a <lang>.yaml or a MESSAGES .py into a catalogue")
    add_cmd.add_argument("domain", choices=DOMAINS)
    add_cmd.add_argument("file", type=Path)
    add_cmd.add_argument("--lang", help="the language of a YAML file (default: its name, e.g. uk.yaml)")
    add_cmd.add_argument("--replace", action="store_true", help="overwrite texts that exist already")
    sync_cmd = commands.add_parser("sync", help="give every language every key, with the English as a comment")
    sync_cmd.add_argument("domain", choices=DOMAINS, nargs="?")
    args = parser.parse_args(argv)
    if args.command == "add":
        lines = add(args.domain, args.file, args.replace, args.lang)
        lines += sync(args.domain)
    else:
        lines = [line for domain in ([args.domain] if args.domain else DOMAINS) for line in sync(domain)]
    print("\n".join(lines) or "nothing to do")


if __name__ == "__main__":
    main()
