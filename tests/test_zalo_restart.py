"""Issue 11, must-show 2: on Zalo the step a learner is on lives in the database, so after a
restart (a new process on the same database) a typed "2" mid-quiz answers the current
question, and so does a "2" after a sticker. Also: a "2" sent twice, the second before the
first answer arrived, never answers a question the learner has not seen."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from bot.channels.zalo import ZaloChannel, ZaloClient
from tests.fakes.zalo_api import TOKEN, FakeZalo, ZaloUser


@pytest.fixture
async def api() -> AsyncIterator[FakeZalo]:
    fake = FakeZalo(poll_cap=0.3)
    await fake.start()
    yield fake
    await fake.stop()


async def start_bot(app: App, api: FakeZalo, log: Path) -> asyncio.subprocess.Process:
    settings = app.settings
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ZALO_BOT_TOKEN": TOKEN,
        "ZALO_API_BASE_URL": api.base_url,
        "HOCVUSO_DATABASE_URL": settings.database_url,
        "HOCVUSO_LESSONS_DIR": str(settings.lessons_dir),
        "HOCVUSO_CONFIG": str(settings.config_file),
        "HOCVUSO_QUIET_HOURS": "off",
        "HOCVUSO_SCHEDULER": "false",
        "HOCVUSO_DASHBOARD": "false",  # no web server: nothing here uses it
    }
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run",
            env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out,
        )  # fmt: skip


class Talk:
    """A Zalo user whose every message waits for the bot's whole answer."""

    def __init__(self, api: FakeZalo, log: Path):
        self.user = ZaloUser(api, "5a10000000000000005a")
        self.log = log

    def texts(self) -> list[str]:
        return self.user.api.texts_to(self.user.id)

    async def _answer(self, before: int) -> str:
        deadline = time.monotonic() + 20
        while len(self.texts()) <= before:
            if time.monotonic() > deadline:
                log = self.log.read_text(errors="replace")[-3000:]
                raise AssertionError(f"no answer; bot log:\n{log}")
            await asyncio.sleep(0.05)
        last = -1
        while last != len(self.texts()):
            last = len(self.texts())
            await asyncio.sleep(0.3)
        return "\n".join(self.texts()[before:])

    async def say(self, text: str) -> str:
        before = len(self.texts())
        self.user.say(text)
        return await self._answer(before)

    async def sticker(self) -> str:
        before = len(self.texts())
        self.user.send("message.sticker.received", sticker="0e078a2fb66a5f34067b")
        return await self._answer(before)


async def test_after_a_restart_a_typed_number_answers_the_current_question(
    app: App, api: FakeZalo, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    talk = Talk(api, log)
    first = await start_bot(app, api, log)
    try:
        for typed in ("Xin chào", "1", "1", "thon 2", "1", "1", "1", "tiep"):
            await talk.say(typed)
        assert "Câu 1/2" in await talk.say("lam bai kiem tra")
    finally:
        os.kill(first.pid, signal.SIGKILL)
        await first.wait()
    await asyncio.sleep(0.5)  # the dead process's long poll ends before anyone writes

    second = await start_bot(app, api, log)
    try:
        answer = await talk.say("2")  # "Ba": read against question 1, stored in the database
        assert "Chưa đúng" in answer and "Câu 2/2" in answer
        note = await talk.sticker()
        assert "chỉ đọc được chữ" in note and "Câu 2/2" in note  # the step again, not the menu
        answer = await talk.say("2")  # "Không bao giờ"
        assert "Đúng rồi" in answer
    finally:
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 30) == 0
    position = (await app.storage.get_learner("zalo", talk.user.id)).state  # type: ignore[union-attr]
    assert "pos" not in position  # the quiz is over


async def test_a_number_sent_twice_never_answers_an_unseen_question(
    app: App, api: FakeZalo
) -> None:
    client = ZaloClient(TOKEN, base_url=api.base_url)
    channel = ZaloChannel(app.engine, client, poll_timeout=1)
    await channel.start()
    user = ZaloUser(api, "d0b1e000000000000d0b")
    try:
        for typed in ("Xin chào", "1", "1", "thon 2", "1", "1", "1", "tiep", "lam bai kiem tra"):
            before = len(api.calls)
            user.say(typed)
            await api.wait_for(lambda b=before: len(api.calls) > b)
            await asyncio.sleep(0.3)
        # The answer to question 1 takes a while to reach the learner...
        api.fail("sendMessage", status=200, body={"ok": True, "result": {}}, delay=1.0)
        before = len(api.calls)
        user.say("1")
        user.say("1")  # ...and they press send again before it arrived
        await api.wait_for(lambda: len(api.calls) >= before + 4, timeout=10)
        await asyncio.sleep(0.5)
    finally:
        await channel.stop()
    sent = [str(call.params.get("text")) for call in api.calls[before:]]
    assert "Đúng rồi" in sent[0] and "Câu 2/2" in sent[1]  # the feedback, then question 2
    assert "trước khi bác nhận được câu này" in sent[2]  # the second "1" is not an answer
    assert "Câu 2/2" in sent[3]
    assert len(sent) == 4
    learner = await app.storage.get_learner("zalo", user.id)
    assert learner is not None and learner.state["pos"]["q"] == 1  # still on question 2
