"""An async client for the Zalo Bot Platform API (``{base}/bot<TOKEN>/<method>``).

The ``{ok, result, error_code, description}`` envelope is decided on the JSON body first
and the HTTP status second, because Zalo answers business errors with HTTP 200. Errors are
typed; none of them, and no log line, ever contains the token (it sits in the URL path).
See shared/zalo-bot-api.md for what is known of the API and what is not.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

log = logging.getLogger(__name__)

SEND_TIMEOUT = 10.0
POLL_GRACE = 20.0  # read timeout beyond the long-poll timeout


class ZaloError(Exception):
    """A call failed; ``retryable`` says whether trying again later may work."""

    retryable = True

    def __init__(self, method: str, description: str, code: int | None = None):
        self.method = method
        self.code = code
        super().__init__(f"Zalo {method} failed ({code or 'no code'}): {description}")


class Unauthorized(ZaloError):
    """The token is wrong or was reset in Zalo Bot Creator."""

    retryable = False


class RateLimited(ZaloError):
    """429 "Quota exceeded"; Zalo publishes no retry-after, so the caller picks a wait."""


class Unreachable(ZaloError):
    """404 on a send: the recipient is not found; do not send to them again."""

    retryable = False


class BadRequest(ZaloError):
    retryable = False


class Unavailable(ZaloError):
    """Network trouble, a timeout, a 5xx or a body that is not the documented JSON."""


def _error(method: str, code: int | None, description: str) -> ZaloError:
    if code == 401:
        return Unauthorized(method, description, code)
    if code == 429:
        return RateLimited(method, description, code)
    if code == 404 and method.startswith("send"):
        return Unreachable(method, description, code)
    if code in {400, 404}:
        return BadRequest(method, description, code)
    return Unavailable(method, description, code)


class ZaloClient:
    def __init__(
        self,
        token: str,
        *,
        base_url: str = "https://bot-api.zaloplatforms.com",
        transport: httpx.AsyncBaseTransport | None = None,
        poll_grace: float = POLL_GRACE,
    ):
        self._token = token
        self.poll_grace = poll_grace
        self._http = httpx.AsyncClient(
            base_url=f"{base_url.rstrip('/')}/bot{token}/",
            timeout=SEND_TIMEOUT,
            transport=transport,
            headers={"User-Agent": "hocvuso"},
        )

    async def close(self) -> None:
        await self._http.aclose()

    def _clean(self, text: str) -> str:
        return text.replace(self._token, "***")

    async def call(
        self, method: str, payload: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """POST JSON, return ``result`` (or True when there is none), raise a ZaloError."""
        try:
            response = await self._http.post(
                method, json=payload or {}, timeout=timeout if timeout is not None else SEND_TIMEOUT
            )
        except httpx.TimeoutException:
            raise Unavailable(method, "timed out") from None
        except httpx.HTTPError as exc:
            raise Unavailable(method, self._clean(f"{type(exc).__name__}: {exc}")) from None
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict) or "ok" not in body:
            if response.status_code == 401:
                raise Unauthorized(method, "Unauthorized", 401)
            raise Unavailable(
                method, f"unexpected HTTP {response.status_code} body", response.status_code
            )
        if body.get("ok") is True:
            return body.get("result", True)
        code = body.get("error_code")
        code = code if isinstance(code, int) else response.status_code
        description = str(body.get("description") or "no description")[:200]
        raise _error(method, code, self._clean(description))

    async def get_me(self) -> dict[str, Any]:
        return dict(await self.call("getMe"))

    async def get_update(self, timeout: int = 30) -> dict[str, Any] | None:
        """One update, or None when the long poll ends idle (Zalo answers 408 then)."""
        try:
            result = await self.call(
                "getUpdates", {"timeout": timeout}, timeout=timeout + POLL_GRACE
            )
        except Unavailable as exc:
            if exc.code in {408, 504}:
                return None
            raise
        return result if isinstance(result, dict) else None

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        return dict(await self.call("setWebhook", {"url": url, "secret_token": secret_token}))

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        return dict(await self.call("getWebhookInfo"))

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        return dict(await self.call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> dict[str, Any]:
        payload = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            payload["caption"] = caption
        return dict(await self.call("sendPhoto", payload))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})
