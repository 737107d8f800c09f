from pathlib import Path

import pytest

from surveys import DEFINITIONS_DIR, Survey, get_survey, load_survey

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def citizen() -> Survey:
    return get_survey("citizen")


@pytest.fixture
def employer() -> Survey:
    return get_survey("employer")


@pytest.fixture
def conditional() -> Survey:
    return load_survey(FIXTURES / "conditional.yaml")


@pytest.fixture
def citizen_source() -> str:
    return (DEFINITIONS_DIR / "citizen.yaml").read_text(encoding="utf-8")
