"""Broadcast figures: pace against a rate-capped fake Bot API, and enqueueing a million.

Part 1 pushes to N recipients (10,000 by default) through the real Telegram channel and
the outbox dispatcher, against a local fake Bot API (in its own process) that answers 429
above a per-second cap; the dispatcher is configured at the cap. It prints the achieved
rate over the configured one (goal ≥ 0.95, zero 429s) and the peak memory.
Part 2 enqueues one push to 1,000,000 learners (goal < 30 s, < 200 MB RSS).

Run: `make bench`, or `.venv/bin/python bench/broadcast.py --rates 30,500 --recipients 10000`.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_app
from bot.channels.telegram import TelegramChannel
from bot.config import load_settings
from bot.delivery import Dispatcher, Pace
from bot.quiet import QuietHours
from bot.storage.outbox import Audience
from bot.storage.schema import learners

AREAS = '[[communes]]\nname = "Xã A"\n[[communes.villages]]\nname = "Thôn 1"\nadults = 1000\n'
CONTENT = {"text": {"vi": "Thông báo của xã.", "en": "Commune notice."}}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve_fake(cap: float, port_out: multiprocessing.Queue, stop: multiprocessing.Event) -> None:  # type: ignore[type-arg]
    """The fake Bot API in a child process, so it does not share a core with the bot."""
    from tests.fakes.telegram_api import FakeTelegram

    async def main() -> None:
        fake = FakeTelegram()
        fake.cap = cap
        await fake.start()
        port_out.put(fake.base_url)
        while not stop.is_set():
            await asyncio.sleep(0.1)
        ok = sum(1 for call in fake.calls if call.ok and call.method == "sendMessage")
        limited = sum(1 for call in fake.calls if not call.ok and call.method == "sendMessage")
        port_out.put((ok, limited))
        await fake.stop()

    asyncio.run(main())


async def seed(app, count: int) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)

    def insert(conn) -> None:  # type: ignore[no-untyped-def]
        for start in range(0, count, 50_000):
            rows = [
                {
                    "channel": "telegram", "user_id": str(n), "chat_id": str(n), "language": "vi",
                    "state": {}, "consent_at": now, "last_active_at": now,
                }
                for n in range(start + 1, min(start + 50_000, count) + 1)
            ]  # fmt: skip
            conn.execute(learners.insert(), rows)

    await app.storage.runner.write(insert)


async def pace_run(rate: float, recipients: int) -> None:
    from tests.fakes.telegram_api import TOKEN

    context = multiprocessing.get_context("spawn")
    queue, stop = context.Queue(), context.Event()
    server = context.Process(target=serve_fake, args=(rate, queue, stop))
    server.start()
    base_url = queue.get(timeout=30)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hocvuso.toml"
        config.write_text(AREAS, encoding="utf-8")
        settings = load_settings(database_url=f"sqlite:///{tmp}/b.db", config_file=config)
        app = await build_app(settings)
        await seed(app, recipients)
        channel = TelegramChannel(app.engine, token=TOKEN, base_url=base_url)
        await channel.application.bot.initialize()
        await app.storage.create_push(
            key="bench", kind="announcement", content=CONTENT, audience=Audience(),
            now=datetime.now(UTC),
        )  # fmt: skip
        dispatcher = Dispatcher(
            app.storage, {"telegram": channel}, {"telegram": Pace(rate=rate)},
            tz=settings.tz, quiet=QuietHours(enabled=False), idle_poll=0.05,
        )  # fmt: skip
        started = time.perf_counter()
        await dispatcher.start()
        while not all(p.done for p in await app.storage.push_summaries()):
            await asyncio.sleep(0.1)
        elapsed = time.perf_counter() - started
        await dispatcher.stop()
        await channel.application.bot.shutdown()
        await app.close()
    stop.set()
    ok, limited = queue.get(timeout=30)
    server.join()
    achieved = recipients / elapsed
    print(
        f"rate {rate:g}/s: {recipients:,} sent in {elapsed:.1f} s = {achieved:.1f}/s, "
        f"achieved/configured {achieved / rate:.3f}, 429s {limited}, sends seen {ok:,}, "
        f"peak RSS {rss_mb():.0f} MB"
    )


async def enqueue_run(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hocvuso.toml"
        config.write_text(AREAS, encoding="utf-8")
        settings = load_settings(database_url=f"sqlite:///{tmp}/e.db", config_file=config)
        app = await build_app(settings)
        started = time.perf_counter()
        await seed(app, count)
        print(f"seeded {count:,} learners in {time.perf_counter() - started:.1f} s")
        before = rss_mb()
        started = time.perf_counter()
        push_id = await app.storage.create_push(
            key="everyone", kind="reminder", content=CONTENT, audience=Audience(wants_weekly=True),
            now=datetime.now(UTC),
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        (summary,) = await app.storage.push_summaries([push_id])  # type: ignore[list-item]
        await app.close()
    print(
        f"enqueued {summary.total:,} recipients in {elapsed:.1f} s; "
        f"peak RSS {rss_mb():.0f} MB (before enqueue {before:.0f} MB); goal < 30 s, < 200 MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", default="30,500", help="comma-separated sends per second")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--enqueue", type=int, default=1_000_000)
    args = parser.parse_args()
    for rate in (float(r) for r in args.rates.split(",") if r):
        asyncio.run(pace_run(rate, args.recipients))
    if args.enqueue:
        asyncio.run(enqueue_run(args.enqueue))


if __name__ == "__main__":
    main()
