"""Messages per second through the core, on a real SQLite file holding 100,000 learners.

Each message is a full turn as a channel would make it: claim the update id, load the
learner, route, store the new state (and answers / completions), build the replies.
Run: `make bench` or `.venv/bin/python bench/engine.py [--learners N] [--messages N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_app
from bot.config import load_settings
from bot.core.messages import Inbound, Kind
from bot.storage.schema import learners

AREAS = '[[communes]]\nname = "Xã A"\n[[communes.villages]]\nname = "Thôn 1"\nadults = 1000\n'


async def seed(app, count: int) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    village = (await app.storage.villages())[0].id
    rows = [
        {
            "channel": "telegram",
            "user_id": str(n),
            "chat_id": str(n),
            "language": "vi" if n % 5 else "en",
            "village_id": village,
            "group": "citizen",
            "state": {},
            "consent_at": now,
            "last_active_at": now,
        }
        for n in range(count)
    ]

    def insert(conn) -> None:  # type: ignore[no-untyped-def]
        for start in range(0, count, 10_000):
            conn.execute(learners.insert(), rows[start : start + 10_000])

    await app.storage.runner.write(insert)


def script(lesson) -> list[str]:  # type: ignore[no-untyped-def]
    """One learner's taps through a lesson: open, every card, the quiz, every answer."""
    taps = [f"open:{lesson.id}"]
    taps += [f"card:{lesson.id}:{i}" for i in range(1, len(lesson.cards))]
    taps.append(f"quiz:{lesson.id}")
    taps += [
        f"ans:{lesson.id}:{q}:{question.correct_index}" for q, question in enumerate(lesson.quiz)
    ]
    return [*taps, "menu", "progress"]


async def main(count: int, messages: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hocvuso.toml"
        config.write_text(AREAS, encoding="utf-8")
        settings = load_settings(database_url=f"sqlite:///{tmp}/bench.db", config_file=config)
        app = await build_app(settings)
        started = time.perf_counter()
        await seed(app, count)
        print(f"seeded {count:,} learners in {time.perf_counter() - started:.1f} s")
        lesson = app.catalog.lessons[0]
        taps = script(lesson)
        rng = random.Random(7)
        # Many learners, each advancing through their own lesson script, interleaved.
        active = rng.sample(range(count), k=max(1, messages // len(taps)))
        events = []
        for step in range(len(taps)):
            for user in active:
                events.append(
                    Inbound(
                        channel="telegram",
                        user_id=str(user),
                        chat_id=str(user),
                        kind=Kind.CHOICE,
                        text=taps[step],
                        update_id=f"{user}-{step}",
                    )
                )
        for event in events[:200]:  # warm up caches and the connection pool
            await app.engine.handle(event)
        events = events[200 : 200 + messages]
        latencies = []
        started = time.perf_counter()
        for event in events:
            t0 = time.perf_counter()
            await app.engine.handle(event)
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        await app.close()
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"lesson {lesson.id!r}: {len(taps)} taps per learner, {len(active):,} learners active")
    print(f"{len(events):,} messages in {elapsed:.2f} s: {len(events) / elapsed:,.0f} messages/s")
    print(f"latency per message: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    print("goal: >= 2,000 messages/s on one core, p99 < 5 ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=20_000)
    args = parser.parse_args()
    asyncio.run(main(args.learners, args.messages))
