"""What the commands share: logging, opening the database, picking a name, checking a path.

Heavy modules (the application, SQLAlchemy) are imported inside the functions that need
them, so a command that uses none of them starts fast.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings, load_areas
from bot.content.natural import natural_key
from bot.content.textfold import fold

if TYPE_CHECKING:
    from bot.content import Catalog
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
    from bot.app import load_content
    from bot.content import ContentError

    try:
        return load_content(settings)
    except ContentError as exc:
        raise ConfigError(str(exc)) from None


def sqlite_file(url: str) -> Path | None:
    """The file a sqlite:/// URL names (absolute), None for other databases or memory."""
    for prefix in ("sqlite+aiosqlite:///", "sqlite:///"):
        if url.startswith(prefix):
            path = url.removeprefix(prefix).split("?", 1)[0]
            return Path(path).absolute() if path and path != ":memory:" else None
    return None


def missing_database(settings: Settings, *, empty: bool = False) -> str:
    """One sentence: where the database was looked for and how to point at the right one;
    ``empty``: it is there, without hocvuso's tables."""
    url = settings.database_url
    path = sqlite_file(url)
    if path is not None and not empty:
        relative = "" if url.startswith(("sqlite:////", "sqlite+aiosqlite:////")) else (
            f", relative to the current folder {Path.cwd()}"
        )  # fmt: skip
        return (
            f"No database at {path} (HOCVUSO_DATABASE_URL is {url}{relative}); run hocvuso "
            "from the bot's folder, or set HOCVUSO_DATABASE_URL=sqlite:////full/path/hocvuso.db."
        )
    from bot.storage.probe import shown_url

    where = path if path is not None else shown_url(url)
    return (
        f"The database {where} has no hocvuso tables; check HOCVUSO_DATABASE_URL "
        "(hocvuso db upgrade creates them on a new database)."
    )


@asynccontextmanager
async def database(
    settings: Settings, *, areas: bool = False, existing: bool = False
) -> AsyncIterator[Storage]:
    """The database for one command, closed afterwards; ``areas`` first brings the communes
    and villages in line with hocvuso.toml (when the file exists). ``existing``: refuse to
    create one (read-only commands), because an empty report from a new file in the wrong
    folder looks like lost data."""
    from bot.app import open_storage

    check_url(settings.database_url)
    if existing:
        await _refuse_missing(settings)
    storage = await open_storage(settings)
    try:
        configured = load_areas(settings.config_file) if areas else None
        if configured is not None:
            await storage.sync_areas(configured)
        yield storage
    finally:
        await storage.close()


def check_url(url: str) -> None:
    """A URL SQLAlchemy cannot even parse (a port that is not a number…), in one sentence."""
    from bot.storage.probe import url_problem

    problem = url_problem(url)
    if problem is not None:
        raise ConfigError(
            f"HOCVUSO_DATABASE_URL is not a database URL ({problem}); it looks like "
            "sqlite:///./data/hocvuso.db or postgresql+asyncpg://user:password@host:5432/db."
        )
    path = sqlite_file(url)
    if path is not None and path.is_dir():
        raise ConfigError(
            f"HOCVUSO_DATABASE_URL names the folder {path}; name the database file in it, "
            f"such as sqlite:///{path / 'hocvuso.db'}."
        )


async def _refuse_missing(settings: Settings) -> None:
    path = sqlite_file(settings.database_url)
    if path is not None:
        if not path.is_file():
            raise ConfigError(missing_database(settings))
        if path.stat().st_size > 0:
            return
    from bot.storage.probe import look

    found = await look(settings.database_url)
    if found.error is not None:
        raise ConfigError(f"Cannot open the database ({found.error}); check HOCVUSO_DATABASE_URL.")
    if found.revision is None:
        raise ConfigError(missing_database(settings, empty=True))


def pick(names: list[str], wanted: str | None, what: str, flag: str) -> str:
    """The one named (accents and case optional, as in the chat), or the only one there is.

    A name that folds to several (or that is part of several) lists them."""
    ordered = sorted(names, key=natural_key)
    listed = ", ".join(ordered) or "none"
    if not wanted:
        if len(ordered) != 1:
            raise ConfigError(f"Say which {what} with {flag} (configured: {listed}).")
        return ordered[0]
    if wanted in names:
        return wanted
    key = fold(wanted)
    found = [name for name in ordered if fold(name) == key]
    if not found:
        found = [name for name in ordered if f" {key} " in f" {fold(name)} "]
    if len(found) == 1:
        return found[0]
    if found:
        raise ConfigError(
            f"{flag} {wanted!r} matches several {what}s: {', '.join(found)}; give the full name."
        )
    raise ConfigError(f"No {what} named {wanted!r} (configured: {listed}).")


def check_output(path: Path) -> Path:
    """Refuse, in one sentence, an output path that cannot be written, before any work."""
    if path.is_dir():
        raise ConfigError(
            f"--output {path} is a folder; give a file name, such as {path / 'report.xlsx'}."
        )
    folder = path.parent
    if not folder.exists():
        raise ConfigError(f"Cannot write {path}: the folder {folder} does not exist.")
    if not folder.is_dir():
        raise ConfigError(f"Cannot write {path}: {folder} is not a folder.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"Cannot write {path}: permission denied.")
    return path


def write_failed(path: Path, exc: OSError) -> ConfigError:
    """An error while writing (a full disk, a folder removed meanwhile) as one sentence."""
    return ConfigError(f"Cannot write {path}: {exc.strerror or exc}.")
