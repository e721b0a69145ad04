"""What the commands share: logging, opening the database with the areas, picking a commune."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import load_content, open_storage
from bot.config import ConfigError, Settings, load_areas
from bot.content import Catalog, ContentError
from bot.storage import Storage


class OneLine(logging.Formatter):
    """``ts=… level=… logger=… msg="…"``: one line per event, easy to grep and to ship.

    Messages never carry tokens (Bot API URLs are not logged) or what people wrote."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message += " | " + self.formatException(record.exc_info).replace("\n", " | ")
        escaped = message.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
        stamp = self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
        return f'ts={stamp} level={record.levelname} logger={record.name} msg="{escaped}"'


def setup_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine())
    logging.basicConfig(level=level, handlers=[handler])
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "alembic", "matplotlib"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def catalog(settings: Settings) -> Catalog:
    try:
        return load_content(settings)
    except ContentError as exc:
        raise ConfigError(str(exc)) from None


@asynccontextmanager
async def database(settings: Settings, *, areas: bool = False) -> AsyncIterator[Storage]:
    """The database for one command, closed afterwards; ``areas`` first brings the
    communes and villages in line with hocvuso.toml (when the file exists)."""
    storage = await open_storage(settings)
    try:
        configured = load_areas(settings.config_file) if areas else None
        if configured is not None:
            await storage.sync_areas(configured)
        yield storage
    finally:
        await storage.close()


def pick(names: list[str], wanted: str | None, what: str, flag: str) -> str:
    """The one named, or the only one there is; a clear error otherwise."""
    if wanted:
        if wanted not in names:
            listed = ", ".join(names) or "none"
            raise ConfigError(f"No {what} named {wanted!r} (configured: {listed}).")
        return wanted
    if len(names) != 1:
        raise ConfigError(f"Say which {what} with {flag} (see hocvuso.toml).")
    return names[0]
