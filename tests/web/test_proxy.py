"""Behind a trusted reverse proxy (TILFREDS_TRUST_PROXY): whose address counts, and https (ASVS 2.2.1, 9.1.1)."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer

from db.database import Database
from tests.web.conftest import PASSWORD, add_user, login
from tilfreds.app import build_app
from tilfreds.settings import Settings
from tilfreds.web import throttle


async def test_a_client_chosen_leftmost_address_does_not_dodge_the_per_address_limit(
    database: Database, settings: Settings
) -> None:
    await add_user(database, "bo")
    app = build_app(settings.model_copy(update={"trust_proxy": True}), database)
    async with TestClient(TestServer(app)) as client:
        for n in range(throttle.LIMIT):
            # The client writes whatever it likes; the proxy appends the address it really came from.
            headers = {"X-Forwarded-For": f"10.9.8.{n}, 203.0.113.5"}
            assert (await login_from(client, f"guess{n}", "wrong", headers)).status == 200
        refused = await login_from(client, "bo", PASSWORD, {"X-Forwarded-For": "10.9.8.250, 203.0.113.5"})
        assert refused.status == 429
        # Another real address is counted on its own.
        assert (await login_from(client, "bo", PASSWORD, {"X-Forwarded-For": "203.0.113.6"})).status == 303


async def login_from(client: TestClient, username: str, password: str, headers: dict[str, str]):
    client.session.headers.update(headers)
    try:
        return await login(client, username, password)
    finally:
        for name in headers:
            client.session.headers.pop(name, None)


async def test_strict_transport_security_only_over_https(database: Database, settings: Settings) -> None:
    await add_user(database)
    for trusted, proto, expected in (
        (True, "https", True),
        (True, "http, https", True),  # the proxy's own entry is the rightmost
        (True, "https, http", False),  # a client's claim to the left is not believed
        (False, "https", False),  # no proxy is trusted: the header is the client's word only
        (True, None, False),
    ):
        app = build_app(settings.model_copy(update={"trust_proxy": trusted}), database)
        headers = {"X-Forwarded-Proto": proto} if proto else {}
        async with TestClient(TestServer(app)) as client:
            for path in ("/staff/login", "/healthz", "/staff/invitations"):
                response = await client.get(path, headers=headers, allow_redirects=False)
                assert ("Strict-Transport-Security" in response.headers) is expected, (trusted, proto, path)
                if expected:
                    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
