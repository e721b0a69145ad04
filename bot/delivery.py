"""The dispatcher: drains the outbox through each channel's ``send`` at the platform's pace.

One loop per channel claims due rows in batches and hands them to a few concurrent senders
behind the channel's send budget (bot/pacing.py: the overall rate, shared with replies and
with every other process on the database) and a gap per chat. ``retry_after`` pauses the
whole channel for exactly that long; a blocked chat is marked and never tried again;
timeouts and 5xx are retried with backoff, then marked failed. A chat's rows go out in the
order they were queued, whatever retries happen (the claim holds back a chat's later rows
while an earlier one is unfinished). Nothing is pushed in quiet hours. After a crash the
rows that were being sent (at most ``concurrency`` per channel) are sent again; every other
row is sent exactly once.
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
from bot.core.conversation import shown_of
from bot.core.engine import utcnow
from bot.core.messages import Choice, Reply
from bot.pacing import Budget, MemoryBudget
from bot.quiet import QuietHours
from bot.storage import Storage
from bot.storage.leader import WORKER_NAMESPACE, LeaderLock
from bot.storage.outbox import Delivery

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
DEFAULT_QUIET = QuietHours()
RECOVER_EVERY = 5.0  # seconds between looks for the rows of a dead process
# Pushes that go out in quiet hours too: a help conversation both people are writing in.
LIVE_KINDS = ("live",)


@dataclass(frozen=True)
class Pace:
    rate: float  # sends per second on this channel, all chats together
    chat_interval: float = 1.0  # seconds between two sends to the same chat
    concurrency: int = 8  # sends waiting on the platform at once (= rows in flight)


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


def pushed_step(content: dict[str, Any], language: str, reply: Reply) -> dict[str, Any] | None:
    """The step a delivered push with choices opens: what the person types next ("1" on
    Zalo) answers it. ``content["step"]`` gives the short text to keep with the choices
    when the message itself must not be kept (someone's words, relayed once)."""
    if not reply.choices:
        return None
    step = content.get("step")
    if isinstance(step, dict):
        return shown_of(Reply(step.get(language) or step["vi"], reply.choices))
    if content.get("once"):
        return None
    return shown_of(reply)


def backoff(attempts: int, base: float = 5.0) -> timedelta:
    """5 s, 10 s, 20 s … at most 10 minutes."""
    return timedelta(seconds=min(base * 2**attempts, 600))


class _Lane:
    """One channel's sending state: its budget, the gap per chat, and the rows claimed but
    not yet sent."""

    def __init__(self, name: str, channel: Channel, pace: Pace, budget: Budget):
        self.name = name
        self.channel = channel
        self.pace = pace
        self.budget = budget
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
        budgets: Mapping[str, Budget] | None = None,
    ):
        self.storage = storage
        self.channels = dict(channels)
        self.paces = {name: paces.get(name, Pace(rate=5.0)) for name in self.channels}
        # The budget a channel shares with its replies (and other processes); by default
        # one of the dispatcher's own, at the pace's rate.
        self.budgets = {
            name: (budgets or {}).get(name) or MemoryBudget(self.paces[name].rate)
            for name in self.channels
        }
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
        lane = _Lane(name, self.channels[name], self.paces[name], self.budgets[name])
        senders = [self._send_loop(lane) for _ in range(lane.pace.concurrency)]
        await asyncio.gather(*senders)

    async def _send_loop(self, lane: _Lane) -> None:
        while not self._stopping.is_set():
            try:
                row = await self._take(lane)
                if row is None:
                    continue
                await lane.chats.acquire(row.chat_id)
                await lane.budget.take()
                if self._stopping.is_set():
                    break  # a stop came during a wait: the row goes back, unsent
                await self._deliver(lane.channel, lane.budget, row)
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
            live = await self.storage.claim(
                channel=lane.name, now=now, limit=1, worker=self.worker, kinds=LIVE_KINDS
            )
            if live:
                await self._load_contents({live[0].push_id})
                return live[0]
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
                channel=lane.name,
                now=self.clock(),
                limit=self.batch,
                worker=self.worker,
                chat_gap=lane.pace.chat_interval,
            )
            await self._load_contents({row.push_id for row in rows})
            lane.rows.extend(rows)
        finally:
            lane.refill = None

    async def _load_contents(self, push_ids: set[int]) -> None:
        missing = [push_id for push_id in push_ids if push_id not in self._contents]
        if missing:
            self._contents.update(await self.storage.push_contents(missing))

    async def _deliver(self, channel: Channel, budget: Budget, row: Delivery) -> None:
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
        if content.get("once"):  # relayed words: not kept in memory (reloaded on a retry)
            self._contents.pop(row.push_id, None)
        if isinstance(result, Sent):
            await self.storage.mark_sent(row.id, now)
            step = pushed_step(content, row.language, reply)
            if step is not None:  # its choices are what the person answers now
                await self.storage.show_step(row.learner_id, step)
        elif isinstance(result, RetryAfter):
            await budget.pause(result.seconds)
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
