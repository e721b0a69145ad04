"""The Zalo channel: long polling, numbered choices, replies split to Zalo's 2,000 characters.

Zalo has no buttons, so choices are rendered as numbered lines and read back from what the
user types. Zalo updates carry no update id; the message id is used to drop duplicates.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels import numbered
from bot.channels.base import Blocked, ChannelError, Failed, RetryAfter, SendResult, Sent
from bot.channels.ordering import PerKeyLocks, SharedOrder
from bot.channels.text import split
from bot.channels.zalo.client import RateLimited, Unauthorized, Unreachable, ZaloClient, ZaloError
from bot.channels.zalo.updates import ZaloMessage, addressed, parse
from bot.core.engine import Engine
from bot.core.messages import Inbound, Kind, Reply
from bot.i18n import _, pick_language, use_locale
from bot.pacing import Budget, Unlimited

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 2000
RATE_LIMIT_WAIT = 5.0  # Zalo publishes no retry-after; wait this long after a 429
MAX_BACKOFF = 30.0
REPLY_RETRIES = 3


class ZaloChannel:
    name = "zalo"

    def __init__(
        self,
        engine: Engine,
        client: ZaloClient,
        *,
        poll_timeout: int = 30,
        image_base_url: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        budget: Budget | None = None,
        order: SharedOrder | None = None,
    ):
        self.engine = engine
        self.client = client
        # Shared with the outbox's pushes (and other processes): bot/pacing.py.
        self.budget: Budget = budget or Unlimited()
        # Several processes behind one webhook: each user's updates in arrival order.
        self.order = order
        self.poll_timeout = poll_timeout
        self.image_base_url = image_base_url.rstrip("/") if image_base_url else None
        self.sleep = sleep
        self._inflight: dict[str, int] = {}  # updates per user accepted and not yet answered
        self.bot_names: list[str] = []
        self.account = ""
        self._locks = PerKeyLocks()
        self._tasks: set[asyncio.Task[None]] = set()
        self._poller: asyncio.Task[None] | None = None

    async def _connect(self, failure: str, setup: Callable[[], Awaitable[Any]]) -> Any:
        """getMe checks the token, then ``setup`` runs; any failure closes the client and says
        why in one sentence (never with the token). Returns what ``setup`` returned."""
        try:
            me = await self.client.get_me()
            result = await setup()
        except Unauthorized:
            await self.client.close()
            message = "Zalo rejected ZALO_BOT_TOKEN; check it in Zalo Bot Creator."
            raise ChannelError(message) from None
        except ZaloError as exc:
            await self.client.close()
            raise ChannelError(f"{failure}: {exc}") from None
        self.bot_names = [str(me.get(key) or "") for key in ("account_name", "display_name")]
        self.account = str(me.get("account_name"))
        return result

    async def start(self) -> None:
        """Check the token and that no webhook blocks polling, then poll."""
        webhook = await self._connect("Cannot reach the Zalo Bot API", self.client.get_webhook_info)
        if webhook.get("url"):
            await self.client.close()
            raise ChannelError(
                "A webhook is set for this Zalo bot, so polling cannot work; "
                "remove it in Zalo Bot Creator or run with a webhook."
            )
        self._poller = asyncio.create_task(self._poll(), name="zalo-poll")
        log.info("zalo: polling as %s", self.account)

    async def start_webhook(self, url: str, secret: str) -> None:
        """Check the token and register the webhook; Zalo then POSTs each update to it."""
        await self._connect(
            f"Zalo did not accept the webhook {url}", lambda: self.client.set_webhook(url, secret)
        )
        log.info("zalo: webhook set for %s", self.account)

    async def process(self, body: object) -> bool:
        """One update posted to the webhook, handled before the answer; False if unreadable."""
        message = parse(body)
        if message is None:
            return False
        if self.order is None:
            await self._serve(message, early=self._arrive(message.user_id))
            return True
        seq = message.date if message.date is not None else int(time.time() * 1000)
        async with self.order.turn(message.user_id, seq) as waited:
            early = self._arrive(message.user_id) or waited
            await self._serve(message, early=early)
        return True

    def _arrive(self, user_id: str) -> bool:
        """Count an update in; True when the previous one of this user is still being
        answered (so the person had not seen that answer when they wrote this)."""
        before = self._inflight.get(user_id, 0)
        self._inflight[user_id] = before + 1
        return before > 0

    def _leave(self, user_id: str) -> None:
        left = self._inflight.get(user_id, 1) - 1
        if left > 0:
            self._inflight[user_id] = left
        else:
            self._inflight.pop(user_id, None)

    async def stop(self) -> None:
        """Stop polling, let updates already received finish, close the connection."""
        if self._poller is not None:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.client.close()

    # -- inbound ------------------------------------------------------------------------

    async def _poll(self) -> None:
        backoff = 1.0
        while True:
            try:
                body = await self.client.get_update(self.poll_timeout)
            except Unauthorized:
                log.error("zalo: the token was rejected while polling; Zalo stops here")
                return
            except ZaloError as exc:
                wait = RATE_LIMIT_WAIT if isinstance(exc, RateLimited) else backoff
                log.warning("zalo: getUpdates failed (%s); retrying in %.0f s", exc, wait)
                await self.sleep(wait)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            if body is not None:
                self.accept(body)

    def accept(self, body: object) -> None:
        """Take one update (from polling or a webhook); handled in order per user."""
        message = parse(body)
        if message is None:
            log.info("zalo: ignored an update without a sender")
            return
        task = asyncio.create_task(self._serve(message, early=self._arrive(message.user_id)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve(self, message: ZaloMessage, *, early: bool = False) -> None:
        try:
            async with self._locks.hold(message.user_id):
                if message.in_group:
                    await self._serve_group(message)
                    return
                inbound = self.to_inbound(message, early=early)
                for reply in await self.engine.handle(inbound):
                    result = await self._reply(message.chat_id, reply)
                    if not isinstance(result, Sent):
                        log.warning("zalo: reply not delivered: %s", result)
                        break
        except Exception:
            log.exception("zalo: error while handling an update")
        finally:
            self._leave(message.user_id)

    async def _serve_group(self, message: ZaloMessage) -> None:
        """The lessons are personal: in a group, point to a private chat, store nothing."""
        if message.text is None or not addressed(message.text, self.bot_names):
            return
        with use_locale(pick_language(None)):
            text = _("Hello! To learn with me, send me a private message.")
        await self._reply(message.chat_id, Reply(text))

    def to_inbound(self, message: ZaloMessage, *, early: bool = False) -> Inbound:
        if message.text is None:
            kind, text, args = Kind.MEDIA, "", ""
        else:
            kind, text, args = numbered.read(message.text)
        update_id = f"{message.event}:{message.message_id}" if message.message_id else None
        return Inbound(
            channel=self.name,
            user_id=message.user_id,
            chat_id=message.chat_id,
            kind=kind,
            text=text,
            args=args,
            update_id=update_id,
            early=early,
            name=message.name,
        )

    # -- outbound -----------------------------------------------------------------------

    async def _reply(self, chat_id: str, reply: Reply) -> SendResult:
        """Replies go first in the channel's budget and wait out short rate limits, which
        pause every send of the channel; pushes go through the outbox instead."""
        result: SendResult = Failed("not sent")
        for _attempt in range(REPLY_RETRIES):
            await self.budget.take(reply=True)
            result = await self.send(chat_id, reply)
            if not isinstance(result, RetryAfter):
                break
            await self.budget.pause(result.seconds)
            await self.sleep(result.seconds)
        return result

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        if reply.document is not None:  # the Bot API sends no files
            with use_locale(reply.language):
                note = _(
                    "📎 {name}: Zalo cannot receive files. Ask for this file on Telegram, "
                    "or at the commune office."
                )
            reply = Reply(note.format(name=reply.document.name), language=reply.language)
        text = numbered.render(reply)
        try:
            if reply.image is not None and self.image_base_url:
                url = f"{self.image_base_url}/{reply.image.name}"
                await self.client.send_photo(chat_id, url)
            for piece in split(text, MESSAGE_LIMIT):
                await self.client.send_message(chat_id, piece)
        except RateLimited:
            return RetryAfter(RATE_LIMIT_WAIT)
        except Unreachable:
            return Blocked()
        except ZaloError as exc:
            return Failed(str(exc), retryable=exc.retryable)
        return Sent()
