"""Issue 18, must-show 2 (logging in): one-time links from the chat and the CLI, over real
HTTP against the real web app. A used, expired or forged link is refused with a plain page;
the session cookie is HttpOnly, SameSite=Strict, 8 hours, Secure over https; every login
is audited; a POST without its CSRF token changes nothing; a revoked role or a deleted
learner ends the session; HOCVUSO_DASHBOARD=false turns it all off."""

from __future__ import annotations

import asyncio
import secrets
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import pytest

from bot.app import App, build_app
from bot.config import Settings
from bot.core.engine import utcnow
from bot.core.messages import Grant
from bot.dashboard.links import digest
from bot.dashboard.security import COOKIE, HEADERS
from tests.conftest import bot_env
from tests.dashboard_helpers import (
    LINK,
    csrf_of,
    form_token,
    link_from_chat,
    log_in,
    running,
    staff_chat,
)
from tests.fakes.telegram_api import FakeTelegram, TelegramUser
from tests.progress_seed import learner
from tests.test_deletion import every_row, traces
from tests.test_roles import invite


def _cookie(response: httpx.Response) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    jar.load(response.headers["set-cookie"])
    return jar


async def test_a_link_from_the_chat_opens_an_eight_hour_session_once(app: App) -> None:
    async with running(app) as base:
        staff = await staff_chat(app)
        link = await link_from_chat(staff)
        assert "15 phút" in staff.text() and "đừng chuyển" in staff.text()
        names = sorted(reply.document.suffix for reply in staff.last if reply.document)
        assert names == [".csv", ".png", ".png", ".xlsx"]  # the chat's report is still there
        async with httpx.AsyncClient() as client:
            page = await client.get(link)  # what a chat app's link preview fetches
            assert page.status_code == 200 and "login.js" in page.text
            assert (await client.get(link)).status_code == 200  # the GET did not use it
            opened = await log_in(client, link)
            assert opened.status_code == 303
            commune = await app.storage.commune_id("Xã Tân Phú")
            assert opened.headers["location"] == f"/dashboard/c/{commune}/"
            morsel = _cookie(opened)[COOKIE]
            assert morsel["httponly"] and morsel["samesite"].lower() == "strict"
            assert morsel["path"] == "/dashboard" and morsel["max-age"] == str(8 * 3600)
            assert not morsel["secure"]  # plain http: a Secure cookie would never come back
            overview = await client.get(f"{base}{opened.headers['location']}")
            assert overview.status_code == 200 and "Thôn 1" in overview.text

            again = await client.post(
                f"{base}/dashboard/login", data={"token": form_token(page.text)}
            )
            assert again.status_code == 410 and "đã được dùng" in again.text
            assert "đã được dùng" in (await client.get(link)).text

    entries = await app.storage.audit_entries()
    logins = [e for e in entries if e.action == "dashboard_login"]
    assert len(logins) == 1 and logins[0].detail == f"staff commune {commune}"
    assert any(e.action == "dashboard_link" for e in entries)
    assert any(e.action == "dashboard_refused" and e.detail == "used link" for e in entries)
    token = link.rsplit("/", 1)[1]
    rows = str(await every_row(app))
    assert token not in rows and morsel.value not in rows  # only their hashes are kept


async def test_expired_and_forged_links_are_refused(app: App) -> None:
    commune = await app.storage.commune_id("Xã Tân Phú")
    assert app.links is not None and commune is not None
    async with running(app) as base:
        expired = await app.links.login_link(
            learner_id=None, grant=Grant("staff", commune_id=commune), language="vi",
            now=utcnow() - timedelta(minutes=16),
        )  # fmt: skip
        token = expired.rsplit("/", 1)[1]
        forged = secrets.token_urlsafe(32)
        async with httpx.AsyncClient() as client:
            page = await client.get(expired)
            assert page.status_code == 410 and "đã hết hạn" in page.text and "15 phút" in page.text
            used = await client.post(f"{base}/dashboard/login", data={"token": token})
            assert used.status_code == 410 and COOKIE not in used.headers.get("set-cookie", "")
            for bad in (forged, "short", "a" * 200, "..%2F..%2Fhocvuso.toml"):
                response = await client.get(f"{base}/dashboard/login/{bad}")
                assert response.status_code == 404, bad
                assert "không dùng được" in response.text or "Không tìm thấy" in response.text
                posted = await client.post(f"{base}/dashboard/login", data={"token": bad})
                assert posted.status_code == 404 and "set-cookie" not in posted.headers
            english = await client.get(
                f"{base}/dashboard/login/{forged}", headers={"Accept-Language": "en-US,en"}
            )
            assert "This link does not work" in english.text
            nobody = await client.get(f"{base}/dashboard/c/{commune}/")
            assert nobody.status_code == 401 and "/baocao" in nobody.text
        cookie = {COOKIE: secrets.token_urlsafe(32)}
        async with httpx.AsyncClient(cookies=cookie) as client:
            forged_cookie = await client.get(f"{base}/dashboard/c/{commune}/")
            assert forged_cookie.status_code == 401


async def test_forms_without_their_csrf_token_change_nothing(app: App) -> None:
    async with running(app) as base:
        link = await link_from_chat(await staff_chat(app))
        async with httpx.AsyncClient(base_url=base) as client:
            home = (await log_in(client, link)).headers["location"]
            page = await client.get(home)
            csrf = csrf_of(page.text)
            for data in ({"lang": "en", "next": home}, {"lang": "en", "csrf": "x" * 43}):
                refused = await client.post("/dashboard/language", data=data)
                assert refused.status_code == 403, data
            as_json = await client.post("/dashboard/language", json={"lang": "en", "csrf": csrf})
            assert as_json.status_code == 403
            assert (await client.get(home)).text.count('<html lang="vi">') == 1  # unchanged
            assert (await client.post("/dashboard/logout", data={})).status_code == 403
            assert (await client.get(home)).status_code == 200  # still logged in

            switched = await client.post(
                "/dashboard/language", data={"lang": "en", "next": home, "csrf": csrf}
            )
            assert (switched.status_code, switched.headers["location"]) == (303, home)
            assert '<html lang="en">' in (await client.get(home)).text
            away = await client.post(
                "/dashboard/language",
                data={"lang": "vi", "next": "https://evil.example/x", "csrf": csrf},
            )
            assert away.headers["location"] == home  # never sent off the dashboard
            out = await client.post("/dashboard/logout", data={"csrf": csrf})
            assert out.status_code == 200 and "đăng xuất" in out.text
            assert (await client.get(home)).status_code == 401
    actions = [entry.action for entry in await app.storage.audit_entries()]
    assert "dashboard_logout" in actions


async def test_security_headers_on_every_response(app: App) -> None:
    async with running(app) as base:
        link = await link_from_chat(await staff_chat(app))
        async with httpx.AsyncClient(base_url=base) as client:
            login_page = await client.get(link)
            home = (await log_in(client, link)).headers["location"]
            responses = [
                login_page,
                await client.get(home),
                await client.get(home + "lessons"),
                await client.get(home + "pushes"),
                await client.get(home + "baocao.csv"),
                await client.get(home + "bieudo.png"),
                await client.get("/dashboard/c/99999/"),
                await client.get("/dashboard/static/dashboard.css"),
                await client.get("/dashboard/login/nope"),
            ]
            async with httpx.AsyncClient(base_url=base) as stranger:
                responses.append(await stranger.get(home))
        for response in responses:
            for name, value in HEADERS.items():
                assert response.headers.get(name) == value, (response.url, name)
        policy = HEADERS["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy and "script-src 'self'" in policy
        for response in responses:
            assert "<script>" not in response.text and " style=" not in response.text
        assert [r.headers.get("cache-control") for r in responses[1:4]] == ["no-store"] * 3


async def test_secure_cookie_behind_https(app: App) -> None:
    """nginx says X-Forwarded-Proto: https; uvicorn trusts it from 127.0.0.1."""
    async with running(app):
        link = await link_from_chat(await staff_chat(app))
        async with httpx.AsyncClient(headers={"X-Forwarded-Proto": "https"}) as client:
            page = await client.get(link)
            opened = await client.post(
                link.split("/login/")[0] + "/login", data={"token": form_token(page.text)}
            )
    assert _cookie(opened)[COOKIE]["secure"]


async def test_a_session_ends_with_the_role_or_after_eight_hours(app: App) -> None:
    async with running(app) as base:
        staff = await staff_chat(app)
        link = await link_from_chat(staff)
        async with httpx.AsyncClient(base_url=base) as client:
            opened = await log_in(client, link)
            home = opened.headers["location"]
            token = _cookie(opened)[COOKIE].value
            now = utcnow()
            assert await app.storage.dashboard_session(digest(token), now) is not None
            later = now + timedelta(hours=8, seconds=1)
            assert await app.storage.dashboard_session(digest(token), later) is None
            (role,) = [r for r in await app.storage.role_rows() if r.user_id == staff.user_id]
            await app.storage.revoke_role(role.id, now, "operator")
            assert (await client.get(home)).status_code == 401
        await staff.command("baocao")
        assert LINK.findall(staff.text()) == []  # no role, no link


async def test_a_village_head_gets_their_village(app: App) -> None:
    from tests.dashboard_helpers import head_chat

    async with running(app) as base:
        head = await head_chat(app, "Thôn 2", index=1)
        await head.command("baocao")
        assert "Thôn 2: 1 người học" in head.text()
        (link,) = LINK.findall(head.text())
        async with httpx.AsyncClient(base_url=base) as client:
            home = (await log_in(client, link)).headers["location"]
            villages = {v.name: v.id for v in await app.storage.villages()}
            commune = await app.storage.commune_id("Xã Tân Phú")
            assert home == f"/dashboard/c/{commune}/v/{villages['Thôn 2']}/"
            page = await client.get(home)
            assert page.status_code == 200
            assert 'data-village="Thôn 2"' in page.text and "Thôn 1" not in page.text


async def test_deleting_ones_data_deletes_links_and_sessions(app: App) -> None:
    async with running(app) as base:
        staff = await staff_chat(app, user="del-staff-6612")
        link = await link_from_chat(staff)
        await link_from_chat(staff)  # a second link, never used
        async with httpx.AsyncClient(base_url=base) as client:
            home = (await log_in(client, link)).headers["location"]
            learner = await app.storage.get_learner("test", staff.user_id)
            assert learner is not None
            assert traces(await every_row(app), learner.id, staff.user_id)
            await staff.tap("delete")
            await staff.tap("delete:yes")
            rows = await every_row(app)
            assert traces(rows, learner.id, staff.user_id) == []
            assert rows["dashboard_links"] == [] and rows["dashboard_sessions"] == []
            assert (await client.get(home)).status_code == 401


async def test_the_operators_link_from_the_cli(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("HOCVUSO_DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("HOCVUSO_LESSONS_DIR", str(app.settings.lessons_dir))
    monkeypatch.setenv("HOCVUSO_CONFIG", str(app.settings.config_file))
    async with running(app) as base:
        monkeypatch.setenv("HOCVUSO_PUBLIC_URL", base)
        args = ["dashboard-link", "--commune", "tan phu", "--village", "thon 1", "--lang", "en"]
        assert await asyncio.to_thread(main, args) == 0
        out, err = capsys.readouterr()
        (link,) = LINK.findall(out)
        assert "15 minutes" in err
        async with httpx.AsyncClient(base_url=base) as client:
            home = (await log_in(client, link)).headers["location"]
            page = await client.get(home)
        assert page.status_code == 200 and '<html lang="en">' in page.text
        assert 'data-village="Thôn 1"' in page.text and "Thôn 2" not in page.text
    logins = [e for e in await app.storage.audit_entries() if e.action == "dashboard_login"]
    assert [e.actor for e in logins] == ["operator"]
    monkeypatch.setenv("HOCVUSO_DASHBOARD", "false")
    assert await asyncio.to_thread(main, ["dashboard-link", "--commune", "tan phu"]) == 2
    assert "HOCVUSO_DASHBOARD=false" in capsys.readouterr().err


async def test_the_dashboard_can_be_turned_off(settings: Settings) -> None:
    off = settings.model_copy(update={"dashboard": False})
    app = await build_app(off)
    try:
        assert app.links is None
        staff = await staff_chat(app)
        await staff.command("baocao")
        assert "Thôn 1:" in staff.last[0].text and LINK.findall(staff.text()) == []
        async with running(app) as base, httpx.AsyncClient(base_url=base) as client:
            for path in ("/dashboard/", "/dashboard/login/" + "a" * 43, "/dashboard/c/1/"):
                assert (await client.get(path)).status_code == 404
            assert (await client.get("/healthz")).text == "ok"
    finally:
        await app.close()


async def test_hocvuso_run_serves_the_dashboard_while_polling(
    app: App,
    api: FakeTelegram,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A commune on polling has no webhook server: `hocvuso run` serves the web app on
    HOCVUSO_LISTEN anyway when the dashboard is on, and links point there by default."""
    from bot.cli import main

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        listen = f"127.0.0.1:{probe.getsockname()[1]}"
    env = bot_env(
        app.settings, api, HOCVUSO_DASHBOARD="true", HOCVUSO_LISTEN=listen,
        HOCVUSO_SCHEDULER="false",
    )  # fmt: skip
    log = tmp_path / "bot.log"
    with log.open("ab") as out:
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run",
            env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out,
        )  # fmt: skip
    try:
        async with httpx.AsyncClient(base_url=f"http://{listen}") as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, log.read_text()
                await asyncio.sleep(0.1)
            for name in ("HOCVUSO_DATABASE_URL", "HOCVUSO_LESSONS_DIR", "HOCVUSO_CONFIG"):
                monkeypatch.setenv(name, env[name])
            monkeypatch.setenv("HOCVUSO_LISTEN", listen)
            assert await asyncio.to_thread(main, ["dashboard-link"]) == 0
            (link,) = LINK.findall(capsys.readouterr().out)
            assert link.startswith(f"http://{listen}/dashboard/login/")
            opened = await log_in(client, link)
            assert (await client.get(opened.headers["location"])).status_code == 200
            busy = subprocess.run(
                [sys.executable, "-m", "bot", "run"], env=env, capture_output=True, text=True,
                stdin=subprocess.DEVNULL, timeout=60,
            )  # fmt: skip
            assert busy.returncode == 2 and f"Cannot listen on {listen}" in busy.stderr
            assert "Traceback" not in busy.stderr
    finally:
        bot.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.wait(), 30) == 0, log.read_text()
    assert f"dashboard at http://{listen}/dashboard/" in log.read_text()


async def test_hocvuso_run_with_webhooks_links_to_its_own_address(
    app: App, api: FakeTelegram, tmp_path: Path
) -> None:
    """Webhooks and the dashboard on one server; /baocao on Telegram links to the --webhook
    address (no HOCVUSO_PUBLIC_URL set)."""
    villages = {v.name: v.id for v in await app.storage.villages()}
    staff = await learner(app, "5050", villages["Thôn 1"], utcnow(), channel="telegram")
    granted = await app.storage.redeem_invite(await invite(app, "staff"), staff, utcnow())
    assert isinstance(granted, Grant)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = "webhook-secret-for-the-dashboard-test"
    env = bot_env(
        app.settings, api, HOCVUSO_DASHBOARD="true", HOCVUSO_LISTEN=f"127.0.0.1:{port}",
        HOCVUSO_SCHEDULER="false", HOCVUSO_WEBHOOK_SECRET=secret,
    )  # fmt: skip
    public = f"http://127.0.0.1:{port}"
    log = tmp_path / "bot.log"
    with log.open("ab") as out:
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook", public,
            env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out,
        )  # fmt: skip
    try:
        async with httpx.AsyncClient(base_url=public) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, log.read_text()
                await asyncio.sleep(0.1)
            update = {"update_id": 9001, **TelegramUser(api, 5050).message_update("/baocao")}
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
            answered = await client.post("/telegram/webhook", json=update, headers=headers)
            assert answered.status_code == 200
            texts = [str(call.params.get("text", "")) for call in api.sent_to(5050)]
            (link,) = [found for text in texts for found in LINK.findall(text)]
            assert link.startswith(f"{public}/dashboard/login/")
            opened = await log_in(client, link)
            assert (await client.get(opened.headers["location"])).status_code == 200
    finally:
        bot.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.wait(), 30) == 0, log.read_text()
