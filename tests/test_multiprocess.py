"""Two bot processes on one PostgreSQL database: each message sent once, one scheduler.

Rows are claimed with FOR UPDATE SKIP LOCKED, so the two dispatchers never take the same
row; the scheduler runs where the advisory lock is held, and moves when that process dies.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import App
from scheduler.calendar import WEEKDAYS
from tests.conftest import bot_env
from tests.fakes.telegram_api import FakeTelegram
from tests.test_delivery import outbox_done, push, seed

pytestmark = pytest.mark.postgres_only
RECIPIENTS = 1000
LEADS = "this process runs the scheduler"


async def start(app: App, api: FakeTelegram, log: Path) -> asyncio.subprocess.Process:
    local = datetime.now(UTC).astimezone(app.settings.tz)
    env = bot_env(
        app.settings,
        api,
        TELEGRAM_SEND_RATE="100",
        # A weekly slot days away, so the scheduler has nothing of its own to push.
        HOCVUSO_WEEKLY_SLOT=f"{WEEKDAYS[(local.weekday() + 3) % 7]} 08:00",
        HOCVUSO_LOG_LEVEL="INFO",
    )
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run",
            env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out,
        )  # fmt: skip


async def wait_for(condition, timeout: float, what: str) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)
    return time.monotonic() - started


def copies(api: FakeTelegram) -> Counter[str]:
    return Counter(
        str(call.params["chat_id"])
        for call in api.calls
        if call.ok and call.method == "sendMessage"
    )


async def test_two_processes_share_the_outbox_and_one_scheduler(
    app: App, api: FakeTelegram, tmp_path: Path
) -> None:
    await seed(app, RECIPIENTS)
    await push(app, now=datetime.now(UTC))
    logs = [tmp_path / "one.log", tmp_path / "two.log"]
    processes = [await start(app, api, log) for log in logs]
    try:
        await wait_for(lambda: len(copies(api)) == RECIPIENTS, 60, "every learner")
        await asyncio.sleep(1.0)  # a second copy, if any, would arrive now
        got = copies(api)
        assert set(got) == {str(n) for n in range(1, RECIPIENTS + 1)}
        assert max(got.values()) == 1, "a learner got two copies"
        assert await outbox_done(app)

        await wait_for(lambda: any(LEADS in log.read_text() for log in logs), 30, "a leader")
        leaders = [i for i, log in enumerate(logs) if LEADS in log.read_text()]
        assert len(leaders) == 1, "exactly one process runs the scheduler"
        leader, other = leaders[0], 1 - leaders[0]
        os.kill(processes[leader].pid, signal.SIGKILL)
        await processes[leader].wait()
        took = await wait_for(lambda: LEADS in logs[other].read_text(), 30, "the takeover")
        print(f"\nscheduler handed over in {took:.1f} s")
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.wait(), 30)
