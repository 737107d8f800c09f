"""A private copy of the catalogues, for tests that add or break a language."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from translations import catalogues, registry


def _clear() -> None:
    registry._codes.cache_clear()
    registry.language.cache_clear()
    catalogues.compiled.cache_clear()


@pytest.fixture
def catalogue_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``translations/`` copied to a temporary folder and used instead of the real one."""
    root = tmp_path / "translations"
    shutil.copytree(registry.ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"))
    monkeypatch.setattr(registry, "ROOT", root)
    _clear()
    yield root
    monkeypatch.undo()
    _clear()
