"""The province scenario of issue 15, on one and on two `hocvuso run --webhook` processes
sharing one PostgreSQL database: two announcements to 600 learners back to back while 50
learners each send 6 messages 100 ms apart (spread over the processes as a load balancer
would), against a fake Bot API in its own process that answers 429 to every 150th send.

Prints, per run: the time, the combined send rate (mean and the busiest second against
TELEGRAM_SEND_RATE), sends inside a flood wait, chats that got the second announcement
before the first, the village head's progress lines and summaries, and users whose
replies came out of order; then what one reservation of the shared budget costs.
Run by `bench/webhook.py` (needs HOCVUSO_TEST_POSTGRES_URL), or alone:
`.venv/bin/python bench/province.py`.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import sqlalchemy as sa

from bench.webhook import SECRET, bots, stop
from bot.app import open_storage
from bot.config import load_areas, load_settings
from bot.pacing import SharedBudget
from bot.storage.schema import learners, outbox
from tests.fakes.telegram_api import TOKEN

RATE = 25.0
LEARNERS = 600
WRITERS = 50
EVERY = 150  # the fake answers 429 to every 150th send
IN_FLIGHT = 0.1  # sends already on their way when a 429 was answered
HEAD = 5000
AREAS = '[[communes]]\nname = "Xã A"\n[[communes.villages]]\nname = "Thôn 1"\nadults = 2000\n'
COMMANDS = ["/hoc", "/tiendo", "/caidat", "/trogiup", "/menu", "/ngonngu"]
MARKS = ["📚", "📊", "⚙️", "❓", "Bác muốn làm gì", "Bác chọn ngôn ngữ"]


def serve_fake(queue: Any, stopping: Any) -> None:
    """The fake Bot API in its own process; sends back every send it saw."""
    from tests.fakes.telegram_api import FakeTelegram

    async def main() -> None:
        fake = FakeTelegram()
        counted = itertools.count(1)

        def responder(method: str, params: dict[str, Any]) -> Any:
            if method in ("sendMessage", "sendPhoto") and next(counted) % EVERY == 0:
                return 429, {"description": "Too Many Requests", "parameters": {"retry_after": 1}}
            return None

        fake.responder = responder
        await fake.start()
        queue.put(fake.base_url)
        while not stopping.is_set():
            await asyncio.sleep(0.1)
        queue.put(
            [
                (c.at, c.ok, int(c.params["chat_id"]), str(c.params.get("text", ""))[:40])
                for c in fake.calls
                if c.method in ("sendMessage", "sendPhoto")
            ]
        )
        await fake.stop()

    asyncio.run(main())


async def seed(url: str, config: Path) -> None:
    settings = load_settings(database_url=url, config_file=config)
    storage = await open_storage(settings)
    await storage.sync_areas(load_areas(settings.config_file))
    (village,) = await storage.villages()
    now = datetime.now(UTC)
    chats = [HEAD, *range(6001, 6001 + LEARNERS), *range(8001, 8001 + WRITERS)]
    rows = [
        {
            "channel": "telegram", "user_id": str(chat), "chat_id": str(chat), "language": "vi",
            "group": "citizen", "village_id": village.id, "state": {}, "consent_at": now,
            "last_active_at": now,
        }
        for chat in chats
    ]  # fmt: skip

    def insert(conn: sa.Connection) -> None:
        conn.execute(learners.insert(), rows)

    await storage.runner.write(insert)
    await storage.close()


async def announce(url: str, config: Path) -> Any:
    settings = load_settings(database_url=url, config_file=config)
    storage = await open_storage(settings)
    head = await storage.get_learner("telegram", str(HEAD))
    assert head is not None and head.village_id is not None
    for number in (1, 2):
        await storage.create_announcement(
            key=f"bench:{number}", text=f"Thông báo số {number} của thôn.", creator_id=head.id,
            village_id=head.village_id, now=datetime.now(UTC),
        )  # fmt: skip
    return storage


async def talk(ports: list[int]) -> None:
    """50 users, 6 messages each, 100 ms apart, alternating between the processes."""
    numbers = itertools.count(1)
    async with httpx.AsyncClient(timeout=120) as client:

        async def post(user: int, text: str, port: int) -> None:
            n = next(numbers)
            chat = {"id": user, "type": "private", "first_name": "B"}
            update = {
                "update_id": 500_000 + n,
                "message": {
                    "message_id": n, "date": int(time.time()), "chat": chat,
                    "from": {"id": user, "is_bot": False, "first_name": "B"}, "text": text,
                    "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
                },
            }  # fmt: skip
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            url = f"http://127.0.0.1:{port}/telegram/webhook"
            (await client.post(url, json=update, headers=headers)).raise_for_status()

        async def user(chat: int) -> None:
            posts = []
            for index, text in enumerate(COMMANDS):
                port = ports[index % len(ports)]
                posts.append(asyncio.create_task(post(chat, text, port)))
                await asyncio.sleep(0.1)
            await asyncio.gather(*posts)

        await asyncio.gather(*(user(chat) for chat in range(8001, 8001 + WRITERS)))


async def finished(storage: Any) -> bool:
    """Both announcements summarized and nothing left to send (the summaries included)."""

    def unsent(conn: sa.Connection) -> int:
        busy = outbox.c.status.in_(("pending", "claimed", "sending"))
        return int(conn.scalar(sa.select(sa.func.count()).where(busy)) or 0)

    watching = await storage.announcements_to_watch()
    return not watching and await storage.runner.read(unsent) == 0


async def run(url: str, processes: int) -> None:
    context = multiprocessing.get_context("spawn")
    queue, stopping = context.Queue(), context.Event()
    server = context.Process(target=serve_fake, args=(queue, stopping))
    server.start()
    base_url = queue.get(timeout=30)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hocvuso.toml"
        config.write_text(AREAS, encoding="utf-8")
        await seed(url, config)
        env = {
            "PATH": os.environ.get("PATH", ""), "TELEGRAM_BOT_TOKEN": TOKEN,
            "HOCVUSO_CONFIG": str(config), "HOCVUSO_WEBHOOK_SECRET": SECRET,
            "HOCVUSO_LOG_LEVEL": "WARNING", "HOCVUSO_SCHEDULER": "false",
            "HOCVUSO_QUIET_HOURS": "off", "TELEGRAM_SEND_RATE": str(RATE),
            "HOCVUSO_DATABASE_URL": url,
        }  # fmt: skip
        running = await bots(processes, env, base_url)
        started = time.perf_counter()
        storage = await announce(url, config)
        await talk([port for _process, port in running])
        while not await finished(storage):
            await asyncio.sleep(0.5)
        elapsed = time.perf_counter() - started
        await asyncio.sleep(2)  # anything sent twice would arrive now
        await stop(running)
        await storage.close()
    stopping.set()
    calls = queue.get(timeout=60)
    server.join()
    report(processes, elapsed, calls)


def report(processes: int, elapsed: float, calls: list[tuple[float, bool, int, str]]) -> None:
    times = sorted(at for at, *_rest in calls)
    busiest = max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))
    floods = [at for at, ok, *_rest in calls if not ok]
    inside = sum(
        1 for flood in floods for at, *_rest in calls if flood + IN_FLIGHT < at < flood + 1.0
    )
    crossed = 0
    for chat in range(6001, 6001 + LEARNERS):
        got = [text for _at, ok, c, text in calls if ok and c == chat]
        crossed += got != ["Thông báo số 1 của thôn.", "Thông báo số 2 của thôn."]
    head = [text for _at, ok, chat, text in calls if ok and chat == HEAD]
    progress = [t for t in head if t.startswith("📤")]
    summaries = sum(t.startswith("✅") for t in head)
    disordered = 0
    for chat in range(8001, 8001 + WRITERS):
        got = [t for _at, ok, c, t in calls if ok and c == chat and not t.startswith("Thông báo")]
        order = [next(i for i, mark in enumerate(MARKS) if t.startswith(mark)) for t in got]
        disordered += order != list(range(len(COMMANDS)))
    print(
        f"province, {processes} process{'es' if processes > 1 else ''}: {len(calls)} sends in "
        f"{elapsed:.0f} s = {len(calls) / elapsed:.1f}/s, busiest second {busiest} "
        f"(rate {RATE:.0f}, goal ≤ {RATE + 1:.0f}); {len(floods)} flood waits, {inside} sends "
        f"inside them (goal 0); {crossed} of {LEARNERS} chats with the announcements crossed "
        f"(goal 0); head: {len(progress)} progress lines ({len(progress) - len(set(progress))} "
        f"repeated), {summaries} summaries (goal 2); {disordered} of {WRITERS} users with "
        "replies out of order (goal 0)"
    )


async def budget_cost(url: str) -> None:
    """What one reservation of the shared budget costs (a locked row on the database)."""
    settings = load_settings(database_url=url)
    storage = await open_storage(settings)
    budget = SharedBudget(storage, "bench", rate=1000.0)
    count = 2000
    started = time.perf_counter()
    for _ in range(count):
        await budget._reserve(reply=True)
    per = (time.perf_counter() - started) / count * 1000
    print(f"shared budget: one reservation {per:.2f} ms (a row locked FOR UPDATE, one process)")
    await storage.close()


async def province(admin: str, processes: int) -> None:
    import asyncpg

    name = f"bench_{uuid.uuid4().hex[:8]}"
    parsed = sa.engine.make_url(admin)
    conn = await asyncpg.connect(
        user=parsed.username, password=parsed.password, host=parsed.host, port=parsed.port,
        database=parsed.database,
    )  # fmt: skip
    await conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = parsed.set(database=name).render_as_string(hide_password=False)
        await run(url, processes)
        if processes == 2:
            await budget_cost(url)
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


if __name__ == "__main__":
    admin_url = os.environ.get("HOCVUSO_TEST_POSTGRES_URL")
    if not admin_url:
        sys.exit("set HOCVUSO_TEST_POSTGRES_URL to a PostgreSQL server (see README)")
    for count in (1, 2):
        asyncio.run(province(admin_url, count))
