"""One user's updates in order, different users concurrently: within a process (FIFO
locks) and across processes on one database (a row per update while it is handled)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass
class _Entry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class PerKeyLocks:
    """FIFO locks per key. An entry lives while anyone holds or waits for it, so a new
    update can never get a fresh lock while an older one for the same user still waits."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, _Entry] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        entry = self._entries.setdefault(key, _Entry())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]

    def busy(self, key: Hashable) -> bool:
        """Someone holds or waits for this key's lock right now."""
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)


class TurnStore(Protocol):
    async def start_turn(self, channel: str, user_id: str, seq: int, now: datetime) -> int: ...

    async def turns_before(self, channel: str, user_id: str, seq: int, since: datetime) -> int: ...

    async def end_turn(self, turn: int, now: datetime) -> None: ...

    async def live_processes(self) -> int: ...


class SharedOrder:
    """A user's updates handled in the platform's order, whichever process got them.

    Behind a load balancer two processes may each receive one of a user's updates within
    milliseconds, and a busy process may take longer to even read the earlier one. So an
    update is written down with its place in the platform's order (Telegram's update_id,
    Zalo's message date), waits ``SETTLE`` for an earlier one to be written down by another
    process, then is handled once the user's earlier ones are done. A process alone on the
    database (its last count, at most ``RECOUNT`` old) writes nothing down and waits for
    nothing: its own per-user locks keep the order. The waits are bounded: an update whose
    process died is waited for at most ``STALE``."""

    POLL = 0.02  # seconds between two looks at the line
    SETTLE = 0.25  # seconds an update gives the other processes to write down earlier ones
    STALE = timedelta(seconds=30)  # an update handled longer than this: its process died
    RECOUNT = 1.0  # seconds between two counts of the processes alive

    def __init__(
        self,
        store: TurnStore,
        channel: str,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.store = store
        self.channel = channel
        self.clock = clock
        self._alone = False  # until counted: the safe way
        self._counted_at: float | None = None
        self._counting: asyncio.Task[None] | None = None
        self._written: dict[str, int] = {}  # users with an update written down, here

    async def _count(self) -> None:
        try:
            self._alone = await self.store.live_processes() <= 1
        except Exception as exc:  # the database is away: keep the last count
            log.warning("%s: could not count the processes alive: %s", self.channel, exc)
        finally:
            self._counted_at = time.monotonic()

    async def _others_alive(self) -> bool:
        """The last count, refreshed in the background once it is ``RECOUNT`` old.

        An update never waits for a count of its own: one that did could be overtaken by
        the same user's next update, which found a fresh count. Only the first updates
        wait, all for the same first count, and go on in the order they came."""
        stale = self._counted_at is None or time.monotonic() - self._counted_at >= self.RECOUNT
        if self._counting is None or (self._counting.done() and stale):
            self._counting = asyncio.create_task(self._count())
        if self._counted_at is None:
            await asyncio.shield(self._counting)
        return not self._alone

    @asynccontextmanager
    async def turn(self, user_id: str, seq: int) -> AsyncIterator[bool]:
        """Hold the user's line while handling one update; yields True when an earlier
        update of theirs was still being answered (the person wrote before seeing it)."""
        others = await self._others_alive()
        if not others and not self._written.get(user_id):
            # Alone, and none of this user's updates is written down here: the process's
            # own per-user locks keep the order.
            yield False
            return
        self._written[user_id] = self._written.get(user_id, 0) + 1
        try:
            number = await self.store.start_turn(self.channel, user_id, seq, self.clock())
            waited = False
            deadline = time.monotonic() + self.STALE.total_seconds()
            try:
                await asyncio.sleep(self.SETTLE)
                while time.monotonic() < deadline and await self.store.turns_before(
                    self.channel, user_id, seq, self.clock() - self.STALE
                ):
                    waited = True
                    await asyncio.sleep(self.POLL)
                yield waited
            finally:
                await self.store.end_turn(number, self.clock())
        finally:
            left = self._written[user_id] - 1
            if left:
                self._written[user_id] = left
            else:
                del self._written[user_id]
