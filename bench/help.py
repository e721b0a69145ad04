"""Help from a person at commune scale, on a real SQLite file: relayed lines per second
through the core (each a full turn plus its push in the outbox), the scheduler's look at the
requests nobody took, the sweep of ended conversations, and the report's help figures.

Run: `make bench` or `.venv/bin/python bench/help.py [--learners N] [--requests N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from bot.app import build_app
from bot.community import build_community
from bot.config import load_settings
from bot.core.messages import Inbound, Kind
from bot.storage.schema import help_requests, learners, roles
from scheduler.jobs import Jobs

VILLAGES = 20
AREAS = '[[communes]]\nname = "Xã A"\n' + "".join(
    f'[[communes.villages]]\nname = "Thôn {n}"\nadults = 5000\nhouseholds = 1500\n'
    for n in range(1, VILLAGES + 1)
)


async def seed(app, count: int, requests: int, now: datetime) -> list[int]:  # type: ignore[no-untyped-def]
    """``count`` learners over the villages, two helpers per village, ``requests`` old
    requests (taken and rated, or still waiting); the helper ids."""
    villages = [v.id for v in await app.storage.villages()]
    rows = [
        {
            "channel": "telegram", "user_id": str(n), "chat_id": str(n), "language": "vi",
            "village_id": villages[n % VILLAGES], "group": "citizen", "state": {},
            "consent_at": now, "last_active_at": now,
        }
        for n in range(count)
    ]  # fmt: skip

    def insert(conn: sa.Connection) -> list[int]:
        for start in range(0, count, 10_000):
            conn.execute(learners.insert(), rows[start : start + 10_000])
        helpers = list(range(1, 2 * VILLAGES + 1))
        conn.execute(
            roles.insert(),
            [
                {"learner_id": h, "role": "helper", "village_id": villages[(h - 1) % VILLAGES],
                 "granted_at": now, "granted_by": "bench"}
                for h in helpers
            ],
        )  # fmt: skip
        old = [
            {
                "learner_id": 1000 + n, "village_id": villages[n % VILLAGES],
                "status": "closed" if n % 4 else "waiting", "helper_id": 1 if n % 4 else None,
                "created_at": now - timedelta(hours=3 + n % 20),
                "waiting_since": now - timedelta(hours=3 + n % 20),
                "taken_at": now - timedelta(hours=2) if n % 4 else None,
                "closed_by": "learner" if n % 4 else None, "rating": "up" if n % 3 else "down",
                "swept": True,
            }
            for n in range(requests)
        ]  # fmt: skip
        for start in range(0, requests, 10_000):
            conn.execute(help_requests.insert(), old[start : start + 10_000])
        return helpers

    return await app.storage.runner.write(insert)


async def relay(app, pairs: int, lines: int) -> tuple[int, float, list[float]]:  # type: ignore[no-untyped-def]
    """``pairs`` conversations opened through the core, then ``lines`` relayed lines."""

    def event(user: int, kind: Kind, text: str, step: str) -> Inbound:
        return Inbound(
            channel="telegram", user_id=str(user), chat_id=str(user), kind=kind, text=text,
            update_id=f"{user}-{step}", name=f"Người {user}",
        )  # fmt: skip

    people = []
    for pair in range(pairs):
        learner = 50_000 + pair
        helper = learner % VILLAGES  # user "v" (learner id v + 1) helps village v
        await app.engine.handle(event(learner, Kind.CHOICE, "helpme", f"h-{pair}"))
        await app.engine.handle(event(learner, Kind.TEXT, "Tôi cần giúp cài VNeID", f"q-{pair}"))
        request = (await app.storage.runner.read(last_request)).id
        await app.engine.handle(
            event(helper, Kind.CHOICE, f"helper:take:{request}", f"take-{pair}")
        )
        people.append((learner, helper))
        await app.engine.handle(event(helper, Kind.CHOICE, f"helper:end:{request}", f"end-{pair}"))
    # Lines relayed in the last conversation of each helper: open them again.
    talks = []
    for pair, (learner, helper) in enumerate(people[:VILLAGES]):
        await app.engine.handle(event(learner, Kind.CHOICE, "helpme", f"again-h-{pair}"))
        await app.engine.handle(event(learner, Kind.TEXT, "Lại cần giúp", f"again-q-{pair}"))
        request = (await app.storage.runner.read(last_request)).id
        taken = await app.engine.handle(
            event(helper, Kind.CHOICE, f"helper:take:{request}", f"again-t-{pair}")
        )
        assert "helping" in taken[0].text or "nhận giúp" in taken[0].text, taken[0].text
        talks.append((learner, helper))
    latencies = []
    started = time.perf_counter()
    for n in range(lines):
        learner, helper = talks[n % len(talks)]
        user = learner if n % 2 else helper
        t0 = time.perf_counter()
        await app.engine.handle(event(user, Kind.TEXT, f"Dòng thứ {n}", f"l{n}"))
        latencies.append(time.perf_counter() - t0)
    return lines, time.perf_counter() - started, latencies


def last_request(conn: sa.Connection):  # type: ignore[no-untyped-def]
    return conn.execute(sa.select(help_requests.c.id).order_by(help_requests.c.id.desc())).first()


async def main(count: int, requests: int, lines: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hocvuso.toml"
        config.write_text(AREAS, encoding="utf-8")
        settings = load_settings(
            database_url=f"sqlite:///{tmp}/bench.db", config_file=config, quiet_hours="off"
        )
        app = await build_app(settings)
        now = datetime.now(UTC)
        started = time.perf_counter()
        await seed(app, count, requests, now)
        print(f"seeded {count:,} learners, {requests:,} past requests in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip

        done, elapsed, latencies = await relay(app, 200, lines)
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
        print(f"relayed {done:,} lines in {elapsed:.2f} s: {done / elapsed:,.0f} lines/s, "
              f"p50 {statistics.median(latencies) * 1000:.2f} ms, p99 {p99:.2f} ms")  # fmt: skip

        jobs = Jobs(app.storage, app.catalog, tz=settings.tz, weekly_slot=settings.slot)
        waiting = len(await app.storage.waiting_help(now + timedelta(days=1)))
        started = time.perf_counter()
        passed = await jobs.help_due()
        first = time.perf_counter() - started
        started = time.perf_counter()
        await jobs.help_due()
        again = time.perf_counter() - started
        print(f"help job over {waiting:,} waiting requests: {first * 1000:.0f} ms the first "
              f"time ({len(passed):,} passed on), {again * 1000:.0f} ms the next")  # fmt: skip

        started = time.perf_counter()
        report = await build_community(app.storage, app.catalog)
        print(f"help report ({len(report.rows)} villages, {report.totals.requests:,} requests, "
              f"{count:,} learners): {(time.perf_counter() - started) * 1000:.0f} ms")  # fmt: skip
        await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=2_000)
    args = parser.parse_args()
    asyncio.run(main(args.learners, args.requests, args.lines))
