"""APScheduler 3 wiring: cron triggers in Vietnam time that run the jobs, plus a catch-up
run at start for anything missed while the bot was down."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.storage.leader import LeaderLock
from scheduler.calendar import HELP_EVERY, NUDGE_AT, REMINDERS, SNAPSHOT_AT, WEEKDAYS, WeeklySlot
from scheduler.jobs import Jobs

log = logging.getLogger(__name__)


def triggers(slot: WeeklySlot, tz: ZoneInfo) -> dict[str, CronTrigger]:
    """Every moment something may become due, by job name."""
    found = {
        "weekly": CronTrigger(
            day_of_week=WEEKDAYS[slot.weekday], hour=slot.hour, minute=slot.minute, timezone=tz
        ),
        "nudge": CronTrigger(hour=NUDGE_AT.hour, minute=NUDGE_AT.minute, timezone=tz),
        # Every hour: the learners who chose their own weekday and hour for pushes.
        "own times": CronTrigger(minute=0, timezone=tz),
        "snapshot": CronTrigger(
            day_of_week="mon", hour=SNAPSHOT_AT.hour, minute=SNAPSHOT_AT.minute, timezone=tz
        ),
        # Help requests nobody took: to the commune staff, then back to the learner.
        "help": CronTrigger(minute=f"*/{HELP_EVERY}", timezone=tz),
    }
    for when, (day, at) in REMINDERS.items():
        found[f"10/10 {when}"] = CronTrigger(
            month=10, day=day, hour=at.hour, minute=at.minute, timezone=tz
        )
    return found


def next_runs(slot: WeeklySlot, tz: ZoneInfo, now: datetime) -> list[tuple[str, datetime]]:
    runs = []
    for name, trigger in triggers(slot, tz).items():
        at = trigger.get_next_fire_time(None, now)
        if at is not None:
            runs.append((name, at))
    return sorted(runs, key=lambda run: run[1])


class SchedulerRunner:
    def __init__(self, jobs: Jobs, *, tz: ZoneInfo, weekly_slot: WeeklySlot):
        self.jobs = jobs
        self.tz = tz
        self.weekly_slot = weekly_slot
        self.scheduler: AsyncIOScheduler | None = None
        self._catch_up: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.scheduler = AsyncIOScheduler(timezone=self.tz)
        for name, trigger in triggers(self.weekly_slot, self.tz).items():
            # Late firings still run (the job itself decides whether it is too late) and a
            # burst of missed firings runs once.
            self.scheduler.add_job(
                self._run, trigger, id=name, name=name, misfire_grace_time=None, coalesce=True
            )
        self.scheduler.start()
        self._catch_up = asyncio.create_task(self._run(), name="scheduler-catch-up")

    async def _run(self) -> None:
        try:
            created = await self.jobs.run_due()
        except Exception:
            log.exception("scheduler: a job failed; it runs again at its next time")
            return
        if created:
            log.info("scheduler: %d push(es) queued", len(created))

    async def stop(self) -> None:
        if self._catch_up is not None:
            await asyncio.gather(self._catch_up, return_exceptions=True)
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)


class Leadership:
    """Runs the scheduler only while this process holds the leader lock; checks every
    ``poll`` seconds, so a dead leader is replaced within about that long."""

    def __init__(self, lock: LeaderLock, runner: SchedulerRunner, *, poll: float = 5.0):
        self.lock = lock
        self.runner = runner
        self.poll = poll
        self.leading = False
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="scheduler-leadership")

    async def _loop(self) -> None:
        while True:
            try:
                if not self.leading and await self.lock.try_acquire():
                    self.leading = True
                    log.info("scheduler: this process runs the scheduler")
                    await self.runner.start()
                elif self.leading and not await self.lock.still_held():
                    self.leading = False
                    log.warning("scheduler: lost the leader lock; another process takes over")
                    await self.runner.stop()
            except Exception:
                log.exception("scheduler: leader check failed; trying again")
            await asyncio.sleep(self.poll)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self.leading:
            await self.runner.stop()
        await self.lock.release()
