"""Kill the bot with SIGKILL in the middle of a push to 500 learners, start it again.

Every learner ends with exactly one copy, except the rows that were being sent at the
moment of the kill: at most ``Pace.concurrency`` (8) per channel, because only that many
sends wait on the platform at once. Those are sent again after the restart (a learner may
get two copies rather than none); rows claimed but not yet tried are simply queued again.
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

from bot.app import App
from bot.delivery import Pace
from tests.conftest import bot_env
from tests.fakes.telegram_api import FakeTelegram
from tests.test_delivery import outbox_done, push, seed

RECIPIENTS = 500


def copies(api: FakeTelegram) -> Counter[str]:
    return Counter(
        str(call.params["chat_id"])
        for call in api.calls
        if call.ok and call.method == "sendMessage"
    )


async def start_bot(app: App, api: FakeTelegram, log: Path) -> asyncio.subprocess.Process:
    # only the push under test: no scheduler
    env = bot_env(app.settings, api, TELEGRAM_SEND_RATE="100", HOCVUSO_SCHEDULER="false")
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run",
            env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out,
        )  # fmt: skip


async def wait_for(condition, timeout: float, log: Path) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out; bot log:\n" + log.read_text(errors="replace")[-3000:])
        await asyncio.sleep(0.05)


async def test_sigkill_mid_push_then_restart(app: App, api: FakeTelegram, tmp_path: Path) -> None:
    await seed(app, RECIPIENTS)
    push_id = await push(app, now=datetime.now(UTC))  # the bot runs on the real clock
    log = tmp_path / "bot.log"

    first = await start_bot(app, api, log)
    await wait_for(lambda: sum(copies(api).values()) >= 150, 60, log)
    os.kill(first.pid, signal.SIGKILL)
    await first.wait()
    before_restart = copies(api)
    assert 150 <= sum(before_restart.values()) < RECIPIENTS, "the kill came mid-push"

    second = await start_bot(app, api, log)
    await wait_for(lambda: len(copies(api)) == RECIPIENTS, 60, log)
    await asyncio.sleep(0.5)  # anything still to come would show up now
    second.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(second.wait(), 30) == 0

    got = copies(api)
    assert set(got) == {str(n) for n in range(1, RECIPIENTS + 1)}  # nobody missed
    twice = [chat for chat, count in got.items() if count > 1]
    assert max(got.values()) <= 2
    assert len(twice) <= Pace(rate=1).concurrency, twice
    print(f"\nkilled after {sum(before_restart.values())} sends; {len(twice)} sent twice")
    assert await outbox_done(app)
    (summary,) = await app.storage.push_summaries([push_id])
    assert summary.counts == {"sent": RECIPIENTS}
