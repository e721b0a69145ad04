"""Issue 17 on every channel, typed: "Ôn tập" from the menu, answers by number or words,
the learner's push time in settings and the certificate's name; the same on the console,
Telegram and Zalo, with the console restarted half-way through the review."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import App
from tests.fakes import telegram_api, zalo_api
from tests.test_typed_contract import ConsoleDriver, Driver, person_on

START = datetime(2026, 11, 4, 3, 0, tzinfo=UTC)  # Wednesday 10:00 in Vietnam

# (typed, a phrase the answer must contain)
BEFORE = [
    ("/start", "chọn ngôn ngữ"),
    ("1", "Bác có đồng ý không?"),
    ("dong y", "Bác ở thôn"),
    ("thon 1", "Bác thuộc nhóm nào"),
    ("nguoi dan", "Xong rồi"),
    ("bai hoc", "Bác chọn một bài"),
    ("bai thu hai", "1/1"),
    ("lam bai kiem tra", "Câu 1/2"),
    ("b", "Chưa đúng"),  # "Chọn A": wrong
    ("a", "Chưa đúng"),  # "Chọn B": wrong, so both come back for review
    ("menu", "Bác muốn làm gì"),
    ("on tap", "chưa có câu nào cần ôn"),  # due tomorrow, not yet
]
AFTER_A_DAY = [
    ("menu", "Bác muốn làm gì"),
    ("on tap", "Ôn tập câu 1/2"),
]
AFTER_A_RESTART = [
    ("a", "Ôn tập câu 2/2"),  # the words of the answer
    ("2", "Ôn xong: bác đúng 2/2 câu"),  # its number
    ("so 2", "Bác muốn làm gì"),  # "🏠 Menu chính"
    ("cai dat", "Cài đặt"),
    ("gio nhan tin", "Bác chọn ngày"),
    ("thu 7", "Thứ Bảy: mấy giờ?"),
    ("8", "Tôi nhắn được lúc 7, 9, 12, 15, 18 hoặc 20 giờ"),  # no such hour: the hours again
    ("6 gio toi", "Thứ Bảy, 18:00"),  # the words of a choice
    ("cai dat", "Cài đặt"),
    ("gio nhan tin", "Hiện nay: Thứ Bảy, 18:00"),
    ("chu nhat", "Chủ Nhật: mấy giờ?"),
    ("20h", "Chủ Nhật, 20:00"),  # an hour typed beyond the numbered choices
]


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[telegram_api.FakeTelegram, zalo_api.FakeZalo]]:
    telegram, zalo = telegram_api.FakeTelegram(), zalo_api.FakeZalo(poll_cap=0.3)
    await telegram.start()
    await zalo.start()
    yield telegram, zalo
    await telegram.stop()
    await zalo.stop()


@pytest.mark.parametrize("channel", ["console", "telegram", "zalo"])
async def test_review_and_push_time_by_typing(
    app: App,
    fakes: tuple[telegram_api.FakeTelegram, zalo_api.FakeZalo],
    channel: str,
) -> None:
    now = {"at": START}
    app.engine.clock = lambda: now["at"]
    async with person_on(channel, app, fakes) as person:
        driver: Driver = person
        for typed, expected in BEFORE:
            answer = await driver.say(typed)
            assert expected in answer, f"{channel}: {typed!r} got {answer!r}"
        now["at"] = START + timedelta(days=2)
        for typed, expected in AFTER_A_DAY:
            answer = await driver.say(typed)
            assert expected in answer, f"{channel}: {typed!r} got {answer!r}"
        if channel == "console":
            driver = ConsoleDriver(app)  # a new process: the step comes from the database
        for typed, expected in AFTER_A_RESTART:
            answer = await driver.say(typed)
            assert expected in answer, f"{channel}: {typed!r} got {answer!r}"
