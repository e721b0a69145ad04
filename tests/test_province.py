"""Issue 15: two `hocvuso run --webhook` processes on one PostgreSQL database behave as one
bot. One send budget (the rate and every flood wait) for pushes and replies of both; each
progress line of an announcement once; each user's replies in the order of their messages.

The fake Bot API counts sends per bot token, as Telegram does, and answers 429 to every
150th; updates are spread over both processes as a load balancer would.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import socket
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import App
from tests.conftest import bot_env
from tests.fakes.telegram_api import Call, FakeTelegram

pytestmark = pytest.mark.postgres_only
SECRET = "province-secret-0123456789abcdef"
RATE = 20.0  # TELEGRAM_SEND_RATE: sends per second for the whole bot
IN_FLIGHT = 0.1  # a send already on its way when the 429 was answered is not held back
HEAD_CHAT = 5000
LEARNERS = 300
WRITERS = 20  # learners who write to the bot while the announcement goes out
COMMANDS = [  # six messages, each with a reply that says which it answers
    ("/hoc", "📚"),
    ("/tiendo", "📊"),
    ("/caidat", "⚙️"),
    ("/trogiup", "❓"),
    ("/menu", "Bác muốn làm gì"),
    ("/ngonngu", "Bác chọn ngôn ngữ"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclasses.dataclass
class Bot:
    process: asyncio.subprocess.Process
    port: int
    log: Path


@pytest.fixture
async def bots(app: App, api: FakeTelegram, tmp_path: Path) -> AsyncIterator[list[Bot]]:
    """Two processes, each with its own webhook server, sharing the test's database."""
    started = []
    for number in range(2):
        port = free_port()
        log = tmp_path / f"bot{number}.log"
        env = bot_env(
            app.settings, api,
            HOCVUSO_LISTEN=f"127.0.0.1:{port}", HOCVUSO_WEBHOOK_SECRET=SECRET,
            TELEGRAM_SEND_RATE=str(RATE), HOCVUSO_SCHEDULER="false", HOCVUSO_LOG_LEVEL="INFO",
        )  # fmt: skip
        with log.open("ab") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--webhook", f"http://127.0.0.1:{port}",
                env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out,
            )  # fmt: skip
        started.append(Bot(process, port, log))
    async with httpx.AsyncClient() as client:
        for bot in started:
            for _ in range(300):
                try:
                    await client.get(f"http://127.0.0.1:{bot.port}/healthz")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"bot on {bot.port} never listened: {bot.log.read_text()}")
    await wait_for_processes(app, 2)
    yield started
    for bot in started:
        bot.process.terminate()
    for bot in started:
        await asyncio.wait_for(bot.process.wait(), 30)


async def wait_for_processes(app: App, count: int) -> None:
    """Until both dispatchers hold their "alive" lock (a process serves webhooks a moment
    before its dispatcher starts)."""
    deadline = time.monotonic() + 30
    while await app.storage.live_processes() < count:
        assert time.monotonic() < deadline, "the processes never came up"
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.1)  # each process has counted the other since


async def citizens(app: App, chats: list[int]) -> list[int]:
    """Onboarded citizens of the first village, one per chat id; their learner ids."""
    (village, *_rest) = await app.storage.villages()
    now = datetime.now(UTC)
    ids = []
    for chat in chats:
        learner = await app.storage.create_learner(
            channel="telegram", user_id=str(chat), chat_id=str(chat), language="vi", now=now
        )
        await app.storage.update_learner(
            dataclasses.replace(learner, village_id=village.id, group="citizen"), now
        )
        ids.append(learner.id)
    return ids


class Poster:
    """Posts updates to the webhooks, alternating between the processes."""

    def __init__(self, bots: list[Bot]):
        self.ports = itertools.cycle([bot.port for bot in bots])
        self.numbers = itertools.count(1)
        self.client = httpx.AsyncClient(timeout=60)

    async def command(self, user: int, text: str, port: int | None = None) -> None:
        number = next(self.numbers)
        chat = {"id": user, "type": "private", "first_name": "Bác"}
        update = {
            "update_id": 10_000 + number,
            "message": {
                "message_id": number, "date": int(time.time()), "chat": chat,
                "from": {"id": user, "is_bot": False, "first_name": "Bác"},
                "text": text,
                "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
            },
        }  # fmt: skip
        target = port or next(self.ports)
        response = await self.client.post(
            f"http://127.0.0.1:{target}/telegram/webhook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        response.raise_for_status()


def sends(api: FakeTelegram) -> list[Call]:
    return [c for c in api.calls if c.method in ("sendMessage", "sendPhoto")]


async def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def test_one_rate_and_one_flood_wait_for_both_processes_and_one_report(
    app: App, api: FakeTelegram, bots: list[Bot]
) -> None:
    """Must-show 1 and 3: an announcement to 300 learners while 20 others write, through two
    processes; a 429 on every 150th send."""
    floods: list[float] = []
    counted = itertools.count(1)

    def responder(method: str, params: dict[str, Any]) -> Any:
        if method not in ("sendMessage", "sendPhoto"):
            return None
        if next(counted) % 150 == 0:
            floods.append(time.monotonic())
            return 429, {"description": "Too Many Requests", "parameters": {"retry_after": 1}}
        return None

    api.responder = responder
    (head,) = await citizens(app, [HEAD_CHAT])
    await citizens(app, list(range(6001, 6001 + LEARNERS)))
    writers = list(range(7001, 7001 + WRITERS))
    await citizens(app, writers)
    (village, *_rest) = await app.storage.villages()
    await app.storage.create_announcement(
        key="ann:province", text="Họp thôn tối nay lúc 19 giờ.", creator_id=head,
        village_id=village.id, now=datetime.now(UTC),
    )  # fmt: skip
    poster = Poster(bots)
    try:

        async def write(user: int) -> None:
            for text, _mark in COMMANDS[:3]:
                await poster.command(user, text)
                await asyncio.sleep(1.0)

        await asyncio.gather(*(write(user) for user in writers))

        def summarized() -> bool:
            return any("Đã gửi xong" in c.params.get("text", "") for c in head_lines(api))

        await wait_for(summarized, 120, "the summary to the head")
        await asyncio.sleep(1.5)  # a second summary, if any, would come now
    finally:
        await poster.client.aclose()

    calls = sends(api)
    assert len(floods) >= 2
    for flood in floods:  # must-show 1: nothing inside any retry_after window
        inside = [c for c in calls if flood + IN_FLIGHT < c.at < flood + 1.0]
        assert inside == [], f"{len(inside)} sends inside the flood wait at {flood:.2f}"
    times = sorted(c.at for c in calls)
    busiest = max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))
    assert busiest <= RATE + 1.0, f"{busiest} sends in one second (rate {RATE})"
    delivered = [c for c in calls if c.ok and c.params.get("text", "").startswith("Họp thôn")]
    assert len({int(c.params["chat_id"]) for c in delivered}) == LEARNERS + WRITERS + 1
    assert len(delivered) == LEARNERS + WRITERS + 1  # nobody twice
    replies = [c for c in calls if c.ok and int(c.params["chat_id"]) in writers]
    assert sum(1 for c in replies if not c.params["text"].startswith("Họp thôn")) == 3 * WRITERS
    lines = [c.params["text"] for c in head_lines(api) if c.ok]  # must-show 3
    progress = [t for t in lines if t.startswith("📤 Đã gửi ")]
    assert progress and len(progress) == len(set(progress)) <= 3
    assert sum("Đã gửi xong" in t for t in lines) == 1


def head_lines(api: FakeTelegram) -> list[Call]:
    return [
        c
        for c in sends(api)
        if int(c.params["chat_id"]) == HEAD_CHAT and not c.params["text"].startswith("Họp thôn")
    ]


async def test_each_users_replies_in_the_order_of_their_messages(
    app: App, api: FakeTelegram, bots: list[Bot]
) -> None:
    """Must-show 4: 50 users each send 6 messages 100 ms apart, alternating between the
    processes (the reply to one may take longer than the gap)."""
    users = list(range(8001, 8051))
    await citizens(app, users)
    poster = Poster(bots)
    ports = [bot.port for bot in bots]
    try:

        async def talk(user: int) -> None:
            posts = []
            for index, (text, _mark) in enumerate(COMMANDS):
                posts.append(asyncio.create_task(poster.command(user, text, ports[index % 2])))
                await asyncio.sleep(0.1)
            await asyncio.gather(*posts)

        await asyncio.gather(*(talk(user) for user in users))
    finally:
        await poster.client.aclose()
    out_of_order = []
    for user in users:
        texts = [c.params["text"] for c in sends(api) if c.ok and int(c.params["chat_id"]) == user]
        marks = [
            next(i for i, (_t, mark) in enumerate(COMMANDS) if t.startswith(mark)) for t in texts
        ]
        if marks != list(range(len(COMMANDS))):
            out_of_order.append((user, marks))
    assert out_of_order == []
