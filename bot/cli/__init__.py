"""The ``hocvuso`` command. ``hocvuso --help`` lists everything; each command has --help.

Every failure the operator can fix is printed as one sentence on stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import sys

from bot.cli import content, data, push, roles, run
from bot.config import ConfigError, load_settings


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="hocvuso",
        description="Chat assistant for 'Bình dân học vụ số'. Settings come from the "
        "environment (see README).",
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run, content, data, push, roles):
        module.register(sub)
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


__all__ = ["main", "parser"]
