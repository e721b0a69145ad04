"""`hocvuso schedule`, `hocvuso outbox`, `hocvuso event set|show`."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime

from bot.cli.common import catalog, database, pick
from bot.config import ConfigError, Settings
from bot.content.natural import natural_key
from bot.core.engine import utcnow
from scheduler.calendar import EVENT_DAY, EVENT_MONTH


def cmd_event_set(settings: Settings, args: argparse.Namespace) -> int:
    try:
        local = datetime.strptime(args.time, "%Y-%m-%d %H:%M").replace(tzinfo=settings.tz)
    except ValueError:
        raise ConfigError("--time must look like '2026-10-10 07:30' (local time).") from None
    if (local.month, local.day) != (EVENT_MONTH, EVENT_DAY):
        raise ConfigError("Ngày hội toàn dân học tập số is on 10 October; give a time that day.")
    if local <= utcnow():
        raise ConfigError(
            f"--time {args.time} is in the past; give this year's 10 October if it is still "
            "to come, or a later year's."
        )
    place = args.place.strip()
    if not 3 <= len(place) <= 200:
        raise ConfigError("--place must be 3 to 200 characters.")

    async def work() -> int:
        async with database(settings, areas=True) as storage:
            commune = pick(await storage.commune_names(), args.commune, "commune", "--commune")
            commune_id = await storage.commune_id(commune)
            assert commune_id is not None
            await storage.set_event(
                commune_id=commune_id, place=place, starts_at=local, now=utcnow()
            )
        print(f"{commune}: Ngày hội {local:%d/%m/%Y %H:%M} at {place}. Reminders will say so.")
        return 0

    return asyncio.run(work())


def cmd_event_show(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> int:
        async with database(settings, areas=True, existing=True) as storage:
            year = args.year or utcnow().astimezone(settings.tz).year
            found = sorted(await storage.events_for(year), key=lambda e: natural_key(e.commune))
        if not found:
            print(f"No 10/10 event set for {year}. Use: hocvuso event set --place … --time …")
        for event in found:
            local = event.starts_at.astimezone(settings.tz)
            print(f"{event.commune}: {local:%d/%m/%Y %H:%M}, {event.place}")
        return 0

    return asyncio.run(work())


def cmd_schedule(settings: Settings, args: argparse.Namespace) -> int:
    from scheduler.jobs import Jobs
    from scheduler.runner import next_runs

    async def work() -> int:
        async with database(settings, areas=True, existing=True) as storage:
            content = catalog(settings)
            now = utcnow().astimezone(settings.tz)
            jobs = Jobs(storage, content, tz=settings.tz, weekly_slot=settings.slot)
            runs = next_runs(settings.slot, settings.tz, now)
            event_year = next(at.year for name, at in runs if name.startswith("10/10"))
            events = sorted(
                await storage.events_for(event_year), key=lambda e: natural_key(e.commune)
            )
            waiting = [p for p in await storage.push_summaries() if not p.done]
        quiet = settings.quiet_hours
        print(f"Now: {now:%a %d/%m/%Y %H:%M} ({settings.timezone}); quiet hours {quiet}.")
        for name, at in runs:
            line = f"{at:%a %d/%m/%Y %H:%M}  {name}"
            if name == "weekly":
                message = jobs.weekly_content(at)
                if message:
                    line += f": {message['text']['vi'][:70]}…"
            elif name == "snapshot":
                line += ": each village's progress, for the reports' pace"
            elif name == "own times":
                line += ": learners who chose their own weekday and hour (every hour)"
            elif name.startswith("10/10"):
                line += ": " + (
                    ", ".join(f"{e.commune} ({e.place})" for e in events)
                    or "no event details set yet (hocvuso event set)"
                )
            print(line)
        for push in waiting:
            pending = sum(push.counts.get(s, 0) for s in ("pending", "claimed", "sending"))
            print(f"waiting to send: {push.key}: {pending} of {push.total}")
        return 0

    return asyncio.run(work())


def cmd_outbox(settings: Settings, args: argparse.Namespace) -> int:
    from bot.storage.outbox import STATUSES

    async def work() -> int:
        async with database(settings, existing=True) as storage:
            summaries = await storage.push_summaries(limit=args.limit)
        header = ("push", "kind", "created", "total", *STATUSES)
        rows = [
            (
                p.key + (" (cancelled)" if p.cancelled else ""),
                p.kind,
                f"{p.created_at.astimezone(settings.tz):%d/%m %H:%M}",
                str(p.total),
                *(str(p.counts.get(status, 0)) for status in STATUSES),
            )
            for p in summaries
        ]
        if not rows:
            print("The outbox is empty.")
            return 0
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        return 0

    return asyncio.run(work())
