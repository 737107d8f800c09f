"""A person answering in the browser, over real HTTP: open the link, start, answer, go back, reload.

Works with any aiohttp ``ClientSession`` (a test client, or a plain session against a real `tilfreds run`);
it keeps the page it last saw, as a browser tab does, so a test can post an old form again.
"""

from __future__ import annotations

import html as htmlmod
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiohttp

from db.database import Database
from db.repo import invitations

_FIELD = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')
_ACTION = re.compile(r'<form method="post" action="([^"]+)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


async def invite(
    database: Database,
    secret: bytes,
    survey: str = "citizen",
    *,
    count: int = 1,
    max_uses: int | None = 1,
    expires_in: timedelta | None = timedelta(days=30),
    segments: dict[str, str] | None = None,
) -> list[str]:
    async with database.sessions() as session, session.begin():
        _batch, issued = await invitations.create_batch(
            session,
            secret,
            survey_key=survey,
            segments=segments or {},
            count=count,
            created_by="test",
            expires_in=expires_in,
            max_uses=max_uses,
        )
    return [item.token for item in issued]


@dataclass
class Page:
    status: int
    url: str
    text: str
    headers: Any = None
    fields: dict[str, str] = field(default_factory=dict)
    action: str | None = None

    @property
    def title(self) -> str:
        found = _TITLE.search(self.text)
        return htmlmod.unescape(found.group(1).strip()) if found else ""

    @property
    def question(self) -> str | None:
        return self.fields.get("question")


class Browser:
    """One browser (one cookie jar) answering one invitation link."""

    def __init__(self, http: aiohttp.ClientSession | Any, base: str = "") -> None:
        self.http = http
        self.base = base
        self.page: Page | None = None

    async def _read(self, response: Any) -> Page:
        text = await response.text()
        action = _ACTION.search(text)
        page = Page(
            response.status,
            str(response.url),
            text,
            response.headers,
            dict(_FIELD.findall(text)),
            action.group(1) if action else None,
        )
        self.page = page
        return page

    async def get(self, path: str, **kwargs: Any) -> Page:
        async with self.http.get(self.base + path, **kwargs) as response:
            return await self._read(response)

    async def post(self, path: str, data: Any, **kwargs: Any) -> Page:
        async with self.http.post(self.base + path, data=data, **kwargs) as response:
            return await self._read(response)

    async def start(self, token: str, **kwargs: Any) -> Page:
        """Open the link and press "Svar her i browseren": the first question."""
        landing = await self.get(f"/s/{token}", **kwargs)
        assert landing.status == 200, landing.text
        return await self.post(f"/s/{token}", {"form_token": landing.fields["form_token"]})

    async def send(self, form: Page | None = None, **values: str) -> Page:
        """Post a question page's form (the latest by default) with ``values`` (option, text, action)."""
        form = form or self.page
        assert form is not None and form.action, "no form on the page"
        return await self.post(form.action, {**form.fields, **values})

    async def answer_all(self, choices: dict[str, dict[str, str]], default: str = "4") -> Page:
        """Answer every question until the thank-you: ``choices[question]`` or option ``default``."""
        page = self.page
        assert page is not None
        for _ in range(30):
            if page.question is None:
                return page
            page = await self.send(page, **choices.get(page.question, {"option": default}))
        raise AssertionError("the survey did not end")
