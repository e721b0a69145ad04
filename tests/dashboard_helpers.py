"""The real web app for the dashboard tests: uvicorn on a free port of 127.0.0.1, the real
storage (a SQLite file, or PostgreSQL in that pass), links made the way staff get them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bot.app import App, web_app
from tests.conftest import Chat
from tests.test_roles import invite
from tests.web_server import serving

SECRET = "dashboard-test-secret-0123456789"
LINK = re.compile(r"https?://\S+/dashboard/login/[A-Za-z0-9_-]+")


@asynccontextmanager
async def running(app: App) -> AsyncIterator[str]:
    """The whole web server (webhooks, health, dashboard) as `hocvuso run` builds it; links
    made meanwhile point at it."""
    async with serving(web_app(app, secret=SECRET)) as base:
        if app.links is not None:  # None: the dashboard is off
            app.links.base_url = base
        yield base


async def staff_chat(app: App, user: str = "staff-1", village: int = 0) -> Chat:
    """A learner who became commune staff of Xã Tân Phú through an invite code."""
    chat = Chat(app.engine, user_id=user)
    await chat.onboard(village=village)
    await chat.command("ma", await invite(app, "staff"))
    return chat


async def head_chat(app: App, village: str, user: str = "head-1", index: int = 0) -> Chat:
    chat = Chat(app.engine, user_id=user)
    await chat.onboard(village=index)
    await chat.command("ma", await invite(app, "village_head", village=village))
    return chat


async def link_from_chat(chat: Chat) -> str:
    """What /baocao answers with: the one-time address, from the reply's text."""
    await chat.command("baocao")
    found = LINK.findall(chat.text())
    assert len(found) == 1, chat.text()
    return found[0]


def form_token(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


async def log_in(client: httpx.AsyncClient, link: str) -> httpx.Response:
    """Open the link as a browser without scripts would: the page, then its button."""
    page = await client.get(link)
    assert page.status_code == 200, page.text
    base = link.split("/dashboard/", 1)[0]
    return await client.post(f"{base}/dashboard/login", data={"token": form_token(page.text)})
