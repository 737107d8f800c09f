"""The package's promises: a pure domain layer, a documented format, a check for the CLI."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import surveys
from surveys import DEFINITIONS_DIR, check_definitions
from surveys.parse import _QUESTION_KEYS, _SEGMENT_KEYS, _TOP_KEYS, _WHEN_KEYS

README = (Path(surveys.__file__).parent / "README.md").read_text(encoding="utf-8")


def test_imports_nothing_of_telegram_sql_http_or_pandas():
    code = (
        "import sys, surveys, surveys.engine, surveys.kpi, surveys.scrub, surveys.loader\n"
        "surveys.builtin_surveys()\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = set(
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    )
    assert "surveys" in loaded and "yaml" in loaded
    assert not loaded & {"telegram", "sqlalchemy", "aiohttp", "pandas", "numpy", "db", "bot", "analytics"}


def test_public_api_is_exported():
    for name in surveys.__all__:
        assert hasattr(surveys, name), name


def test_readme_documents_every_key_of_the_format():
    for key in {*_TOP_KEYS, *_QUESTION_KEYS, *_WHEN_KEYS, *_SEGMENT_KEYS}:
        in_prose = re.search(rf"`{key}[:`]", README)
        in_example = re.search(rf"^\s*(- )?{key}:", README, re.MULTILINE)
        assert in_prose or in_example, f"surveys/README.md does not explain {key!r}"


def test_check_definitions_is_clean_for_shipped_surveys():
    assert check_definitions() == []


def test_check_definitions_reports_every_broken_file_and_duplicate_keys(tmp_path):
    source = (DEFINITIONS_DIR / "citizen.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(source.replace("  - id: respect", "  - id: heard"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(source.replace("thanks:\n  da:", "thanks:\n  dk:"), encoding="utf-8")
    shutil.copy(DEFINITIONS_DIR / "citizen.yaml", tmp_path / "c.yaml")
    shutil.copy(DEFINITIONS_DIR / "citizen.yaml", tmp_path / "d.yaml")
    messages = check_definitions(tmp_path)
    assert any("a.yaml:" in m and "duplicate question id 'heard'" in m for m in messages)
    assert any("b.yaml:" in m and "language 'dk'" in m for m in messages)
    assert any("d.yaml: survey key 'citizen' is already used by" in m for m in messages)
    assert not any("c.yaml" in m.split(":")[0] for m in messages)


def test_builtin_surveys_cannot_be_changed_by_a_caller():
    first = surveys.builtin_surveys()
    first.pop("citizen")
    assert "citizen" in surveys.builtin_surveys()
