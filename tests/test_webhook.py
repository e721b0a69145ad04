"""The webhook server over real HTTP: secrets, replays, size limits, health and readiness."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.web import MAX_BODY, create_web_app
from tests.conftest import table_counts
from tests.fakes import zalo_api
from tests.fakes.telegram_api import TOKEN, FakeTelegram, TelegramUser
from tests.web_server import serving

SECRET = "s3cret-for-the-webhook-test_0123456789"


@pytest.fixture
async def zalo_fake() -> AsyncIterator[zalo_api.FakeZalo]:
    fake = zalo_api.FakeZalo(poll_cap=0.3)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def server(app: App, api: FakeTelegram, zalo_fake: zalo_api.FakeZalo) -> AsyncIterator[str]:
    telegram = TelegramChannel(app.engine, token=TOKEN, base_url=api.base_url)
    zalo = ZaloChannel(app.engine, ZaloClient(zalo_api.TOKEN, base_url=zalo_fake.base_url))
    await telegram.start_webhook("https://bot.example.vn/telegram/webhook", SECRET)
    await zalo.start_webhook("https://bot.example.vn/zalo/webhook", SECRET)
    images = str(app.catalog.root / "img")
    web = create_web_app(app.storage, secret=SECRET, telegram=telegram, zalo=zalo, images=images)
    async with serving(web) as base:
        yield base
    await telegram.stop()
    await zalo.stop()


async def post(base: str, path: str, body: Any, secret: str | None, header: str) -> httpx.Response:
    headers = {header: secret} if secret is not None else {}
    async with httpx.AsyncClient() as client:
        return await client.post(f"{base}{path}", json=body, headers=headers)


TG = "X-Telegram-Bot-Api-Secret-Token"


async def test_telegram_webhook_secret_and_replays(
    app: App, api: FakeTelegram, server: str
) -> None:
    assert api.calls[-1].method == "setWebhook"
    assert api.calls[-1].params["secret_token"] == SECRET
    user = TelegramUser(api, 4242)
    update = {"update_id": 77, **user.message_update("/start")}
    before = await table_counts(app)

    for wrong in (None, "", "wrong", SECRET + "x"):
        response = await post(server, "/telegram/webhook", update, wrong, TG)
        assert response.status_code == 401
    assert await table_counts(app) == before  # refused without being processed
    assert user.messages() == []

    response = await post(server, "/telegram/webhook", update, SECRET, TG)
    assert response.status_code == 200
    assert "ngôn ngữ" in user.messages()[-1].params["text"]
    again = await post(server, "/telegram/webhook", update, SECRET, TG)
    assert again.status_code == 200
    assert len(user.messages()) == 1  # the same update twice is processed once
    assert (await table_counts(app))["processed_updates"] == before["processed_updates"] + 1


async def test_body_limits_and_garbage(server: str) -> None:
    async with httpx.AsyncClient() as client:
        big = await client.post(
            f"{server}/telegram/webhook", content=b"x" * (MAX_BODY + 1), headers={TG: SECRET}
        )
        assert big.status_code == 413
        junk = await client.post(
            f"{server}/telegram/webhook", content=b"{nope", headers={TG: SECRET}
        )
        assert junk.status_code == 400
    odd = await post(server, "/telegram/webhook", {"update_id": 5, "weird": True}, SECRET, TG)
    assert odd.status_code == 200  # an update nobody can read is acknowledged and dropped


async def test_zalo_webhook(app: App, zalo_fake: zalo_api.FakeZalo, server: str) -> None:
    assert zalo_fake.webhook_url == "https://bot.example.vn/zalo/webhook"
    user = zalo_api.ZaloUser(zalo_fake, "ff00000000000000000f")
    body = {"ok": True, "result": user.update("message.text.received", text="xin chao")}
    header = "X-Bot-Api-Secret-Token"
    assert (await post(server, "/zalo/webhook", body, "nope", header)).status_code == 401
    assert zalo_fake.texts_to(user.id) == []
    assert (await post(server, "/zalo/webhook", body, SECRET, header)).status_code == 200
    assert (await post(server, "/zalo/webhook", body, SECRET, header)).status_code == 200
    assert len(zalo_fake.texts_to(user.id)) == 1


async def test_health_and_readiness(app: App, server: str) -> None:
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{server}/healthz")).text == "ok"
        ready = await client.get(f"{server}/readyz")
        assert (ready.status_code, ready.text) == (200, "ready")


async def test_lesson_pictures_are_served_and_nothing_else(app: App, server: str) -> None:
    (app.catalog.root / "img" / "notes.txt").write_text("private")
    async with httpx.AsyncClient() as client:
        picture = await client.get(f"{server}/img/demo.png")
        assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")
        for name in ("notes.txt", "../hocvuso.toml", "missing.png"):
            assert (await client.get(f"{server}/img/{name}")).status_code == 404
