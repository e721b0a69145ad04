"""`hocvuso report`: the commune office's figures as text, CSV, Excel or a chart.

Everything that can be wrong with the request (format, output path) is refused before the
database is opened; a database that is not there is refused rather than created, because an
empty report from a new file in the wrong folder looks like lost data. This week's snapshot
is taken when the scheduler has not taken it yet (a bot stopped for a while, or run with
HOCVUSO_SCHEDULER=false), so the pace never lacks a week the report itself has seen.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli.common import check_output, database, pick, write_failed
from bot.config import ConfigError, Settings

EXTENSIONS = {".txt": "text", ".csv": "csv", ".xlsx": "xlsx", ".png": "png"}


def output_format(fmt: str | None, output: str | None) -> str:
    """The format asked for, or the one the output's extension names, or text.

    Writing a table into ``r.xlsx`` gives a file Excel cannot open: refuse a known
    extension that says otherwise."""
    suffix = Path(output).suffix.lower() if output else ""
    implied = EXTENSIONS.get(suffix)
    if fmt is None:
        if suffix and implied is None:
            known = ", ".join(EXTENSIONS)
            raise ConfigError(
                f"Cannot tell the format of {output} from {suffix!r}; name the file with "
                f"{known}, or give --format."
            )
        fmt = implied or "text"
    elif implied is not None and implied != fmt:
        raise ConfigError(
            f"--format {fmt} does not match {output}; use a {fmt} name or --format {implied}."
        )
    if fmt in ("xlsx", "png") and not output:
        raise ConfigError(f"--format {fmt} needs --output FILE.")
    return fmt


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    fmt = output_format(args.format, args.output)
    if getattr(args, "topic", "progress") == "help" and fmt not in ("text", "csv"):
        raise ConfigError("--topic help comes as text or csv.")
    output = check_output(Path(args.output)) if args.output else None
    if getattr(args, "topic", "progress") == "help":
        return asyncio.run(_help_report(settings, args, fmt, output))
    return asyncio.run(_report(settings, args, fmt, output))


async def _help_report(
    settings: Settings, args: argparse.Namespace, fmt: str, output: Path | None
) -> int:
    """Help from people and families per village (reads only, but audited like a report)."""
    from bot.cli.common import catalog
    from bot.community import build_community, to_csv, to_text
    from bot.core.engine import utcnow
    from bot.i18n import use_locale

    async with database(settings, areas=True, existing=True) as storage:
        commune_id, place = None, ""
        if args.commune:
            place = pick(await storage.commune_names(), args.commune, "commune", "--commune")
            commune_id = await storage.commune_id(place)
        with use_locale(args.lang):
            report = await build_community(storage, catalog(settings), commune_id=commune_id)
            text = to_csv(report) if fmt == "csv" else to_text(report)
        await storage.audit(
            actor="operator", action="report_exported",
            detail=f"help {fmt} {place or 'all communes'}", now=utcnow(),
        )  # fmt: skip
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise write_failed(output, exc) from None
    print(f"Report written to {output}.", file=sys.stderr)
    return 0


async def _report(
    settings: Settings, args: argparse.Namespace, fmt: str, output: Path | None
) -> int:
    from bot.cli.common import catalog
    from bot.core.engine import utcnow
    from bot.i18n import _, use_locale
    from bot.reports import build_report, core_lessons
    from scheduler.calendar import week_key

    async with database(settings, areas=True, existing=True) as storage:
        content = catalog(settings)
        commune_id, place = None, ""
        if args.commune:
            place = pick(await storage.commune_names(), args.commune, "commune", "--commune")
            commune_id = await storage.commune_id(place)
        now = utcnow()
        today = now.astimezone(settings.tz).date()
        await storage.take_snapshot(
            week=week_key(today), at=now, core_lessons=core_lessons(content)
        )
        with use_locale(args.lang):
            report = await build_report(
                storage,
                content,
                commune_id=commune_id,
                targets=settings.target_map,
                today=today,
                now=now,
                tz=settings.tz,
                title=_("Bình dân học vụ số: {place}").format(place=place or _("all")),
                place=place,
                include_console=args.include_console,
            )
            await asyncio.to_thread(_write, report, fmt, args.chart, output)
        scope = place or "all communes"
        console = " with console learners" if args.include_console else ""
        await storage.audit(
            actor="operator", action="report_exported", detail=f"{fmt} {scope}{console}", now=now
        )
    if output is not None:
        print(f"Report written to {output}.", file=sys.stderr)
    return 0


def _write(report: object, fmt: str, chart: str, output: Path | None) -> None:
    """In a worker thread (Excel and charts take a moment); the locale is the caller's, as
    asyncio.to_thread copies the context."""
    from bot.exports import write_csv, write_png, write_progress_png, write_xlsx
    from bot.reports import Report, to_csv, to_text

    assert isinstance(report, Report)
    if output is None:
        sys.stdout.write(to_csv(report) if fmt == "csv" else to_text(report))
        return
    try:
        if fmt == "xlsx":
            write_xlsx(report, output)
        elif fmt == "png":
            (write_progress_png if chart == "weeks" else write_png)(report, output)
        elif fmt == "csv":
            write_csv(report, output)
        else:
            output.write_text(to_text(report), encoding="utf-8")
    except OSError as exc:  # the disk filled up, the folder went away meanwhile
        raise write_failed(output, exc) from None
