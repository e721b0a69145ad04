"""Fixtures that start the real thing: a migrated SQLite file, the real engine, real content."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.app import App, build_app
from bot.config import Settings, load_settings
from bot.core.engine import Engine
from bot.core.messages import Choice, Inbound, Kind, Reply

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
    "HOCVUSO_ANNOUNCE_DAILY_LIMIT",
    "HOCVUSO_IMAGE_BASE_URL",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting leaks in from the developer's shell."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def lessons_dir(tmp_path: Path) -> Path:
    target = tmp_path / "lessons"
    shutil.copytree(DEMO_LESSONS, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, lessons_dir: Path) -> Settings:
    config = tmp_path / "hocvuso.toml"
    config.write_text(AREAS, encoding="utf-8")
    return load_settings(
        database_url=f"sqlite:///{tmp_path / 'hocvuso.db'}",
        lessons_dir=lessons_dir,
        config_file=config,
    )


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


def table_counts(app: App) -> Iterator[tuple[str, int]]:
    """Row counts of every table, read with a plain sqlite3 connection (the real file)."""
    import sqlite3

    url = sa.engine.make_url(app.settings.database_url)
    with sqlite3.connect(str(url.database)) as conn:
        names = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for name in sorted(names):
            if name != "alembic_version":
                yield name, conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
