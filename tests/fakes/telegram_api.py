"""A local fake of the Telegram Bot API, served over real HTTP for python-telegram-bot.

It queues updates for getUpdates (long polling), records every call the bot makes, and can
be told to answer a method with an error (401, 403, 429 with retry_after, 500).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer

TOKEN = "123456789:TEST-token-for-the-fake-server-only-000"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "hocvuso test",
    "username": "hocvuso_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    ok: bool = True


class FakeTelegram(FakeServer):
    def __init__(self, token: str = TOKEN):
        super().__init__()
        self.token = token
        self.calls: list[Call] = []
        self.failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        # Decides per request whether to fail it: (method, params) -> (status, body) or None.
        self.responder: Any = None
        self.cap: float | None = None  # answer 429 when more than this many sends in 1 s
        self._recent: list[float] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._new_update = asyncio.Event()

    # -- server ---------------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle)

    async def stop(self) -> None:
        self._new_update.set()
        await super().stop()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, str):
                try:
                    params[key] = json.loads(value) if value[:1] in "[{" else value
                except json.JSONDecodeError:
                    params[key] = value
            else:
                params[key] = {"file": value.filename}
        params.update({key: value for key, value in request.query.items()})
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        queued = self.failures.get(method)
        failure = queued.pop(0) if queued else None
        if failure is None and self.responder is not None:
            failure = self.responder(method, params)
        if failure is None and self.cap is not None and method.startswith("send"):
            failure = self._over_cap()
        if method != "getUpdates":
            self.calls.append(Call(method, params, ok=failure is None))
            self.called()
        if failure is not None:
            status, body = failure
            return web.json_response({"ok": False, "error_code": status, **body}, status=status)
        result = await getattr(self, f"_m_{method}", self._m_default)(params)
        return web.json_response({"ok": True, "result": result})

    def _over_cap(self) -> tuple[int, dict[str, Any]] | None:
        now = time.monotonic()
        self._recent = [at for at in self._recent if now - at < 1.0]
        if self.cap is not None and len(self._recent) >= self.cap:
            return 429, {"description": "Too Many Requests", "parameters": {"retry_after": 1}}
        self._recent.append(now)
        return None

    # -- methods --------------------------------------------------------------------------

    async def _m_default(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_getMe(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    async def _m_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            timeout = min(float(params.get("timeout") or 0), 1.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        return self._updates[:100]

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "User"},
            "from": BOT_USER,
            **extra,
        }

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        return self._message(params, text=params.get("text", ""))

    async def _m_sendPhoto(self, params: dict[str, Any]) -> Any:
        photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 64, "height": 64}]
        return self._message(params, caption=params.get("caption", ""), photo=photo)

    # -- the scripted user's side ---------------------------------------------------------

    def fail(self, method: str, status: int, **body: Any) -> None:
        """Answer the next call of ``method`` with an error."""
        self.failures.setdefault(method, []).append((status, body))

    def push(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    def push_raw(self, update: dict[str, Any]) -> None:
        """Queue an update exactly as given (to replay an update id)."""
        self._updates.append(update)
        self._new_update.set()

    def sent_to(self, chat_id: int) -> list[Call]:
        return [
            call
            for call in self.calls
            if call.ok
            and call.method in {"sendMessage", "sendPhoto"}
            and int(call.params["chat_id"]) == chat_id
        ]


class TelegramUser:
    """A person in a private chat with the bot, driven by a test."""

    def __init__(
        self, api: FakeTelegram, user_id: int, language_code: str = "vi", first_name: str = "Bác"
    ):
        self.api = api
        self.id = user_id
        self.language_code = language_code
        self.first_name = first_name
        self.seen = 0

    def _from(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    def _chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": "Bác"}

    def message_update(self, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self.api._message_ids),
            "date": int(time.time()),
            "chat": self._chat(),
            "from": self._from(),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"message": message}

    def send(self, text: str) -> int:
        return self.api.push(self.message_update(text))

    def send_sticker(self) -> int:
        sticker = {
            "file_id": "s1",
            "file_unique_id": "su1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        message = {
            "message_id": next(self.api._message_ids),
            "date": int(time.time()),
            "chat": self._chat(),
            "from": self._from(),
            "sticker": sticker,
        }
        return self.api.push({"message": message})

    def send_contact(self, phone: str, owner: int | None = None) -> int:
        """Telegram's "share my phone number" button (``owner``: whose contact it is)."""
        contact = {
            "phone_number": phone,
            "first_name": self.first_name,
            "user_id": self.id if owner is None else owner,
        }
        message = {
            "message_id": next(self.api._message_ids),
            "date": int(time.time()),
            "chat": self._chat(),
            "from": self._from(),
            "contact": contact,
        }
        return self.api.push({"message": message})

    def send_photo(self, caption: str, file_id: str = "AgAD-photo-1") -> int:
        sizes = [
            {"file_id": f"{file_id}-small", "file_unique_id": "s", "width": 90, "height": 60},
            {"file_id": file_id, "file_unique_id": "b", "width": 1280, "height": 853},
        ]
        message = {
            "message_id": next(self.api._message_ids),
            "date": int(time.time()),
            "chat": self._chat(),
            "from": self._from(),
            "photo": sizes,
            "caption": caption,
        }
        return self.api.push({"message": message})

    def tap_update(self, data: str) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": str(next(self.api._message_ids)),
                "from": self._from(),
                "chat_instance": "ci",
                "data": data,
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": self._chat(),
                    "from": BOT_USER,
                    "text": "…",
                },
            }
        }

    def tap(self, data: str) -> int:
        return self.api.push(self.tap_update(data))

    def messages(self) -> list[Call]:
        return self.api.sent_to(self.id)

    async def replies(self, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait for ``count`` new messages from the bot and return them."""
        await self.api.wait_for(lambda: len(self.messages()) >= self.seen + count, timeout)
        new = self.messages()[self.seen : self.seen + count]
        self.seen += count
        return new

    def buttons(self, call: Call) -> list[tuple[str, str]]:
        markup = call.params.get("reply_markup") or {}
        return [
            (button["text"], button["callback_data"])
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]

    def texts(self) -> list[str]:
        return [str(c.params.get("text") or c.params.get("caption") or "") for c in self.messages()]
