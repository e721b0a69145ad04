"""What every channel offers delivery: ``send`` with one typed result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.core.messages import Reply


class ChannelError(Exception):
    """A channel cannot start; the message is one sentence for the operator, no secrets."""


@dataclass(frozen=True)
class Sent:
    pass


@dataclass(frozen=True)
class RetryAfter:
    seconds: float


@dataclass(frozen=True)
class Blocked:
    """The recipient blocked the bot or no longer exists: stop sending to them."""


@dataclass(frozen=True)
class Failed:
    """Not sent. ``retryable``: a timeout or server error that may pass; else permanent."""

    reason: str
    retryable: bool = True


SendResult = Sent | RetryAfter | Blocked | Failed


class Channel(Protocol):
    name: str

    async def start(self) -> None:
        """Connect and start receiving updates by long polling."""

    async def start_webhook(self, url: str, secret: str) -> None:
        """Connect and register ``url`` as the platform's webhook, with its secret."""

    async def stop(self) -> None: ...

    async def send(self, chat_id: str, reply: Reply) -> SendResult: ...
