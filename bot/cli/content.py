"""`hocvuso lessons check`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import Settings
from bot.content import ContentError, load_catalog
from bot.resources import data_dir


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
        core = ", core path" if lesson.core else ""
        print(
            f"{lesson.id} v{lesson.version}: {len(lesson.cards)} cards, "
            f"{len(lesson.quiz)} questions, pass mark {lesson.pass_mark}%, "
            f"{lesson.minutes} min{core}, languages vi+en"
        )
    weekly = catalog.weekly
    print(
        f"{len(catalog.lessons)} lessons, {len(catalog.faq)} FAQ entries, "
        f"{len(weekly.messages)} weekly messages, {len(weekly.event)} 10/10 messages: all valid."
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lessons = sub.add_parser("lessons", help="lesson content tools")
    lessons_sub = lessons.add_subparsers(dest="lessons_command", required=True, metavar="ACTION")
    check = lessons_sub.add_parser("check", help="validate every lesson file, FAQ and message")
    check.add_argument("--dir", help="lesson folder (default: the shipped lessons/)")
    check.set_defaults(func=cmd_lessons_check)
