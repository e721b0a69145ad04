"""Updates per second through the webhook server, end to end: HTTP in, the reply out to a
local fake Bot API (in its own process), beside a bare python-telegram-bot echo bot run the
same way (the framework's floor). Prints throughput and p99 latency for one process on
SQLite, the p99 at half the echo floor, and, when HOCVUSO_TEST_POSTGRES_URL names a
server, one and two processes on PostgreSQL (the client spreads updates over both, as a
load balancer would), then the province scenario of issue 15 on one and on two processes:
an announcement to 1,000 learners and a second one right after, while 50 learners write,
with a 429 on every 150th send, at TELEGRAM_SEND_RATE=25: the combined rate, sends inside
flood waits, chats whose two announcements crossed, the head's progress lines, and replies
out of order. Run: `make bench` or `.venv/bin/python bench/webhook.py`.

The throughput runs set TELEGRAM_SEND_RATE to 1000: replies share the channel's send
budget (bot/pacing.py), and at the default 25/s the budget, not the server, would be
measured.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import sqlalchemy as sa

from bench.broadcast import serve_fake
from bot.app import open_storage
from bot.config import load_settings
from bot.storage.schema import learners
from tests.fakes.telegram_api import TOKEN

SECRET = "bench-secret-0123456789abcdef"
USERS = 500
AREAS = '[[communes]]\nname = "Xã A"\n[[communes.villages]]\nname = "Thôn 1"\nadults = 1000\n'
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def update(n: int) -> dict[str, object]:
    user = 10_000 + n % USERS
    chat = {"id": user, "type": "private", "first_name": "B"}
    return {
        "update_id": 1_000_000 + n,
        "message": {
            "message_id": n, "date": int(time.time()), "chat": chat,
            "from": {"id": user, "is_bot": False, "first_name": "B"},
            "text": "/menu", "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }  # fmt: skip


async def seed(url: str, config: Path) -> None:
    settings = load_settings(database_url=url, config_file=config)
    storage = await open_storage(settings)
    now = datetime.now(UTC)
    rows = [
        {
            "channel": "telegram", "user_id": str(10_000 + n), "chat_id": str(10_000 + n),
            "language": "vi", "group": "citizen", "state": {}, "consent_at": now,
            "last_active_at": now,
        }
        for n in range(USERS)
    ]  # fmt: skip

    def insert(conn: sa.Connection) -> None:
        conn.execute(learners.insert(), rows)

    await storage.runner.write(insert)
    await storage.close()


async def wait_up(port: int) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                await client.post(f"http://127.0.0.1:{port}/telegram/webhook", json={})
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


async def drive(
    ports: list[int], count: int, concurrency: int, rate: float | None, start: int
) -> tuple[float, list[float]]:
    """Post ``count`` updates; closed loop with ``concurrency`` or open loop at ``rate``."""
    latencies: list[float] = []
    numbers = iter(range(start, start + count))
    targets = itertools.cycle(ports)
    limits = httpx.Limits(max_connections=concurrency * 2)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one(n: int) -> None:
            t0 = time.perf_counter()
            response = await client.post(
                f"http://127.0.0.1:{next(targets)}/telegram/webhook",
                json=update(n), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )  # fmt: skip
            response.raise_for_status()
            latencies.append(time.perf_counter() - t0)

        started = time.perf_counter()
        if rate is None:

            async def worker() -> None:
                for n in numbers:
                    await one(n)

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        else:
            tasks = []
            for index, n in enumerate(numbers):
                delay = started + index / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(one(n)))
            await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return count / elapsed, latencies


def p99(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=100)[98] * 1000


async def bots(
    count: int, env: dict[str, str], base_url: str
) -> list[tuple[asyncio.subprocess.Process, int]]:
    started = []
    for _ in range(count):
        port = free_port()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook", f"http://127.0.0.1:{port}",
            env={**env, "HOCVUSO_LISTEN": f"127.0.0.1:{port}", "TELEGRAM_API_BASE_URL": base_url},
            cwd=ROOT, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        started.append((process, port))
    for _process, port in started:
        await wait_up(port)
    return started


async def stop(processes: list[tuple[asyncio.subprocess.Process, int]]) -> None:
    for process, _port in processes:
        process.terminate()
    for process, _port in processes:
        await asyncio.wait_for(process.wait(), 30)


async def main(count: int, concurrency: int) -> None:
    context = multiprocessing.get_context("spawn")
    queue, stopping = context.Queue(), context.Event()
    server = context.Process(target=serve_fake, args=(None, queue, stopping))
    server.start()
    base_url = queue.get(timeout=30)
    serial = itertools.count(0, count * 10)
    try:
        port = free_port()
        echo = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bench" / "echo_bot.py"), base_url, TOKEN, str(port),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await wait_up(port)
        floor, lat = await drive([port], count, concurrency, None, next(serial))
        echo.terminate()
        await echo.wait()
        print(f"echo bot (PTB floor): {floor:.0f} updates/s, p99 {p99(lat):.1f} ms")

        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "hocvuso.toml"
            config.write_text(AREAS, encoding="utf-8")
            common = {
                "PATH": os.environ.get("PATH", ""), "TELEGRAM_BOT_TOKEN": TOKEN,
                "HOCVUSO_CONFIG": str(config), "HOCVUSO_WEBHOOK_SECRET": SECRET,
                "HOCVUSO_LOG_LEVEL": "WARNING", "HOCVUSO_SCHEDULER": "false",
                "TELEGRAM_SEND_RATE": "1000",
            }  # fmt: skip
            url = f"sqlite:///{tmp}/w.db"
            await seed(url, config)
            one = await bots(1, {**common, "HOCVUSO_DATABASE_URL": url}, base_url)
            rate1, lat1 = await drive([one[0][1]], count, concurrency, None, next(serial))
            _, half = await drive([one[0][1]], count // 2, concurrency, floor / 2, next(serial))
            await stop(one)
            print(
                f"hocvuso, 1 process, SQLite: {rate1:.0f} updates/s = {rate1 / floor:.2f} × echo "
                f"(goal ≥ 0.8), p99 {p99(lat1):.1f} ms; at half the echo floor "
                f"({floor / 2:.0f}/s) p99 {p99(half):.1f} ms (goal < 50 ms)"
            )

        admin = os.environ.get("HOCVUSO_TEST_POSTGRES_URL")
        if not admin:
            print("PostgreSQL figures skipped: set HOCVUSO_TEST_POSTGRES_URL")
            return
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
            with tempfile.TemporaryDirectory() as tmp:
                config = Path(tmp) / "hocvuso.toml"
                config.write_text(AREAS, encoding="utf-8")
                env = {**common, "HOCVUSO_CONFIG": str(config), "HOCVUSO_DATABASE_URL": url}
                await seed(url, config)
                one = await bots(1, env, base_url)
                # With two processes each update first waits 0.25 s for an earlier one of its
                # user on the other process: a closed loop of 16 posts would measure that wait
                # (16 / 0.25 s = 64/s), not the servers. 64 posts in flight, for both runs.
                wide = concurrency * 4
                pg1, lat_pg1 = await drive([one[0][1]], count, wide, None, next(serial))
                await stop(one)
                two = await bots(2, env, base_url)
                pg2, lat_pg2 = await drive([p for _, p in two], count, wide, None, next(serial))
                await stop(two)
            print(
                f"hocvuso on PostgreSQL ({concurrency * 4} posts in flight): 1 process "
                f"{pg1:.0f}/s (p99 {p99(lat_pg1):.1f} ms), "
                f"2 processes {pg2:.0f}/s (p99 {p99(lat_pg2):.1f} ms) = {pg2 / pg1:.2f} × one "
                "(goal ≥ 1.7)"
            )
            from bench.province import province

            for processes in (1, 2):
                await province(admin, processes)
        finally:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.close()
    finally:
        stopping.set()
        queue.get(timeout=30)
        server.join()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.concurrency))
