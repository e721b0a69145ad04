"""Telegram through python-telegram-bot: Update → Inbound, Reply → message + inline keyboard.

Long polling against ``TELEGRAM_API_BASE_URL`` (Telegram, a self-hosted Bot API server or a
test fake). One user's updates are handled in order while different users run concurrently.
PTB's exceptions never leave this module: ``send`` maps them to a SendResult.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Awaitable
from functools import partial
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ChatType
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    TypeHandler,
)

from bot.channels.base import Blocked, ChannelError, Failed, SendResult, Sent
from bot.channels.base import RetryAfter as Retry
from bot.channels.ordering import PerKeyLocks, SharedOrder
from bot.channels.text import command, split
from bot.core.engine import Engine
from bot.core.messages import Choice, Inbound, Kind, Reply
from bot.i18n import N_, _, pick_language, use_locale
from bot.pacing import Budget, Unlimited

# Opt in to PTB's future time periods (datetime.timedelta) now; the int form is deprecated
# since v22.2 and warns on every RetryAfter. Must be set before PTB builds its objects.
os.environ.setdefault("PTB_TIMEDELTA", "true")

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
REPLY_RETRIES = 3

# (Vietnamese name, English alias, what it does): shown in Telegram's command menu.
MENU_COMMANDS = (
    ("hoc", "lessons", N_("Lessons")),
    ("tiendo", "progress", N_("My progress")),
    ("ontap", "review", N_("Review what you learned")),
    ("caidat", "settings", N_("Settings: language, delete my data")),
    ("dung", "stop", N_("Stop weekly messages")),
    ("batdau", "resume", N_("Get weekly messages again")),
    ("trogiup", "help", N_("Help")),
    ("menu", "menu", N_("Main menu")),
)


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across users, strictly in order for each user (asyncio locks are FIFO).

    An update that arrives while the same user's previous one is still being answered is
    marked early: the person wrote it before seeing that answer."""

    def __init__(self, max_concurrent_updates: int = 256):
        super().__init__(max_concurrent_updates)
        self._locks = PerKeyLocks()
        self.early: set[int] = set()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _user_key(update)
        if isinstance(update, Update) and key and self._locks.busy(key):
            self.early.add(update.update_id)
        try:
            async with self._locks.hold(key):
                await coroutine
        finally:
            if isinstance(update, Update):
                self.early.discard(update.update_id)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def _user_key(update: object) -> int:
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return 0


def to_inbound(update: Update, *, early: bool = False) -> Inbound | None:
    """The core's view of an update; None for what we do not serve (groups, channels)."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or user.is_bot:
        return None
    if chat is not None and chat.type != ChatType.PRIVATE:
        return None
    inbound = partial(
        Inbound,
        channel="telegram",
        user_id=str(user.id),
        chat_id=str(chat.id if chat else user.id),
        language_code=user.language_code,
        update_id=str(update.update_id),
        early=early,
        name=user.full_name[:64],
    )
    if update.callback_query is not None:
        data = update.callback_query.data or ""
        return inbound(kind=Kind.CHOICE, text=data[:64])
    message = update.message
    if message is None:
        return None
    if message.text:
        parsed = command(message.text)
        if parsed is not None:
            return inbound(kind=Kind.COMMAND, text=parsed[0], args=parsed[1])
        forwarded = message.forward_origin is not None
        return inbound(kind=Kind.TEXT, text=message.text, forwarded=forwarded)
    contact = message.contact
    if contact is not None and contact.user_id == user.id:  # their own number, by the button
        return inbound(kind=Kind.CHOICE, text="contact", args=contact.phone_number[:20])
    if message.photo:  # the largest size; a village head may announce with a picture
        photo = message.photo[-1].file_id
        return inbound(kind=Kind.MEDIA, text=message.caption or "", photo=photo)
    return inbound(kind=Kind.MEDIA)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    """Inline buttons; a reply that asks for the person's phone number gets Telegram's
    contact button instead (a reply keyboard: its other buttons send their label, which
    the core reads as the typed choice)."""
    if not reply.choices:
        return None
    if any(c.contact for c in reply.choices):
        ordered = sorted(reply.choices, key=lambda c: not c.contact)
        buttons = [[KeyboardButton(c.label, request_contact=c.contact)] for c in ordered]
        return ReplyKeyboardMarkup(buttons, one_time_keyboard=True, resize_keyboard=True)
    rows = [
        [
            InlineKeyboardButton(c.label, url=c.url)
            if c.url
            else InlineKeyboardButton(c.label, callback_data=c.payload)
        ]
        for c in reply.choices
    ]
    return InlineKeyboardMarkup(rows)


def addressed_command(update: Update, username: str | None) -> bool:
    """A command in a group meant for this bot: "/start@thisbot", or "/start" with no name."""
    message = update.message
    if message is None or not message.text:
        return False
    parsed = command(message.text)
    if parsed is None:
        return False
    head = message.text[1:].split(" ", 1)[0]
    target = head.partition("@")[2]
    return not target or (username is not None and target.lower() == username.lower())


def _seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class TelegramChannel:
    name = "telegram"

    def __init__(
        self,
        engine: Engine,
        *,
        token: str,
        base_url: str,
        poll_timeout: int = 20,
        budget: Budget | None = None,
        order: SharedOrder | None = None,
    ):
        self.engine = engine
        self.poll_timeout = poll_timeout
        # Shared with the outbox's pushes (and other processes): bot/pacing.py.
        self.budget: Budget = budget or Unlimited()
        # Several processes behind one webhook: each user's updates in arrival order.
        self.order = order
        self._token = token
        self._base_url = base_url
        self.application: Application = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{base_url}/bot")
            .base_file_url(f"{base_url}/file/bot")
            .concurrent_updates(PerUserUpdateProcessor())
            # httpcore scans every pooled connection per request; replies and pushes never
            # need 256 at once (PTB's default), and a smaller pool is cheaper per send.
            .connection_pool_size(32)
            .build()
        )
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)

    @property
    def username(self) -> str | None:
        """The bot's @name once connected, for deep links (t.me/<name>?start=...)."""
        try:
            return self.application.bot.username
        except RuntimeError:  # not initialized yet
            return None

    async def start(self) -> None:
        """Connect (getMe checks the token), register commands, start long polling."""
        try:
            await self._connect()
        except InvalidToken:
            raise ChannelError(
                "Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather."
            ) from None
        except TelegramError as exc:
            reason = str(exc).replace(self._token, "***")
            raise ChannelError(
                f"Cannot reach the Telegram Bot API at {self._base_url}: {reason}"
            ) from None
        await self.application.start()
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            poll_interval=0.0, timeout=self.poll_timeout, allowed_updates=Update.ALL_TYPES
        )
        log.info("telegram: polling as @%s", self.application.bot.username)

    async def _connect(self) -> None:
        try:
            await self.application.initialize()
            await self.register_commands()
        except TelegramError:
            await self.application.bot.request.shutdown()  # close what getMe opened
            raise

    async def start_webhook(self, url: str, secret: str) -> None:
        """Receive updates by webhook instead of polling: register the URL with its secret."""
        try:
            await self._connect()
            await self.application.start()
            await self.application.bot.set_webhook(
                url, secret_token=secret, allowed_updates=Update.ALL_TYPES
            )
        except InvalidToken:
            message = "Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather."
            raise ChannelError(message) from None
        except TelegramError as exc:
            reason = str(exc).replace(self._token, "***")
            raise ChannelError(f"Telegram did not accept the webhook {url}: {reason}") from None
        log.info("telegram: webhook set for @%s", self.application.bot.username)

    async def process(self, data: object) -> bool:
        """One update posted to the webhook, handled in order for its user; False if unreadable."""
        if not isinstance(data, dict):
            return False
        try:
            update = Update.de_json(data, self.application.bot)
        except (KeyError, TypeError, ValueError):
            return False
        if update is None:
            return False
        processor = self.application.update_processor
        key = _user_key(update)
        if self.order is None or not key:
            await processor.process_update(update, self.application.process_update(update))
            return True
        async with self.order.turn(str(key), update.update_id) as waited:
            if waited and isinstance(processor, PerUserUpdateProcessor):
                processor.early.add(update.update_id)
            await processor.process_update(update, self.application.process_update(update))
        return True

    async def stop(self) -> None:
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def register_commands(self) -> None:
        """Vietnamese names by default, English aliases for English-speaking apps."""
        bot = self.application.bot
        for lang, column in (("vi", 0), ("en", 1)):
            with use_locale(lang):
                commands = [BotCommand(entry[column], _(entry[2])) for entry in MENU_COMMANDS]
            await bot.set_my_commands(
                commands,
                scope=BotCommandScopeDefault(),
                language_code=None if lang == "vi" else lang,
            )

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        processor = self.application.update_processor
        early = isinstance(processor, PerUserUpdateProcessor) and (
            update.update_id in processor.early
        )
        chat = update.effective_chat
        if chat is not None and chat.type != ChatType.PRIVATE:
            await self._serve_group(update)
            return
        inbound = to_inbound(update, early=early)
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()
            except TelegramError as exc:  # an old query; the reply still goes out
                log.debug("telegram: answerCallbackQuery failed: %s", exc)
        if inbound is None:
            return
        for reply in await self.engine.handle(inbound):
            result = await self._reply(inbound.chat_id, reply)
            if not isinstance(result, Sent):
                log.warning("telegram: reply not delivered: %s", result)
                break

    async def _serve_group(self, update: Update) -> None:
        """The lessons are personal: a command in a group gets one short invitation to a
        private chat (a link that opens it); nothing is stored."""
        username = self.application.bot.username
        if not addressed_command(update, username) or update.effective_chat is None:
            return
        user = update.effective_user
        with use_locale(pick_language(user.language_code if user else None)):
            text = _("Hello! To learn with me, send me a private message.")
            choice = Choice(_("💬 Chat with me"), "", url=f"https://t.me/{username}")
        reply = Reply(text, (choice,))
        result = await self._reply(str(update.effective_chat.id), reply)
        if not isinstance(result, Sent):
            log.warning("telegram: group reply not delivered: %s", result)

    async def _reply(self, chat_id: str, reply: Reply) -> SendResult:
        """Replies to a user go first in the channel's budget and are retried through short
        flood waits, which pause every send of the channel; pushes use the outbox."""
        for _attempt in range(REPLY_RETRIES):
            await self.budget.take(reply=True)
            result = await self.send(chat_id, reply)
            if isinstance(result, Retry):
                await self.budget.pause(result.seconds)
            if not isinstance(result, Retry) or result.seconds > 30:
                return result
            await asyncio.sleep(result.seconds)
        return result

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        bot = self.application.bot
        markup = keyboard(reply)
        try:
            if reply.document is not None:
                with reply.document.open("rb") as document:
                    await bot.send_document(chat_id, document, filename=reply.document.name)
                return Sent()
            if reply.photo is not None:
                caption = reply.text if len(reply.text) <= CAPTION_LIMIT else None
                await bot.send_photo(chat_id, reply.photo, caption=caption, reply_markup=markup)
                if caption is not None:
                    return Sent()
                markup = None  # the buttons went with the picture; the long text follows
            if reply.image is not None and len(reply.text) <= CAPTION_LIMIT:
                with reply.image.open("rb") as photo:
                    await bot.send_photo(chat_id, photo, caption=reply.text, reply_markup=markup)
                return Sent()
            pieces = split(reply.text, MESSAGE_LIMIT)
            for number, piece in enumerate(pieces, start=1):
                last = number == len(pieces)
                await bot.send_message(chat_id, piece, reply_markup=markup if last else None)
            return Sent()
        except RetryAfter as exc:
            return Retry(_seconds(exc))
        except Forbidden:
            return Blocked()
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                return Blocked()
            return Failed(f"bad request: {exc}", retryable=False)
        except NetworkError as exc:
            return Failed(f"network: {exc}")
        except TelegramError as exc:
            return Failed(str(exc))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram: error while handling an update: %r", context.error)
