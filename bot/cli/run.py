"""`hocvuso run` and `hocvuso chat` (both build the whole application)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable

from bot.app import App, build_app, configured_channels, console_inbox, serve
from bot.channels.console import ConsoleChannel
from bot.cli.common import check_url, setup_logging
from bot.config import ConfigError, Settings


async def _with_app(settings: Settings, work: Callable[[App], Awaitable[int]]) -> int:
    app = await build_app(settings)
    try:
        return await work(app)
    finally:
        await app.close()


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    if args.webhook is not None:
        if not args.webhook.startswith(("https://", "http://")):
            raise ConfigError("--webhook must be the public https:// address of this server.")
        args.webhook = args.webhook.rstrip("/")
        if not (settings.telegram_bot_token or settings.zalo_bot_token):
            raise ConfigError("--webhook needs TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN.")

    async def work(app: App) -> int:
        channels = configured_channels(app)
        if not channels:
            print("No bot token set: starting the console channel.", file=sys.stderr)
            await ConsoleChannel(app.engine, inbox=console_inbox(app)).run()
            return 0
        await serve(app, channels, webhook=args.webhook)
        return 0

    check_url(settings.database_url)
    has_token = settings.telegram_bot_token or settings.zalo_bot_token
    setup_logging(settings.log_level if has_token else "WARNING")
    return asyncio.run(_with_app(settings, work))


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    async def work(app: App) -> int:
        await ConsoleChannel(app.engine, user_id=args.user, inbox=console_inbox(app)).run()
        return 0

    check_url(settings.database_url)
    setup_logging("WARNING")
    return asyncio.run(_with_app(settings, work))
