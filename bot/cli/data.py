"""`hocvuso db upgrade` and `hocvuso audit`."""

from __future__ import annotations

import argparse
import asyncio

from bot.cli.common import database
from bot.config import Settings


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    """Creates the database when there is none: the one command meant to."""

    async def work() -> int:
        async with database(settings) as storage:
            revision = await storage.current_revision()
        print(f"Database is at revision {revision}.")
        return 0

    return asyncio.run(work())


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> int:
        async with database(settings, existing=True) as storage:
            entries = await storage.audit_entries(limit=args.limit)
        if not entries:
            print("The audit log is empty.")
        for entry in reversed(entries):
            local = entry.at.astimezone(settings.tz)
            print(f"{local:%Y-%m-%d %H:%M}  {entry.actor:<14} {entry.action:<18} {entry.detail}")
        return 0

    return asyncio.run(work())
