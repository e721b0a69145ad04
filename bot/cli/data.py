"""`hocvuso db upgrade`, `hocvuso report`, `hocvuso audit`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli.common import catalog, database, pick
from bot.config import Settings
from bot.core.engine import utcnow
from bot.exports import write_csv, write_png, write_xlsx
from bot.i18n import _, use_locale
from bot.reports import build_report, to_csv, to_text

FORMATS = ("text", "csv", "xlsx", "png")


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> int:
        async with database(settings) as storage:
            revision = await storage.current_revision()
        print(f"Database is at revision {revision}.")
        return 0

    return asyncio.run(work())


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    if args.format in ("xlsx", "png") and not args.output:
        print(f"hocvuso: --format {args.format} needs --output FILE.", file=sys.stderr)
        return 2

    async def work() -> int:
        content = catalog(settings)
        async with database(settings, areas=True) as storage:
            commune_id = None
            if args.commune:
                name = pick(await storage.commune_names(), args.commune, "commune", "--commune")
                commune_id = await storage.commune_id(name)
            year = utcnow().astimezone(settings.tz).year
            with use_locale(args.lang):
                title = _("Bình dân học vụ số: {place}").format(place=args.commune or _("all"))
                report = await build_report(
                    storage,
                    content,
                    commune_id=commune_id,
                    targets=settings.target_map,
                    year=year,
                    title=title,
                )
                output = Path(args.output) if args.output else None
                if args.format == "xlsx" and output:
                    await asyncio.to_thread(write_xlsx, report, output)
                elif args.format == "png" and output:
                    await asyncio.to_thread(write_png, report, output)
                elif args.format == "csv" and output:
                    write_csv(report, output)
                else:
                    text = to_csv(report) if args.format == "csv" else to_text(report)
                    if output:
                        output.write_text(text, encoding="utf-8")
                    else:
                        sys.stdout.write(text)
            await storage.audit(
                actor="operator",
                action="report_exported",
                detail=f"{args.format} {args.commune or 'all communes'}",
                now=utcnow(),
            )
        if args.output:
            print(f"Report written to {args.output}.", file=sys.stderr)
        return 0

    return asyncio.run(work())


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> int:
        async with database(settings) as storage:
            entries = await storage.audit_entries(limit=args.limit)
        if not entries:
            print("The audit log is empty.")
        for entry in reversed(entries):
            local = entry.at.astimezone(settings.tz)
            print(f"{local:%Y-%m-%d %H:%M}  {entry.actor:<14} {entry.action:<18} {entry.detail}")
        return 0

    return asyncio.run(work())


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="apply database migrations")
    upgrade.set_defaults(func=cmd_db_upgrade)
    report = sub.add_parser("report", help="learners and completions per village and lesson")
    report.add_argument("--format", choices=FORMATS, default="text")
    report.add_argument("--commune", help="one commune (default: all)")
    report.add_argument("--output", help="write to this file (needed for xlsx and png)")
    report.add_argument("--lang", choices=["vi", "en"], default="vi", help="report language")
    report.set_defaults(func=cmd_report)
    audit = sub.add_parser("audit", help="role changes, announcements, exports, deletions")
    audit.add_argument("--limit", type=int, default=100, help="newest entries shown (100)")
    audit.set_defaults(func=cmd_audit)
