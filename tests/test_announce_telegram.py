"""A village head announces through the real Telegram channel, the outbox and the watcher."""

from __future__ import annotations

import asyncio

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.delivery import Dispatcher, Pace
from bot.quiet import QuietHours
from bot.services import AnnouncementWatcher
from tests.fakes.telegram_api import TOKEN, FakeTelegram, TelegramUser
from tests.test_roles import invite


async def onboard(user: TelegramUser, village: str) -> None:
    user.send("/start")
    await user.replies()
    user.tap("lang:vi")
    await user.replies()
    user.tap("consent:yes:vi")
    _thanks, ask = await user.replies(2)
    (data,) = [d for label, d in user.buttons(ask) if label == village]
    user.tap(data)
    await user.replies()
    user.tap("group:citizen")
    await user.replies()


async def test_announcement_reaches_only_the_village_with_progress_and_summary(
    app: App, api: FakeTelegram
) -> None:
    channel = TelegramChannel(app.engine, token=TOKEN, base_url=api.base_url, poll_timeout=1)
    dispatcher = Dispatcher(
        app.storage, {"telegram": channel}, {"telegram": Pace(rate=50)},
        tz=app.settings.tz, quiet=QuietHours(enabled=False), idle_poll=0.05,
    )  # fmt: skip
    app.doorbell.listen(dispatcher.wake)
    watcher = AnnouncementWatcher(app.storage, interval=0.1, on_queue=dispatcher.wake)
    await channel.start()
    await dispatcher.start()
    await watcher.start()
    try:
        head = TelegramUser(api, 9000)
        here = [TelegramUser(api, 9001), TelegramUser(api, 9002)]
        there = TelegramUser(api, 9100)
        for user in (head, *here):
            await onboard(user, "Thôn 1")
        await onboard(there, "Thôn 2")
        head.send(f"/start {await invite(app, 'village_head', village='Thôn 1')}")
        (welcome,) = await head.replies()
        assert "trưởng thôn Thôn 1" in welcome.params["text"]

        head.send("/thongbao")
        await head.replies()
        head.send("Sáng mai 8h tổ công nghệ số đến nhà văn hoá hướng dẫn cài VNeID.")
        (preview,) = await head.replies()
        assert "Sẽ gửi tới 3 người học ở Thôn 1" in preview.params["text"]
        (send,) = [d for _label, d in head.buttons(preview) if d.startswith("ann:send:")]
        head.tap(send)
        await head.replies()  # "Đang gửi tới 3 người học"
        texts = []
        while not any("Đã gửi xong" in t for t in texts):
            (message,) = await head.replies()
            texts.append(message.params["text"])
        assert any("Đã gửi xong thông báo: gửi được 3" in t for t in texts)
        for user in here:
            (notice,) = await user.replies()
            assert notice.params["text"].startswith("Sáng mai 8h")
        await asyncio.sleep(0.3)
        assert len(there.messages()) == there.seen  # nothing reached Thôn 2

        head.send("/thongbao")  # the second one with a picture
        await head.replies()
        head.send_photo("Lịch tiêm chủng tháng 12 ở trạm y tế xã.", file_id="AgAD-lich")
        (preview,) = await head.replies()
        assert "kèm ảnh" in preview.params["text"]
        (send,) = [d for _label, d in head.buttons(preview) if d.startswith("ann:send:")]
        head.tap(send)
        for user in here:
            (notice,) = await user.replies()
            assert notice.method == "sendPhoto"
            assert notice.params["photo"] == "AgAD-lich"
            assert notice.params["caption"].startswith("Lịch tiêm chủng")

        there.send("/thongbao")  # a citizen is refused and nothing is queued
        (refusal,) = await there.replies()
        assert "Chỉ trưởng thôn" in refusal.params["text"]
        assert len(await app.storage.push_summaries()) == 2
    finally:
        await watcher.stop()
        await dispatcher.stop()
        await channel.stop()
