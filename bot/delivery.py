"""The dispatcher: drains the outbox through each channel's ``send`` at the platform's pace.

One loop per channel claims due rows in batches and hands them to a few concurrent senders
behind a shared pacer (the channel's overall rate, plus a gap per chat). ``retry_after``
pauses the whole channel for exactly that long; a blocked chat is marked and never tried
again; timeouts and 5xx are retried with backoff, then marked failed. Nothing is pushed in
quiet hours. After a crash the rows that were being sent (at most ``concurrency`` per
channel) are sent again; every other row is sent exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.channels.base import Blocked, Channel, Failed, RetryAfter, Sent
from bot.core.conversation import step_of
from bot.core.engine import utcnow
from bot.core.messages import Choice, Reply
from bot.quiet import QuietHours
from bot.storage import Storage
from bot.storage.leader import WORKER_NAMESPACE, LeaderLock
from bot.storage.outbox import Delivery

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
DEFAULT_QUIET = QuietHours()
RECOVER_EVERY = 5.0  # seconds between looks for the rows of a dead process


@dataclass(frozen=True)
class Pace:
    rate: float  # sends per second on this channel, all chats together
    chat_interval: float = 1.0  # seconds between two sends to the same chat
    concurrency: int = 8  # sends waiting on the platform at once (= rows in flight)


# Slots are spaced for a little under the configured rate: sends leave on time but arrive
# with network and event-loop jitter, and a platform counting any one-second window would
# otherwise see the rate exceeded now and then, and answer with a flood wait.
HEADROOM = 0.97


class Pacer:
    """Hands out send slots about ``1/rate`` apart; a pause holds every slot until it ends."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ):
        self.interval = 1.0 / (rate * HEADROOM)
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._paused_until = 0.0

    async def acquire(self) -> None:
        while True:
            now = self.clock()
            slot = max(now, self._next, self._paused_until)
            self._next = slot + self.interval
            if slot > now:
                await self.sleep(slot - now)
            if self.clock() >= self._paused_until:
                return  # no flood wait began while this slot was waiting

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self.clock() + seconds)


class ChatPacer:
    """At most one send per chat every ``interval`` seconds."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ):
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}

    async def acquire(self, chat_id: str) -> None:
        now = self.clock()
        slot = max(now, self._next.get(chat_id, 0.0))
        self._next[chat_id] = slot + self.interval
        if len(self._next) > 50_000:
            self._next = {chat: at for chat, at in self._next.items() if at > now}
        if slot > now:
            await self.sleep(slot - now)


def reply_for(content: dict[str, Any], language: str, channel: str = "") -> Reply:
    """A push's content in one learner's language (Vietnamese when theirs is missing); a
    picture only where this channel can show the platform reference it was sent with."""

    def pick(texts: dict[str, str]) -> str:
        return texts.get(language) or texts["vi"]

    choices = tuple(Choice(pick(c["label"]), c["payload"]) for c in content.get("choices", []))
    photo = content.get("photo", {}).get(channel)
    return Reply(pick(content["text"]), choices, language=language, photo=photo)


def backoff(attempts: int, base: float = 5.0) -> timedelta:
    """5 s, 10 s, 20 s … at most 10 minutes."""
    return timedelta(seconds=min(base * 2**attempts, 600))


class _Lane:
    """One channel's sending state: its pacers and the rows claimed but not yet sent."""

    def __init__(self, name: str, channel: Channel, pace: Pace):
        self.name = name
        self.channel = channel
        self.pace = pace
        self.pacer = Pacer(pace.rate)
        self.chats = ChatPacer(pace.chat_interval)
        self.rows: deque[Delivery] = deque()
        self.refill: asyncio.Task[None] | None = None


class Dispatcher:
    def __init__(
        self,
        storage: Storage,
        channels: Mapping[str, Channel],
        paces: Mapping[str, Pace],
        *,
        tz: ZoneInfo,
        quiet: QuietHours = DEFAULT_QUIET,
        clock: Callable[[], datetime] = utcnow,
        batch: int = 100,
        max_attempts: int = 5,
        retry_base: float = 5.0,
        idle_poll: float = 1.0,
        worker: str | None = None,
        shared: bool = False,
    ):
        self.storage = storage
        self.channels = dict(channels)
        self.paces = {name: paces.get(name, Pace(rate=5.0)) for name in self.channels}
        self.tz = tz
        self.quiet = quiet
        self.clock = clock
        self.batch = batch
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.idle_poll = idle_poll
        # Several processes on one database: each dispatcher holds a lock that says it is
        # alive, so the others can tell its unfinished rows from a dead one's.
        self.shared = shared
        self.worker_no = random.randrange(1, 2**31)
        self.worker = worker or f"w{self.worker_no}"
        self._alive = LeaderLock(storage.runner, (WORKER_NAMESPACE, self.worker_no))
        self._wake = {name: asyncio.Event() for name in self.channels}
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._contents: dict[int, dict[str, Any]] = {}

    async def start(self, *, recover: bool = True) -> None:
        if self.shared:
            await self._alive.try_acquire()
            self._tasks.append(asyncio.create_task(self._recover_loop(), name="deliver-recover"))
        elif recover:
            self._log_recovered(*await self.storage.recover(self.clock()))
        for name in self.channels:
            self._tasks.append(asyncio.create_task(self._drain(name), name=f"deliver-{name}"))

    @staticmethod
    def _log_recovered(claimed: int, sending: int) -> None:
        if claimed or sending:
            log.warning(
                "delivery: resumed after a stop: %d rows queued again, %d were being sent "
                "and are sent again",
                claimed,
                sending,
            )

    async def recover_dead(self) -> None:
        """Take over the unfinished rows of dispatchers whose process is gone."""
        for worker in await self.storage.claiming_workers():
            number = worker.removeprefix("w")
            if worker == self.worker or not number.isdigit():
                continue
            probe = LeaderLock(self.storage.runner, (WORKER_NAMESPACE, int(number)))
            if await probe.try_acquire():  # nobody holds it: that process has died
                try:
                    self._log_recovered(*await self.storage.recover_worker(worker, self.clock()))
                finally:
                    await probe.release()

    async def _recover_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.recover_dead()
            except Exception:
                log.exception("delivery: taking over a dead process's rows failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), RECOVER_EVERY)

    async def stop(self) -> None:
        """Finish the sends under way, give back unsent claimed rows."""
        self._stopping.set()
        self.wake()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.storage.release_claims(self.worker, self.clock())
        await self._alive.release()

    def wake(self) -> None:
        """Something was queued: look now instead of at the next poll."""
        for event in self._wake.values():
            event.set()

    async def _idle(self, name: str, seconds: float) -> None:
        event = self._wake[name]
        event.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout=max(seconds, 0.01))

    async def _drain(self, name: str) -> None:
        """``concurrency`` senders share one lane; the lane claims the next batch while the
        current one is still being sent, so the pace never stalls at a batch boundary."""
        lane = _Lane(name, self.channels[name], self.paces[name])
        senders = [self._send_loop(lane) for _ in range(lane.pace.concurrency)]
        await asyncio.gather(*senders)

    async def _send_loop(self, lane: _Lane) -> None:
        while not self._stopping.is_set():
            try:
                row = await self._take(lane)
                if row is None:
                    continue
                await lane.pacer.acquire()
                await lane.chats.acquire(row.chat_id)
                if self._stopping.is_set():
                    break  # a stop came during a wait: the row goes back, unsent
                await self._deliver(lane.channel, lane.pacer, row)
            except Exception:
                log.exception("delivery: %s sender failed; going on", lane.name)
                await self._idle(lane.name, self.idle_poll)

    async def _take(self, lane: _Lane) -> Delivery | None:
        """The next row to send, or None after waiting (nothing due, or quiet hours)."""
        now = self.clock()
        until = self.quiet.until(now, self.tz)
        if until is not None:
            if lane.rows:  # claimed before the quiet hours began: give them back
                lane.rows.clear()
                await self.storage.release_claims(self.worker, now)
            await self._idle(lane.name, min((until - now).total_seconds(), 60.0))
            return None
        if len(lane.rows) <= self.batch // 2 and lane.refill is None:
            lane.refill = asyncio.create_task(self._refill(lane))
        if not lane.rows and lane.refill is not None:
            await asyncio.shield(lane.refill)
        if lane.rows:
            return lane.rows.popleft()
        await self._idle(lane.name, self.idle_poll)
        return None

    async def _refill(self, lane: _Lane) -> None:
        try:
            rows = await self.storage.claim(
                channel=lane.name, now=self.clock(), limit=self.batch, worker=self.worker
            )
            await self._load_contents({row.push_id for row in rows})
            lane.rows.extend(rows)
        finally:
            lane.refill = None

    async def _load_contents(self, push_ids: set[int]) -> None:
        missing = [push_id for push_id in push_ids if push_id not in self._contents]
        if missing:
            self._contents.update(await self.storage.push_contents(missing))

    async def _deliver(self, channel: Channel, pacer: Pacer, row: Delivery) -> None:
        content = self._contents[row.push_id]
        if not await self.storage.mark_sending(row.id, self.clock()):
            return  # the push was cancelled after this row was claimed
        try:
            reply = reply_for(content, row.language, channel.name)
            result = await channel.send(row.chat_id, reply)
        except Exception as exc:  # a channel must not take the dispatcher down
            log.exception("delivery: %s send raised", channel.name)
            result = Failed(f"{type(exc).__name__}: {exc}")
        now = self.clock()
        if isinstance(result, Sent):
            await self.storage.mark_sent(row.id, now)
            if content.get("choices"):  # what the learner types next answers this push
                shown = step_of(reply_for(content, row.language, channel.name))
                await self.storage.show_pushed_step(row.learner_id, shown)
        elif isinstance(result, RetryAfter):
            pacer.pause(result.seconds)
            at = now + timedelta(seconds=result.seconds)
            await self.storage.retry_later(
                row.id, at=at, now=now, error="retry after", count_attempt=False
            )
        elif isinstance(result, Blocked):
            await self.storage.mark_unreachable(row.id, row.learner_id, now)
        elif result.retryable and row.attempts + 1 < self.max_attempts:
            at = now + backoff(row.attempts, self.retry_base)
            await self.storage.retry_later(
                row.id, at=at, now=now, error=result.reason, count_attempt=True
            )
        else:
            await self.storage.mark_failed(row.id, now, result.reason)
