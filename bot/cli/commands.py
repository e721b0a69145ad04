"""Every command and its arguments, with the function that runs it named, not imported.

Only argparse is loaded here, so `hocvuso --help` and argument errors answer at once; the
command's own module (and what it needs: the database, matplotlib, the chat libraries) is
imported when that command runs.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

# The roles an invite can grant: bot.core.roles.ROLES (a test keeps the two the same).
ROLE_CHOICES = ("village_head", "staff", "helper")
FORMATS = ("text", "csv", "xlsx", "png")
CHARTS = ("villages", "weeks")
TOPICS = ("progress", "help")


class Parser(argparse.ArgumentParser):
    """argparse whose errors are one line (no usage block), like every other CLI error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}; see '{self.prog} --help'.\n")


def _command(
    sub: argparse._SubParsersAction,
    name: str,
    target: str,
    help_text: str,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=target)
    return parser


def _group(
    sub: argparse._SubParsersAction,
    name: str,
    help_text: str,
) -> argparse._SubParsersAction:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    actions: argparse._SubParsersAction = parser.add_subparsers(
        dest=f"{name}_command", required=True, metavar="ACTION"
    )
    return actions


def _run(sub: argparse._SubParsersAction) -> None:
    run = _command(
        sub,
        "run",
        "bot.cli.run:cmd_run",
        "start every configured channel (the terminal chat when no token is set)",
    )
    run.add_argument(
        "--webhook",
        metavar="URL",
        help="public https address of this server: register webhooks there and serve them "
        "(on HOCVUSO_LISTEN) instead of long polling",
    )
    chat = _command(sub, "chat", "bot.cli.run:cmd_chat", "talk to the bot in this terminal")
    chat.add_argument("--user", default="local", help="console user id (default: local)")


def _content(sub: argparse._SubParsersAction) -> None:
    lessons = _group(sub, "lessons", "lesson content tools")
    check = _command(
        lessons,
        "check",
        "bot.cli.content:cmd_lessons_check",
        "validate every lesson file, FAQ and message",
    )
    check.add_argument("--dir", help="lesson folder (default: the shipped lessons/)")
    ask = _command(
        sub, "ask", "bot.cli.ask:cmd_ask", "answer a question from the FAQ and lessons, with scores"
    )
    ask.add_argument(
        "question",
        help="the question, or - to read one per line from stdin "
        "and print one JSON object per line",
    )
    ask.add_argument("--limit", type=int, default=3, help="matches shown (3)")
    ask.add_argument("--lang", choices=["vi", "en"], default="vi")
    ask.add_argument("--json", action="store_true", help="machine-readable output")
    scam = _command(
        sub, "check", "bot.cli.ask:cmd_check", "is this message or link a scam? level and reasons"
    )
    scam.add_argument(
        "message",
        help="the message, or - to read one per line from stdin and print one JSON object per line",
    )
    scam.add_argument("--lang", choices=["vi", "en"], default="vi")
    scam.add_argument("--json", action="store_true", help="machine-readable output")


def _data(sub: argparse._SubParsersAction) -> None:
    db = _group(sub, "db", "database tools")
    _command(
        db, "upgrade", "bot.cli.data:cmd_db_upgrade", "create the database or apply its migrations"
    )
    report = _command(
        sub,
        "report",
        "bot.cli.report:cmd_report",
        "per village: the core path against the target, on track or not, each lesson",
    )
    report.add_argument(
        "--format", choices=FORMATS, help="default: from the --output file's extension, else text"
    )
    report.add_argument(
        "--output", metavar="FILE", help="write to this file (needed for xlsx and png)"
    )
    report.add_argument("--commune", help="one commune (default: all); accents optional")
    report.add_argument(
        "--chart",
        choices=CHARTS,
        default="villages",
        help="png: bars per village (default), or the commune's weeks against the target",
    )
    report.add_argument("--lang", choices=["vi", "en"], default="vi", help="report language")
    report.add_argument(
        "--topic",
        choices=TOPICS,
        default="progress",
        help="progress: lessons and the core path (default); help: requests for a person's "
        "help, learners brought in by family, households (text or csv)",
    )
    report.add_argument(
        "--include-console",
        action="store_true",
        help="also count the terminal chat's learners (operators' tries)",
    )
    link = _command(
        sub,
        "dashboard-link",
        "bot.cli.dashboard:cmd_dashboard_link",
        "a one-time link (15 minutes) that opens the web dashboard of a commune",
    )
    link.add_argument("--commune", help="the commune (needed when several are configured)")
    link.add_argument("--village", help="only this village, as its village head sees it")
    link.add_argument("--lang", choices=["vi", "en"], default="vi", help="the pages' language")
    audit = _command(
        sub, "audit", "bot.cli.data:cmd_audit", "role changes, announcements, exports, deletions"
    )
    audit.add_argument("--limit", type=int, default=100, help="newest entries shown (100)")


def _push(sub: argparse._SubParsersAction) -> None:
    _command(sub, "schedule", "bot.cli.push:cmd_schedule", "what will be pushed next, and when")
    outbox = _command(
        sub, "outbox", "bot.cli.push:cmd_outbox", "pending / sent / failed / unreachable per push"
    )
    outbox.add_argument("--limit", type=int, default=20, help="newest pushes shown (20)")
    event = _group(sub, "event", "the 10/10 'Ngày hội toàn dân học tập số' details")
    event_set = _command(
        event, "set", "bot.cli.push:cmd_event_set", "set place and time for a commune"
    )
    event_set.add_argument("--place", required=True, help="e.g. 'Nhà văn hoá xã'")
    event_set.add_argument("--time", required=True, help="local time, '2026-10-10 07:30'")
    event_set.add_argument("--commune", help="needed when several communes are configured")
    event_show = _command(event, "show", "bot.cli.push:cmd_event_show", "the details set")
    event_show.add_argument("--year", type=int, help="default: this year")


def _roles(sub: argparse._SubParsersAction) -> None:
    invite = _command(
        sub,
        "invite",
        "bot.cli.roles:cmd_invite",
        "a one-time code that makes someone a village head, a helper (community digital "
        "technology team, one village) or staff",
    )
    invite.add_argument("--role", required=True, choices=ROLE_CHOICES)
    invite.add_argument(
        "--village", help="the village (for a village head or helper); accents optional"
    )
    invite.add_argument("--commune", help="the commune (needed when several are configured)")
    invite.add_argument("--days", type=int, default=7, help="days the code works (7)")
    roles = _group(sub, "roles", "who holds which role")
    listing = _command(roles, "list", "bot.cli.roles:cmd_roles_list", "active roles")
    listing.add_argument("--all", action="store_true", help="include revoked ones")
    revoke = _command(roles, "revoke", "bot.cli.roles:cmd_roles_revoke", "take a role back")
    revoke.add_argument("id", type=int, help="the id shown by 'hocvuso roles list'")


def parser() -> argparse.ArgumentParser:
    root = Parser(
        prog="hocvuso",
        description="Chat assistant for 'Bình dân học vụ số'. Settings come from the "
        "environment (see README).",
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_run, _content, _data, _push, _roles):
        add(sub)
    return root
