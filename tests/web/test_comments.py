"""The comments page: scrubbed free text newest first with the headline score, filters, search, pagination,
themes, the audited download with formulas neutralised, and nothing shown for a selection below the minimum."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from db.database import Database
from db.models import AuditEntry, Response, utcnow
from db.repo.survey_versions import ensure_version
from surveys import get_survey
from tests.analytics.factories import add_response
from tests.web.conftest import csrf_of

URL = "/staff/surveys/citizen/comments"


async def seed(database: Database, specs: list[tuple[int | str, str | None, dict[str, str]]], **columns) -> list[int]:
    """Responses answered 1..n hours ago (the first newest): (headline, comment, segments)."""
    survey = get_survey("citizen")
    ids = []
    async with database.sessions.begin() as session:
        version = (await ensure_version(session, survey)).id
        for hours, (headline, comment, segments) in enumerate(specs, start=1):
            response_id = await add_response(
                session,
                version,
                when=utcnow() - timedelta(hours=hours),
                headline=headline,
                comment=comment,
                segments=segments,
            )
            if columns:
                await session.execute(update(Response).where(Response.id == response_id).values(**columns))
            ids.append(response_id)
    return ids


def comment_texts(html: str) -> list[str]:
    return re.findall(r"<blockquote><p>(.*?)</p></blockquote>", html, re.S)


async def test_comments_newest_first_with_their_score_and_filters(staff_client: TestClient, database: Database) -> None:
    await seed(
        database,
        [
            (5, "Min sagsbehandler lyttede", {"benefit": "kontanthjaelp"}),
            (2, "Lang ventetid i telefonen", {"benefit": "kontanthjaelp"}),
            ("dk", "Ved ikke rigtig", {"benefit": "a-dagpenge"}),
            (4, None, {"benefit": "a-dagpenge"}),
            (1, "Ventetid igen, [telefonnummer]", {"benefit": "a-dagpenge"}),
            (5, "Fint", {"benefit": "a-dagpenge"}),
        ],
    )
    page = await staff_client.get(URL)
    html = await page.text()
    assert page.status == 200
    assert comment_texts(html) == [
        "Min sagsbehandler lyttede",
        "Lang ventetid i telefonen",
        "Ved ikke rigtig",
        "Ventetid igen, [telefonnummer]",
        "Fint",
    ]
    assert "5 kommentarer fra et udvalg på 6 besvarelser." in html
    scores = re.findall(r"<strong>Samlet vurdering: ([^<]+)</strong>", html)
    assert scores == ["5", "2", "ved ikke", "1", "5"]

    searched = await (await staff_client.get(URL + "?q=VENTETID")).text()
    assert comment_texts(searched) == ["Lang ventetid i telefonen", "Ventetid igen, [telefonnummer]"]

    # One score, or one benefit group, leaves fewer than 5 responses: no comment is shown, and the page says why.
    for narrow in ("?score=5", "?filter=benefit%3Dkontanthjaelp", "?channel=web", "?language=en"):
        html = await (await staff_client.get(URL + narrow)).text()
        assert comment_texts(html) == [], narrow
        assert "Kommentarerne vises ikke: udvalget har færre end 5 besvarelser" in html
        assert "sagsbehandler" not in html.split('id="list-title"')[1].split('id="themes"')[0]


async def test_pages_of_25(staff_client: TestClient, database: Database) -> None:
    await seed(database, [(4, f"Kommentar nummer {i}", {}) for i in range(30)])
    first = comment_texts(await (await staff_client.get(URL)).text())
    second_page = await (await staff_client.get(URL + "?page=2")).text()
    assert len(first) == 25 and first[0] == "Kommentar nummer 0"
    assert comment_texts(second_page) == [f"Kommentar nummer {i}" for i in range(25, 30)]
    assert "Side 2 af 2" in second_page and 'rel="prev"' in second_page
    beyond = await (await staff_client.get(URL + "?page=99")).text()
    assert "Side 2 af 2" in beyond  # past the end: the last page, not an error


async def test_staff_tag_comments_and_the_drill_down_counts_them(staff_client: TestClient, database: Database) -> None:
    await seed(database, [(4, f"Ventetid {i}", {}) for i in range(6)])
    html = await (await staff_client.get(URL)).text()
    token = csrf_of(html)
    added = await staff_client.post(
        "/staff/surveys/citizen/themes", data={"csrf_token": token, "name": "  ventetid  "}, allow_redirects=False
    )
    assert added.status == 303
    html = await (await staff_client.get(URL)).text()
    theme = re.search(r'<option value="(\d+)">ventetid</option>', html)
    assert theme, "the new theme is offered beside every comment"
    answers = re.findall(r'name="answer" value="(\d+)"', html)
    for answer in answers[:5]:
        reply = await staff_client.post(
            f"{URL}/tag",
            data={"csrf_token": token, "answer": answer, "theme": theme.group(1), "on": "1"},
            allow_redirects=False,
        )
        assert reply.status == 303 and reply.headers["Location"].endswith(f"#comment-{answer}")
    tagged = await (await staff_client.get(URL)).text()
    assert tagged.count("Temaer: ventetid") == 5
    drill = await (await staff_client.get("/staff/surveys/citizen")).text()
    row = drill[drill.index("Kommentarer pr. tema") :]
    assert re.search(r"<th scope=\"row\">ventetid</th><td class=\"num\">5</td>", row)
    await staff_client.post(
        f"{URL}/tag", data={"csrf_token": token, "answer": answers[0], "theme": theme.group(1), "on": "0"}
    )
    drill = await (await staff_client.get("/staff/surveys/citizen")).text()
    assert '<td class="num">&lt;5</td>' in drill[drill.index("Kommentarer pr. tema") :]  # 4 is a small cell

    # Forged input changes nothing: an unknown answer, another survey's id, no CSRF token.
    for data in ({"answer": "999999", "theme": theme.group(1), "on": "1"}, {"answer": "x", "theme": "1"}):
        reply = await staff_client.post(f"{URL}/tag", data={"csrf_token": token, **data}, allow_redirects=False)
        assert reply.status == 400
    no_token = await staff_client.post(f"{URL}/tag", data={"answer": answers[1], "theme": theme.group(1), "on": "1"})
    assert no_token.status == 403
    assert (await (await staff_client.get(URL)).text()).count("Temaer: ventetid") == 4


async def test_the_download_is_audited_neutralised_and_refused_for_a_small_selection(
    staff_client: TestClient, database: Database
) -> None:
    await seed(database, [(4, '=HYPERLINK("http://x")', {}), *[(5, f"Godt {i}", {}) for i in range(5)]])
    reply = await staff_client.get(URL + ".csv")
    assert reply.status == 200
    assert reply.headers["Content-Disposition"].startswith('attachment; filename="kommentarer-citizen-')
    rows = list(csv.DictReader(io.StringIO((await reply.read()).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 6 and rows[0]["Kommentar"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["Samlet vurdering"] == "4" and re.fullmatch(r"\d\d\.\d\d\.\d{4}", rows[0]["Dato"])
    xlsx = await staff_client.get(URL + ".xlsx")
    assert xlsx.status == 200 and (await xlsx.read())[:2] == b"PK"
    async with database.sessions() as session:
        entries = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.actor, e.detail["kind"], e.detail["format"], e.rows) for e in entries] == [
        ("web:anna", "comments", "csv", 6),
        ("web:anna", "comments", "xlsx", 6),
    ]
    refused = await staff_client.get(URL + ".csv?score=4")
    assert refused.status == 403 and "færre end 5" in await refused.text()
    assert (await staff_client.get(URL + ".csv?score=9")).status == 400
    async with database.sessions() as session:
        assert len(list(await session.scalars(select(AuditEntry)))) == 2  # refusals export nothing


async def test_bad_choices_are_explained(staff_client: TestClient) -> None:
    reply = await staff_client.get(URL + "?score=7&language=xx&channel=fax&page=abc")
    assert reply.status == 400 and "Et af valgene kunne ikke bruges" in await reply.text()
    assert (await staff_client.get("/staff/surveys/nosuch/comments")).status == 404
