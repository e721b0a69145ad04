"""Fixtures that start the real thing: a migrated SQLite file, the real engine, real content."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.app import App, build_app
from bot.config import Settings, load_settings
from bot.core.engine import Engine
from bot.core.messages import Choice, Inbound, Kind, Reply
from tests.fakes.telegram_api import TOKEN as TELEGRAM_TOKEN
from tests.fakes.telegram_api import FakeTelegram

DATA = Path(__file__).parent / "data"
DEMO_LESSONS = DATA / "lessons"
AREAS = """
[[communes]]
name = "Xã Tân Phú"

[[communes.villages]]
name = "Thôn 1"
adults = 800

[[communes.villages]]
name = "Thôn 2"
adults = 650
"""
ENV = [
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "ZALO_API_BASE_URL",
    "ZALO_BOT_TOKEN",
    "HOCVUSO_DATABASE_URL",
    "HOCVUSO_TIMEZONE",
    "HOCVUSO_CONFIG",
    "HOCVUSO_LESSONS_DIR",
    "HOCVUSO_LOG_LEVEL",
    "HOCVUSO_WEEKLY_SLOT",
    "HOCVUSO_QUIET_HOURS",
    "HOCVUSO_SCHEDULER",
    "TELEGRAM_SEND_RATE",
    "ZALO_SEND_RATE",
    "HOCVUSO_TARGETS",
    "HOCVUSO_WEBHOOK_SECRET",
    "HOCVUSO_LISTEN",
    "HOCVUSO_ANNOUNCE_DAILY_LIMIT",
    "HOCVUSO_IMAGE_BASE_URL",
    "HOCVUSO_DASHBOARD",
    "HOCVUSO_PUBLIC_URL",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting leaks in from the developer's shell."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegram]:
    """A local fake Telegram Bot API over real HTTP (see tests/fakes/telegram_api.py)."""
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


def bot_env(settings: Settings, api: FakeTelegram, **extra: str) -> dict[str, str]:
    """The environment for a `hocvuso run` child process on the test's database and fake."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "HOCVUSO_DATABASE_URL": settings.database_url,
        "HOCVUSO_LESSONS_DIR": str(settings.lessons_dir),
        "HOCVUSO_CONFIG": str(settings.config_file),
        "HOCVUSO_QUIET_HOURS": "off",  # a test must not depend on the hour it runs at
        # No web server while polling: several of these processes run at once, and a test
        # that wants the dashboard gives each its own HOCVUSO_LISTEN.
        "HOCVUSO_DASHBOARD": "false",
        **extra,
    }


@pytest.fixture
def lessons_dir(tmp_path: Path) -> Path:
    target = tmp_path / "lessons"
    shutil.copytree(DEMO_LESSONS, target)
    return target


# `make test` runs the suite twice when HOCVUSO_TEST_POSTGRES_URL names a server: on SQLite,
# then with HOCVUSO_TEST_DATABASE=postgres, each test on a database of its own.
POSTGRES_URL = os.environ.get("HOCVUSO_TEST_POSTGRES_URL", "")
ON_POSTGRES = os.environ.get("HOCVUSO_TEST_DATABASE") == "postgres"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if ON_POSTGRES and "sqlite_only" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="SQLite only (PostgreSQL pass)"))
        if not ON_POSTGRES and "postgres_only" in item.keywords:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: set HOCVUSO_TEST_POSTGRES_URL")
            )


async def _postgres(sql: str) -> None:
    import asyncpg

    url = sa.engine.make_url(POSTGRES_URL)
    conn = await asyncpg.connect(
        user=url.username, password=url.password, host=url.host, port=url.port,
        database=url.database,
    )  # fmt: skip
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'hocvuso.db'}"
        return
    name = f"hocvuso_test_{uuid.uuid4().hex[:12]}"
    await _postgres(f'CREATE DATABASE "{name}"')
    yield sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    await _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(tmp_path: Path, lessons_dir: Path, database_url: str) -> Settings:
    config = tmp_path / "hocvuso.toml"
    config.write_text(AREAS, encoding="utf-8")
    return load_settings(database_url=database_url, lessons_dir=lessons_dir, config_file=config)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    built = await build_app(settings)
    yield built
    await built.close()


@pytest.fixture
def engine(app: App) -> Engine:
    return app.engine


class Chat:
    """A learner talking to the core directly, as a channel would pass events in."""

    def __init__(self, engine: Engine, user_id: str = "u1", language_code: str | None = "vi"):
        self.engine = engine
        self.user_id = user_id
        self.language_code = language_code
        self.last: list[Reply] = []

    async def send(
        self, kind: Kind, text: str, update_id: str | None = None, args: str = ""
    ) -> list[Reply]:
        inbound = Inbound(
            channel="test",
            user_id=self.user_id,
            chat_id=self.user_id,
            kind=kind,
            text=text,
            args=args,
            language_code=self.language_code,
            update_id=update_id,
        )
        self.last = await self.engine.handle(inbound)
        return self.last

    async def command(self, name: str, args: str = "") -> list[Reply]:
        return await self.send(Kind.COMMAND, name, args=args)

    async def say(self, text: str) -> list[Reply]:
        return await self.send(Kind.TEXT, text)

    async def tap(self, payload: str, update_id: str | None = None) -> list[Reply]:
        return await self.send(Kind.CHOICE, payload, update_id)

    def choices(self) -> list[Choice]:
        return [choice for reply in self.last for choice in reply.choices]

    def payload(self, prefix: str) -> str:
        found = [c.payload for c in self.choices() if c.payload.startswith(prefix)]
        assert found, f"no button starting with {prefix!r} in {self.choices()}"
        return found[0]

    def text(self) -> str:
        return "\n".join(reply.text for reply in self.last)

    async def onboard(self, village: int = 0, group: str = "citizen", lang: str = "vi") -> None:
        await self.command("start")
        await self.tap(f"lang:{lang}")
        await self.tap(f"consent:yes:{lang}")
        villages = [c.payload for c in self.choices() if c.payload.startswith("village:")]
        await self.tap(villages[village])
        await self.tap(f"group:{group}")


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)


async def table_counts(app: App) -> dict[str, int]:
    """Row counts of every table, straight from the database (SQLite or PostgreSQL)."""

    def count(conn: sa.Connection) -> dict[str, int]:
        from bot.storage.schema import metadata

        return {
            name: int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
            for name, table in metadata.tables.items()
        }

    return await app.storage.runner.read(count)


async def completion_rows(app: App) -> list[tuple[object, ...]]:
    """(channel, user id, lesson id, version, score, total, pass mark) per completion."""

    def query(conn: sa.Connection) -> list[tuple[object, ...]]:
        from bot.storage.schema import completions, learners

        rows = conn.execute(
            sa.select(
                learners.c.channel, learners.c.user_id, completions.c.lesson_id,
                completions.c.lesson_version, completions.c.score, completions.c.total,
                completions.c.pass_mark,
            )
            .join(learners, learners.c.id == completions.c.learner_id)
            .order_by(learners.c.channel, learners.c.user_id)
        )  # fmt: skip
        return [tuple(row) for row in rows]

    return await app.storage.runner.read(query)
