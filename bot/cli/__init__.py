"""The ``hocvuso`` command. ``hocvuso --help`` lists everything; each command has --help.

Every failure the operator can fix is printed as one sentence on stderr with a non-zero
exit code (2), never a traceback. Each command's module is imported only when it runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any

from bot.cli.commands import parser

Command = Callable[[Any, Any], int]


def _command(target: str) -> Command:
    """ "bot.cli.report:cmd_report" → the function (its module imported now)."""
    module, _sep, name = target.partition(":")
    found: Command = getattr(import_module(module), name)
    return found


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from bot.config import ConfigError, load_settings

    debug = False
    try:
        settings = load_settings()
        debug = settings.log_level == "DEBUG"
        return int(_command(args.func)(settings, args))
    except ConfigError as exc:
        print(f"hocvuso: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `hocvuso ask - | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing more to flush at exit
        return 0
    except Exception as exc:
        if debug:
            raise
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        print(
            f"hocvuso: unexpected error ({reason}); run again with HOCVUSO_LOG_LEVEL=DEBUG "
            "to see where it happened, and report it.",
            file=sys.stderr,
        )
        return 1


__all__ = ["main", "parser"]
