"""The ``hocvuso`` command: run the bot, chat in the terminal, check lessons, report.

Every failure the operator can fix is printed as one sentence on stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.app import App, build_app, configured_channels, load_content, open_storage, serve
from bot.channels.console import ConsoleChannel
from bot.config import ConfigError, Settings, load_settings
from bot.content import ContentError, load_catalog
from bot.i18n import use_locale
from bot.reports import build_report, to_csv, to_text
from bot.resources import data_dir


def _logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


async def _with_app(settings: Settings, work: Callable[[App], Awaitable[int]]) -> int:
    app = await build_app(settings)
    try:
        return await work(app)
    finally:
        await app.close()


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    async def work(app: App) -> int:
        channels = configured_channels(app)
        if not channels:
            print("No bot token set: starting the console channel.", file=sys.stderr)
            await ConsoleChannel(app.engine).run()
            return 0
        await serve(app, channels)
        return 0

    has_token = settings.telegram_bot_token or settings.zalo_bot_token
    _logging(settings.log_level if has_token else "WARNING")
    return asyncio.run(_with_app(settings, work))


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    async def work(app: App) -> int:
        await ConsoleChannel(app.engine, user_id=args.user).run()
        return 0

    _logging("WARNING")
    return asyncio.run(_with_app(settings, work))


def cmd_lessons_check(settings: Settings, args: argparse.Namespace) -> int:
    root = Path(args.dir) if args.dir else (settings.lessons_dir or data_dir("lessons"))
    try:
        catalog = load_catalog(root)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found in {root}.", file=sys.stderr)
        return 1
    for lesson in catalog.lessons:
        print(
            f"{lesson.id} v{lesson.version}: {len(lesson.cards)} cards, "
            f"{len(lesson.quiz)} questions, pass mark {lesson.pass_mark}%, "
            f"{lesson.minutes} min, languages vi+en"
        )
    weekly = catalog.weekly
    print(
        f"{len(catalog.lessons)} lessons, {len(catalog.faq)} FAQ entries, "
        f"{len(weekly.messages)} weekly messages, {len(weekly.event)} 10/10 messages: all valid."
    )
    return 0


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> int:
        storage = await open_storage(settings)
        revision = await storage.current_revision()
        await storage.close()
        print(f"Database is at revision {revision}.")
        return 0

    return asyncio.run(work())


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> int:
        try:
            catalog = load_content(settings)
        except ContentError as exc:
            raise ConfigError(str(exc)) from None
        storage = await open_storage(settings)
        try:
            with use_locale(args.lang):
                report = await build_report(storage, catalog)
                text = to_csv(report) if args.format == "csv" else to_text(report)
        finally:
            await storage.close()
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
            print(f"Report written to {args.output}.", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0

    return asyncio.run(work())


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="hocvuso",
        description="Chat assistant for 'Bình dân học vụ số'. Settings come from the "
        "environment (see README).",
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="start every configured channel (console if no token)")
    run.set_defaults(func=cmd_run)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--user", default="local", help="console user id (default: local)")
    chat.set_defaults(func=cmd_chat)
    lessons = sub.add_parser("lessons", help="lesson content tools")
    lessons_sub = lessons.add_subparsers(dest="lessons_command", required=True, metavar="ACTION")
    check = lessons_sub.add_parser("check", help="validate every lesson file, FAQ and message")
    check.add_argument("--dir", help="lesson folder (default: the shipped lessons/)")
    check.set_defaults(func=cmd_lessons_check)
    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="apply database migrations")
    upgrade.set_defaults(func=cmd_db_upgrade)
    report = sub.add_parser("report", help="learners and completions per village and lesson")
    report.add_argument("--format", choices=["text", "csv"], default="text")
    report.add_argument("--output", help="write to this file instead of the terminal")
    report.add_argument("--lang", choices=["vi", "en"], default="vi", help="report language")
    report.set_defaults(func=cmd_report)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        return int(args.func(settings, args))
    except ConfigError as exc:
        print(f"hocvuso: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
