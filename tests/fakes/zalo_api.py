"""A local fake of the Zalo Bot Platform API over real HTTP, as shared/zalo-bot-api.md §7 describes.

getUpdates hands out one queued update per call and answers 408 "Request timeout" when idle;
sends are recorded; failures (status, body, delay) can be queued per method.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer

TOKEN = "1459232241454765289:test-zalo-secret"
BOT = {
    "id": "1459232241454765289",
    "account_name": "bot.HocVuSo",
    "account_type": "BASIC",
    "can_join_groups": False,
}
METHODS = {
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendSticker",
    "sendChatAction",
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    ok: bool
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    status: int = 200
    body: Any = None  # a dict is sent as JSON, bytes as they are
    delay: float = 0.0


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


class FakeZalo(FakeServer):
    def __init__(self, token: str = TOKEN, poll_cap: float = 1.0):
        super().__init__()
        self.token = token
        self.poll_cap = poll_cap
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = {}
        self.webhook_url = ""
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._handle)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(await request.post())
        return params

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(_error(401, "Unauthorized"))
        method = request.match_info["method"]
        if method not in METHODS:
            return web.json_response(_error(400, "Bad request"))
        params = await self._params(request)
        queued = self.failures.get(method)
        failure = queued.pop(0) if queued else None
        if method != "getUpdates":
            self.calls.append(Call(method, params, ok=failure is None))
            self.called()
        if failure is not None:
            await asyncio.sleep(failure.delay)
            if isinstance(failure.body, bytes):
                return web.Response(status=failure.status, body=failure.body)
            return web.json_response(failure.body, status=failure.status)
        body = await getattr(self, f"_m_{method}")(params)
        return web.json_response(body)

    # -- methods --------------------------------------------------------------------------

    async def _m_getMe(self, params: dict[str, Any]) -> Any:
        return {"ok": True, "result": BOT}

    async def _m_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        return {"ok": True, "result": {"url": self.webhook_url, "updated_at": 1}}

    async def _m_setWebhook(self, params: dict[str, Any]) -> Any:
        secret = str(params.get("secret_token", ""))
        if not str(params.get("url", "")).startswith("https://") or not 8 <= len(secret) <= 256:
            return _error(400, "Bad request")
        self.webhook_url = params["url"]
        return {"ok": True, "result": {"url": self.webhook_url, "updated_at": 2}}

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook_url = ""
        return {"ok": True, "result": {"url": "", "updated_at": 3}}

    async def _m_getUpdates(self, params: dict[str, Any]) -> Any:
        if self.webhook_url:
            return _error(400, "Bad request")
        timeout = min(float(params.get("timeout") or 30), self.poll_cap)
        try:
            update = await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return _error(408, "Request timeout")
        return {"ok": True, "result": update, "error_code": 0}

    def _sent(self) -> dict[str, Any]:
        result = {"message_id": secrets.token_hex(10), "date": int(time.time() * 1000)}
        return {"ok": True, "result": result}

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        text = str(params.get("text", ""))
        if not params.get("chat_id") or not 1 <= len(text) <= 2000:
            return _error(400, "Bad request")
        return self._sent()

    async def _m_sendPhoto(self, params: dict[str, Any]) -> Any:
        if not params.get("chat_id") or not params.get("photo"):
            return _error(400, "Bad request")
        return self._sent()

    async def _m_sendSticker(self, params: dict[str, Any]) -> Any:
        return self._sent()

    async def _m_sendChatAction(self, params: dict[str, Any]) -> Any:
        return {"ok": True}

    # -- the test's side ------------------------------------------------------------------

    def fail(self, method: str, status: int = 200, body: Any = None, delay: float = 0.0) -> None:
        self.failures.setdefault(method, []).append(Failure(status, body, delay))

    def push(self, update: dict[str, Any]) -> None:
        self._queue.put_nowait(update)

    def texts_to(self, chat_id: str) -> list[str]:
        return [
            str(call.params["text"])
            for call in self.calls
            if call.ok and call.method == "sendMessage" and call.params.get("chat_id") == chat_id
        ]


class ZaloUser:
    """A person chatting with the bot on Zalo, driven by a test."""

    _ids = itertools.count(1)

    def __init__(self, api: FakeZalo, user_id: str, name: str = "Bác Ba"):
        self.api = api
        self.id = user_id
        self.name = name
        self.seen = 0

    def update(self, event: str, chat_type: str = "PRIVATE", **fields: Any) -> dict[str, Any]:
        chat_id = self.id if chat_type == "PRIVATE" else "group" + self.id
        message = {
            "from": {"id": self.id, "display_name": self.name, "is_bot": False},
            "chat": {"id": chat_id, "chat_type": chat_type},
            "message_id": f"{next(self._ids):020x}",
            "date": int(time.time() * 1000),
            **fields,
        }
        return {"event_name": event, "message": message}

    def say(self, text: str) -> dict[str, Any]:
        update = self.update("message.text.received", text=text)
        self.api.push(update)
        return update

    def send(self, event: str, **fields: Any) -> None:
        self.api.push(self.update(event, **fields))

    async def replies(self, count: int = 1, timeout: float = 10.0) -> list[str]:
        await self.api.wait_for(
            lambda: len(self.api.texts_to(self.id)) >= self.seen + count, timeout
        )
        new = self.api.texts_to(self.id)[self.seen : self.seen + count]
        self.seen += count
        return new
