"""Composition root: settings → storage → content → engine → channels."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from bot.channels.base import Channel, ChannelError
from bot.config import ConfigError, Settings, load_areas
from bot.content import Catalog, ContentError, load_catalog
from bot.core.engine import Engine
from bot.resources import data_dir
from bot.storage import Storage

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    storage: Storage
    catalog: Catalog
    engine: Engine

    async def close(self) -> None:
        await self.storage.close()


def load_content(settings: Settings) -> Catalog:
    return load_catalog(settings.lessons_dir or data_dir("lessons"))


async def open_storage(settings: Settings) -> Storage:
    """Open the database and bring its schema to the current revision."""
    storage: Storage | None = None
    try:
        storage = Storage.open(settings.database_url)
        await storage.upgrade()
    except ModuleNotFoundError as exc:
        message = (
            f"The database driver {exc.name} is not installed (pip install 'hocvuso[postgres]')."
        )
        raise ConfigError(message) from None
    except (SQLAlchemyError, OSError) as exc:
        if storage is not None:
            await storage.close()
        reason = getattr(exc, "orig", None) or exc
        message = f"Cannot open the database ({reason}); check HOCVUSO_DATABASE_URL."
        raise ConfigError(message) from None
    return storage


async def build_app(settings: Settings) -> App:
    """Everything the bot needs, validated before any channel starts."""
    try:
        catalog = load_content(settings)
    except ContentError as exc:
        raise ConfigError(str(exc)) from None
    areas = load_areas(settings.config_file)
    storage = await open_storage(settings)
    await storage.sync_areas(areas)
    return App(settings, storage, catalog, Engine(storage, catalog))


def telegram_channel(app: App) -> Channel | None:
    token = app.settings.telegram_bot_token
    if token is None:
        return None
    from bot.channels.telegram import TelegramChannel

    return TelegramChannel(
        app.engine,
        token=token.get_secret_value().strip(),
        base_url=app.settings.telegram_api_base_url,
    )


def zalo_channel(app: App) -> Channel | None:
    token = app.settings.zalo_bot_token
    if token is None:
        return None
    from bot.channels.zalo import ZaloChannel, ZaloClient

    client = ZaloClient(token.get_secret_value().strip(), base_url=app.settings.zalo_api_base_url)
    return ZaloChannel(app.engine, client, image_base_url=app.settings.image_base_url)


def configured_channels(app: App) -> list[Channel]:
    """Every channel with a token; empty means the console."""
    return [c for c in (telegram_channel(app), zalo_channel(app)) if c is not None]


async def serve(app: App, channels: list[Channel]) -> None:
    """Start every channel, then wait for SIGINT / SIGTERM and stop them cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    started: list[Channel] = []
    try:
        for channel in channels:
            try:
                await channel.start()
            except ChannelError as exc:
                raise ConfigError(str(exc)) from None
            started.append(channel)
        log.info("hocvuso is running (%s); Ctrl-C stops it", ", ".join(c.name for c in started))
        await stop.wait()
    finally:
        for channel in reversed(started):
            await channel.stop()
