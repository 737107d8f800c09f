"""Logging in and out of the staff pages: sessions, cookies, throttling and CSRF, as a browser meets them."""

from __future__ import annotations

from datetime import timedelta

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select, update
from yarl import URL

from db.database import Database
from db.models import AuditEntry, InvitationBatch, LoginAttempt, StaffSession, utcnow
from db.repo import staff as staff_repo
from tests.web.conftest import PASSWORD, add_user, csrf_of, login, session_cookie
from tilfreds.app import build_app
from tilfreds.settings import Settings


def use_cookie(client: TestClient, value: str) -> None:
    """Present exactly this session cookie, as someone who copied it would."""
    client.session.cookie_jar.clear()
    client.session.cookie_jar.update_cookies({"tilfreds_staff": value}, client.make_url("/staff/"))


async def count(database: Database, model) -> int:
    async with database.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_anonymous_pages_redirect_to_login_and_downloads_get_401(client: TestClient) -> None:
    page = await client.get("/staff/invitations", allow_redirects=False)
    assert page.status == 303
    location = URL(page.headers["Location"])
    assert location.path == "/staff/login" and location.query["next"] == "/staff/invitations"
    start = await client.get("/staff", allow_redirects=True)
    assert start.url.path == "/staff/login"
    download = await client.get("/staff/invitations/1/links.csv", allow_redirects=False)
    assert download.status == 401
    assert "Log in" in await download.text()


async def test_login_page_is_danish_accessible_and_sets_only_a_csrf_cookie(client: TestClient) -> None:
    response = await client.get("/staff/login")
    html = await response.text()
    assert response.status == 200
    assert '<html lang="da">' in html
    assert '<label for="username">Brugernavn</label>' in html
    assert '<label for="password">Adgangskode</label>' in html
    assert 'autocomplete="current-password"' in html
    assert session_cookie(client) is None
    cookie = response.cookies["tilfreds_csrf"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/staff"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin" and response.headers["Cache-Control"] == "no-store"


async def test_login_sets_a_signed_httponly_session_cookie_and_opens_the_pages(
    client: TestClient, database: Database
) -> None:
    response = await login(client)
    assert response.status == 303
    assert response.headers["Location"] == "/staff/overview"
    cookie = response.cookies["tilfreds_staff"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/staff"
    assert not cookie["secure"]  # plain http here; see the proxy test
    session_id, _, signature = cookie.value.partition(".")
    assert len(session_id) >= 40 and len(signature) == 64
    async with database.sessions() as session:
        stored = list(await session.scalars(select(StaffSession.token_hash)))
        user = await staff_repo.get_user(session, "anna")
    assert len(stored) == 1 and session_id not in stored[0] and cookie.value not in stored  # only a keyed hash
    assert user.last_login_at is not None
    page = await client.get("/staff/invitations")
    assert page.status == 200
    assert "Logget ind som anna" in await page.text()


async def test_login_returns_to_the_page_asked_for_but_never_off_site(client: TestClient) -> None:
    back = await login(client, next="/staff/invitations?survey=employer")
    assert back.headers["Location"] == "/staff/invitations?survey=employer"
    client.session.cookie_jar.clear()
    away = await login(client, next="https://evil.example/staff/")
    assert away.headers["Location"] == "/staff/overview"
    client.session.cookie_jar.clear()
    sneaky = await login(client, next="//evil.example/x")
    assert sneaky.headers["Location"] == "/staff/overview"


async def test_a_new_session_id_at_every_login_and_the_old_one_dies(client: TestClient) -> None:
    await login(client)
    first = session_cookie(client)
    page = await client.get("/staff/invitations")
    token = csrf_of(await page.text())
    again = await client.post(
        "/staff/login", data={"csrf_token": token, "username": "anna", "password": PASSWORD}, allow_redirects=False
    )
    assert again.status == 303
    second = session_cookie(client)
    assert first and second and first != second
    use_cookie(client, first)
    stale = await client.get("/staff/invitations", allow_redirects=False)
    assert stale.status == 303 and stale.headers["Location"].startswith("/staff/login")


async def test_secure_cookie_behind_a_trusted_https_proxy(database: Database, settings: Settings) -> None:
    await add_user(database)
    for trusted, expect_secure in ((True, True), (False, False)):
        app = build_app(settings.model_copy(update={"trust_proxy": trusted}), database)
        async with TestClient(TestServer(app)) as client:
            page = await client.get("/staff/login", headers={"X-Forwarded-Proto": "https"})
            csrf_cookie = page.cookies["tilfreds_csrf"]
            assert bool(csrf_cookie["secure"]) is expect_secure
            # The browser is on https and sends its Secure cookie back; this test client is on http, so hand it over.
            response = await client.post(
                "/staff/login",
                headers={"X-Forwarded-Proto": "https"},
                allow_redirects=False,
                cookies={"tilfreds_csrf": csrf_cookie.value},
                data={"csrf_token": csrf_of(await page.text()), "username": "anna", "password": PASSWORD},
            )
            assert response.status == 303
            assert bool(response.cookies["tilfreds_staff"]["secure"]) is expect_secure


async def test_wrong_password_or_unknown_user_fails_the_same_way(client: TestClient, database: Database) -> None:
    for username, password in (("anna", "wrong password!"), ("nobody", PASSWORD), ("", "")):
        response = await login(client, username, password)
        html = await response.text()
        assert response.status == 200
        assert "Forkert brugernavn eller adgangskode." in html
        assert session_cookie(client) is None
    assert await count(database, LoginAttempt) == 3
    assert PASSWORD not in html  # the typed username is shown back; the password never is


async def test_eleventh_attempt_for_an_account_is_refused_even_with_the_right_password(
    client: TestClient, database: Database
) -> None:
    for _ in range(10):
        failed = await login(client, "anna", "not the password")
        assert failed.status == 200
    refused = await login(client, "anna", PASSWORD)
    assert refused.status == 429
    assert "For mange forkerte forsøg" in await refused.text()
    assert session_cookie(client) is None
    # The window slides: attempts older than 15 minutes no longer count.
    async with database.sessions.begin() as session:
        await session.execute(update(LoginAttempt).values(at=utcnow() - timedelta(minutes=16)))
    assert (await login(client, "anna", PASSWORD)).status == 303


async def test_eleventh_attempt_from_one_address_is_refused_whatever_the_account(
    client: TestClient, database: Database
) -> None:
    await add_user(database, "bo")
    for n in range(10):
        assert (await login(client, f"guess{n}", "whatever")).status == 200
    refused = await login(client, "bo", PASSWORD)
    assert refused.status == 429
    assert session_cookie(client) is None


async def test_disabled_accounts_cannot_log_in_and_lose_their_sessions(client: TestClient, database: Database) -> None:
    await login(client)
    assert (await client.get("/staff/invitations", allow_redirects=False)).status == 200
    async with database.sessions.begin() as session:
        await staff_repo.disable_user(session, "anna")
    assert (await client.get("/staff/invitations", allow_redirects=False)).status == 303
    client.session.cookie_jar.clear()
    response = await login(client)
    assert response.status == 200 and "Forkert brugernavn" in await response.text()


async def test_posts_without_the_right_csrf_token_are_refused_and_change_nothing(
    client: TestClient, database: Database
) -> None:
    await client.get("/staff/login")
    no_token = await client.post("/staff/login", data={"username": "anna", "password": PASSWORD}, allow_redirects=False)
    assert no_token.status == 403
    assert "Formularen var for gammel" in await no_token.text()
    assert session_cookie(client) is None and await count(database, StaffSession) == 0

    await login(client)
    form = {"survey": "citizen", "count": "3", "expires_days": "30", "uses": "single"}
    for token in (None, "", "forged-token", "x" * 64):
        data = dict(form) if token is None else {**form, "csrf_token": token}
        refused = await client.post("/staff/invitations", data=data, allow_redirects=False)
        assert refused.status == 403
    logout = await client.post("/staff/logout", data={}, allow_redirects=False)
    assert logout.status == 403
    assert await count(database, InvitationBatch) == 0
    assert await count(database, AuditEntry) == 0
    assert (await client.get("/staff/invitations", allow_redirects=False)).status == 200  # still logged in


async def test_a_token_from_another_session_does_not_work(
    client: TestClient, database: Database, settings: Settings
) -> None:
    await login(client)
    other_token = csrf_of(await (await client.get("/staff/invitations")).text())
    await add_user(database, "bo")
    async with TestClient(TestServer(build_app(settings, database))) as other:
        await login(other, "bo")
        refused = await other.post("/staff/logout", data={"csrf_token": other_token}, allow_redirects=False)
        assert refused.status == 403


async def test_logout_ends_the_session_for_good(client: TestClient, database: Database) -> None:
    await login(client)
    cookie = session_cookie(client)
    page = await client.get("/staff/invitations")
    response = await client.post(
        "/staff/logout", data={"csrf_token": csrf_of(await page.text())}, allow_redirects=False
    )
    assert response.status == 303 and response.headers["Location"] == "/staff/login?logged_out=1"
    assert await count(database, StaffSession) == 0
    landing = await client.get("/staff/login?logged_out=1")
    assert "Du er logget ud." in await landing.text()
    use_cookie(client, cookie)  # replaying the old cookie
    assert (await client.get("/staff/invitations", allow_redirects=False)).status == 303


async def test_sessions_expire(client: TestClient, database: Database) -> None:
    await login(client)
    assert (await client.get("/staff/invitations", allow_redirects=False)).status == 200
    async with database.sessions.begin() as session:
        await session.execute(update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    expired = await client.get("/staff/invitations", allow_redirects=False)
    assert expired.status == 303
    back = await client.get(expired.headers["Location"])
    assert "Log ind for at fortsætte." in await back.text()


async def test_a_tampered_cookie_is_ignored(client: TestClient) -> None:
    await login(client)
    session_id, _, signature = session_cookie(client).partition(".")
    use_cookie(client, f"{session_id}x.{signature}")
    assert (await client.get("/staff/invitations", allow_redirects=False)).status == 303


async def test_english_is_one_link_away(staff_client: TestClient) -> None:
    page = await staff_client.get("/staff/invitations")
    assert 'lang="en"' in await page.text()  # the switch itself is marked as English
    switched = await staff_client.get("/staff/lang?set=en&next=/staff/invitations")
    html = await switched.text()
    assert switched.url.path == "/staff/invitations"
    assert '<html lang="en">' in html and "Log out" in html and "Logged in as anna" in html
    back = await staff_client.get("/staff/lang?set=da&next=https://evil.example/")
    assert back.url.path == "/staff/overview" and '<html lang="da">' in await back.text()
