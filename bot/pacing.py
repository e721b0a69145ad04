"""One send budget per channel: the rate, the priority of replies and any flood wait.

Telegram and Zalo count sends per bot token, not per process. So the budget is one record
per channel: the time of the next free slot and the end of any flood wait. With one
process (SQLite) the record lives in memory; with several on PostgreSQL it is a row that
every process reserves its slots from, on the database's clock. Both run the same rule,
:func:`reserve`.

Replies to someone who just wrote go first: a push may only reserve a slot that is at
most ``PUSH_LOOKAHEAD`` ahead, so the queue of reserved slots stays short and a reply
never waits behind more than that. A 429 on any send, reply or push, pauses every send of
the channel, in every process, for exactly the time asked.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.storage import Storage

Sleep = Callable[[float], Awaitable[None]]

# Slots are spaced for a little under the configured rate: sends leave on time but arrive
# with jitter, and a platform counting any one-second window would otherwise see the rate
# exceeded now and then, and answer with a flood wait that costs far more. One process
# sends within a few milliseconds of its slot; several processes on one database add a
# round trip to it before each send and their own event loops (measured up to about
# 150 ms on a busy 2-core machine), so they leave more room.
HEADROOM = 0.97
SHARED_HEADROOM = 0.9
PUSH_LOOKAHEAD = 0.25  # seconds of reserved slots pushes may queue up ahead of replies


@dataclass
class Slots:
    """The budget's state: the earliest next slot and the end of the flood wait."""

    next_at: float = 0.0
    paused_until: float = 0.0


def reserve(
    slots: Slots, now: float, interval: float, *, reply: bool, lookahead: float = PUSH_LOOKAHEAD
) -> tuple[bool, float]:
    """Reserve the next slot: (True, seconds to wait until it), or for a push when the
    queue is full, (False, seconds after which to ask again)."""
    start = max(now, slots.next_at, slots.paused_until)
    if not reply and start - now > lookahead:
        return False, start - now - lookahead
    slots.next_at = start + interval
    return True, start - now


class Budget(Protocol):
    """What a sender asks of a channel's budget."""

    async def take(self, *, reply: bool = False) -> None:
        """Wait for a slot; a reply goes before pushes."""

    async def pause(self, seconds: float) -> None:
        """A flood wait: no send of this channel anywhere for ``seconds``."""


class _Budget:
    """The waiting and re-checking both kinds of budget share; subclasses keep the state."""

    def __init__(self, rate: float, *, sleep: Sleep = asyncio.sleep, headroom: float = HEADROOM):
        self.interval = 1.0 / (rate * headroom)
        # How late a slot may still be used. Slots spaced for ``headroom`` of the rate leave
        # (1 - 1/rate) / headroom - 1 of a second to spare in any one-second window; half of
        # that may go to a busy loop's lateness, the other half stays for the jitter on the
        # way. Later than that (or than one interval, at low rates), the slot is given up:
        # sent now, it would bunch with the next. At 500/s, giving up every slot later than
        # one interval (2 ms) cost 3.5% of the rate (bench/broadcast.py: 0.93 instead of 0.966).
        spare = (1.0 - 1.0 / rate) / headroom - 1.0
        self.late = max(self.interval, spare / 2)
        self.sleep = sleep

    async def _reserve(self, reply: bool) -> tuple[bool, float]:
        raise NotImplementedError

    async def _paused_for(self) -> float:
        raise NotImplementedError

    def _now(self) -> float:
        return time.monotonic()

    async def take(self, *, reply: bool = False) -> None:
        while True:
            granted, wait = await self._reserve(reply)
            due = self._now() + wait
            if wait > 0:
                await self.sleep(wait)
            if not granted:
                continue
            if wait > 0 and await self._paused_for() > 0:
                continue  # a flood wait began while this slot was waiting
            if self._now() - due > self.late:
                continue  # too late (a busy process): see ``late``
            return


class MemoryBudget(_Budget):
    """The budget of a channel served by one process."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ):
        super().__init__(rate, sleep=sleep)
        self.clock = clock
        self.slots = Slots()

    def _now(self) -> float:
        return self.clock()

    async def _reserve(self, reply: bool) -> tuple[bool, float]:
        return reserve(self.slots, self.clock(), self.interval, reply=reply)

    async def _paused_for(self) -> float:
        return self.slots.paused_until - self.clock()

    async def pause(self, seconds: float) -> None:
        self.slots.paused_until = max(self.slots.paused_until, self.clock() + seconds)


class SharedBudget(_Budget):
    """The budget of a channel served by several processes: a row in the database."""

    def __init__(
        self, storage: Storage, channel: str, rate: float, *, sleep: Sleep = asyncio.sleep
    ):
        super().__init__(rate, sleep=sleep, headroom=SHARED_HEADROOM)
        self.storage = storage
        self.channel = channel

    async def _reserve(self, reply: bool) -> tuple[bool, float]:
        return await self.storage.reserve_slot(self.channel, self.interval, reply)

    async def _paused_for(self) -> float:
        return await self.storage.paused_for(self.channel)

    async def pause(self, seconds: float) -> None:
        await self.storage.pause_channel(self.channel, seconds)


class Unlimited:
    """No budget: for a channel whose sends nobody counts (the console, some tests)."""

    async def take(self, *, reply: bool = False) -> None:
        return None

    async def pause(self, seconds: float) -> None:
        return None


def budget_for(storage: Storage, channel: str, rate: float) -> Budget:
    """Shared through the database when several processes may send (PostgreSQL)."""
    if storage.postgres:
        return SharedBudget(storage, channel, rate)
    return MemoryBudget(rate)
