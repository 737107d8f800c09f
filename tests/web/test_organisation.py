"""Any municipality, no fork: the organisation's name and logo on the staff pages, the QR sheet and the reports;
its own survey definitions replace the shipped ones once they pass the check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner

from db.database import Database
from surveys import DEFINITIONS_DIR, DefinitionError, get_survey
from surveys.loader import use_definitions
from tests.web.conftest import add_user, login
from tests.web.test_results import add_responses
from tilfreds.app import build_app
from tilfreds.cli import cli
from tilfreds.settings import SETTINGS_DOCS, Settings

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)


@pytest.fixture
def logo(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    path.write_bytes(PNG)
    return path


async def test_the_name_and_logo_appear_and_no_other_municipality(
    database: Database, settings: Settings, logo: Path
) -> None:
    mine = settings.model_copy(update={"organisation_name": "Jobcenter Testby", "organisation_logo": logo})
    await add_user(database)
    await add_responses(database, "citizen", {"benefit": "a-dagpenge"}, [5] * 6)
    async with TestClient(TestServer(build_app(mine, database))) as client:
        login_page = await (await client.get("/staff/login")).text()
        assert "For medarbejdere i Jobcenter Testby." in login_page
        await login(client)
        overview = await (await client.get("/staff/overview")).text()
        assert "<span>Jobcenter Testby</span>" in overview and 'src="/staff/logo"' in overview
        served = await client.get("/staff/logo")
        assert served.status == 200 and served.headers["Content-Type"] == "image/png" and await served.read() == PNG
        report = await (await client.get("/staff/surveys/citizen/report.html")).text()
        assert "Jobcenter Testby · Resultatopfølgning" in report and 'src="data:image/png;base64,' in report
        for page in (login_page, overview, report):
            assert "Fredericia" not in page


async def test_without_settings_the_default_name_is_no_municipality(client: TestClient) -> None:
    page = await (await client.get("/staff/login")).text()
    assert "For medarbejdere i Jobcentret." in page and "Fredericia" not in page
    assert (await client.get("/staff/logo")).status == 404


def test_own_definitions_replace_the_shipped_ones_only_when_they_pass(tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    text = (DEFINITIONS_DIR / "citizen.yaml").read_text(encoding="utf-8")
    text = text.replace("Jobcenter Fredericia", "{organisation}").replace("ungeenheden:", "team-nord:")
    (own / "citizen.yaml").write_text(text, encoding="utf-8")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "citizen.yaml").write_text("key: citizen\nquestions: [\n", encoding="utf-8")
    try:
        with pytest.raises(DefinitionError, match="malformed YAML"):
            use_definitions(broken)
        assert "ungeenheden" in get_survey("citizen").segments["unit"]  # unchanged after a refusal
        use_definitions(own)
        assert "team-nord" in get_survey("citizen").segments["unit"]
        from bot.render import thanks, welcome

        text, _ = welcome(get_survey("citizen"), "da", 1, 8, "Jobcenter Testby")
        assert "dit forløb hos Jobcenter Testby" in text and "{organisation}" not in text
        assert "{organisation}" not in thanks(get_survey("citizen"), "da", "Jobcenter Testby")
        with pytest.raises(ValueError, match="unknown survey 'employer'"):
            get_survey("employer")  # the organisation's directory replaces the shipped ones entirely
    finally:
        use_definitions(None)
    assert "employer" in {get_survey("employer").key}


def test_the_cli_uses_the_directory_and_refuses_a_broken_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TILFREDS_DATABASE_URL", database_url)
    monkeypatch.setenv("TILFREDS_DATA_DIR", str(tmp_path / "data"))
    own = tmp_path / "own"
    own.mkdir()
    shutil.copy(DEFINITIONS_DIR / "employer.yaml", own / "employer.yaml")
    text = (DEFINITIONS_DIR / "citizen.yaml").read_text(encoding="utf-8").replace("ungeenheden:", "team-nord:")
    (own / "citizen.yaml").write_text(text, encoding="utf-8")
    runner = CliRunner()
    try:
        refused = runner.invoke(cli, ["report", "--survey", "citizen", "--filter", "unit=team-nord"])
        assert refused.exit_code != 0 and "unknown value 'team-nord'" in refused.output  # the shipped definitions
        monkeypatch.setenv("TILFREDS_SURVEYS_DIR", str(own))
        checked = runner.invoke(cli, ["surveys", "check"])
        assert checked.exit_code == 0 and str(own / "citizen.yaml") in checked.output
        result = runner.invoke(cli, ["report", "--survey", "citizen", "--filter", "unit=team-nord", "--format", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["filter"] == {"unit": "team-nord"}
        (own / "employer.yaml").write_text("key: employer\n", encoding="utf-8")
        broken = runner.invoke(cli, ["report", "--survey", "citizen"])
        assert broken.exit_code != 0 and "TILFREDS_SURVEYS_DIR does not pass `tilfreds surveys check`" in broken.output
        assert "Traceback" not in broken.output
    finally:
        use_definitions(None)
