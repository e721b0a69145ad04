"""Issue 16, must-show 3, on a frozen clock: a request made during quiet hours reaches the
helpers at 07:00, not before (the learner is told so); one nobody takes reaches the commune
staff after 2 hours of daytime, once; after 24 hours the learner is told, with the commune
office's hours and address. And a live conversation is not held back by quiet hours."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import App, build_app
from bot.channels.telegram import TelegramChannel
from bot.config import Settings, load_settings
from bot.core.engine import Engine
from bot.core.messages import Inbound, Kind, Reply
from bot.delivery import Dispatcher, Pace
from bot.quiet import QuietHours
from scheduler.calendar import WeeklySlot
from scheduler.jobs import Jobs
from tests.conftest import AREAS
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.test_roles import invite

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE = """
office_hours = "Thứ Hai đến thứ Sáu, 7:30–11:30 và 13:30–17:00"
office_address = "Số 1 đường Trung tâm, xã Tân Phú"
"""


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, day: int, hour: int, minute: int = 0) -> None:
        self.at = datetime(2026, 11, day, hour, minute, tzinfo=VN).astimezone(UTC)


class Person:
    """Someone on Telegram whose updates are fed to the engine directly (on the frozen
    clock), while what the dispatcher sends them arrives through the fake Bot API."""

    def __init__(self, engine: Engine, api: FakeTelegram, user_id: int, name: str):
        self.engine, self.api, self.id, self.name = engine, api, user_id, name
        self.last: list[Reply] = []

    async def send(self, kind: Kind, text: str, args: str = "") -> list[Reply]:
        inbound = Inbound(
            channel="telegram", user_id=str(self.id), chat_id=str(self.id), kind=kind,
            text=text, args=args, language_code="vi", name=self.name,
        )  # fmt: skip
        self.last = await self.engine.handle(inbound)
        return self.last

    async def onboard(self, village: int) -> None:
        await self.send(Kind.COMMAND, "start")
        await self.send(Kind.CHOICE, "lang:vi")
        await self.send(Kind.CHOICE, "consent:yes:vi")
        villages = [
            c.payload for r in self.last for c in r.choices if c.payload.startswith("village:")
        ]
        await self.send(Kind.CHOICE, villages[village])
        await self.send(Kind.CHOICE, "group:citizen")

    def text(self) -> str:
        return "\n".join(reply.text for reply in self.last)

    def received(self) -> list[str]:
        return [str(call.params.get("text")) for call in self.api.sent_to(self.id)]


async def settle(seconds: float = 0.4) -> None:
    await asyncio.sleep(seconds)


async def test_quiet_hours_then_staff_then_the_office(
    settings: Settings, api: FakeTelegram
) -> None:
    config = settings.config_file
    config.write_text(AREAS.replace('name = "Xã Tân Phú"\n', f'name = "Xã Tân Phú"\n{OFFICE}', 1))
    app = await build_app(load_settings(**settings.model_dump()))  # quiet hours 21:00-07:00
    clock = Clock(datetime.now(UTC))
    clock.set(23, 22, 0)  # Monday 23/11/2026, 22:00 in Vietnam
    engine = Engine(app.storage, app.catalog, clock=clock, options=app.engine.options,
                    services=app.engine.services)  # fmt: skip
    channel = TelegramChannel(engine, token=TOKEN, base_url=api.base_url)
    await channel.application.bot.initialize()
    dispatcher = Dispatcher(
        app.storage, {"telegram": channel}, {"telegram": Pace(rate=50, chat_interval=0.0)},
        tz=VN, quiet=QuietHours(), idle_poll=0.05, clock=clock,
    )  # fmt: skip
    jobs = Jobs(app.storage, app.catalog, tz=VN, weekly_slot=WeeklySlot.parse("mon 08:00"),
                clock=clock, quiet=QuietHours())  # fmt: skip
    try:
        await run(app, engine, api, clock, dispatcher, jobs)
    finally:
        await dispatcher.stop()
        await channel.application.bot.shutdown()
        await app.close()


async def run(
    app: App, engine: Engine, api: FakeTelegram, clock: Clock, dispatcher: Dispatcher, jobs: Jobs
) -> None:
    learner = Person(engine, api, 6101, "Lan")
    helpers = [Person(engine, api, 6201, "Hùng"), Person(engine, api, 6202, "Mai")]
    staff = Person(engine, api, 6401, "Cán bộ Hoa")
    for person in (learner, *helpers, staff):
        await person.onboard(0)
    for helper in helpers:
        await helper.send(Kind.COMMAND, "ma", args=await invite(app, "helper", village="Thôn 1"))
    await staff.send(Kind.COMMAND, "ma", args=await invite(app, "staff"))
    await dispatcher.start()

    await learner.send(Kind.CHOICE, "helpme")
    await learner.send(Kind.TEXT, "Làm sao đổi mật khẩu VNeID?")
    assert "ban đêm" in learner.text() and "lúc 07:00" in learner.text()  # when to expect it

    for moment in ((23, 22, 1), (24, 3, 0), (24, 6, 59)):
        clock.set(*moment)
        dispatcher.wake()
        await settle()
        assert all(helper.received() == [] for helper in helpers), moment
    clock.set(24, 7, 0)
    dispatcher.wake()
    await api.wait_for(lambda: all(helper.received() for helper in helpers))
    for helper in helpers:
        (offer,) = helper.received()
        assert "Có người nhờ giúp" in offer and "đổi mật khẩu VNeID" in offer

    # 2 hours of daytime, from 07:00: not at 08:59, at 09:00, and once.
    clock.set(24, 8, 59)
    assert await jobs.help_due() == []
    clock.set(24, 9, 0)
    (key,) = await jobs.help_due()
    assert key.endswith(":staff")
    assert await jobs.help_due() == []
    dispatcher.wake()
    await api.wait_for(lambda: staff.received())
    (escalated,) = staff.received()
    assert "đã 2 giờ chưa có ai nhận" in escalated and "Tôi nhận giúp" in escalated
    assert all(len(helper.received()) == 1 for helper in helpers)  # not offered twice

    # 24 hours after asking: the learner is told where to go, once; the request is closed.
    clock.set(24, 21, 59)
    assert await jobs.help_due() == []
    clock.set(24, 22, 0)
    (key,) = await jobs.help_due()
    assert key.endswith(":expired")
    assert await jobs.help_due() == []
    clock.set(25, 7, 0)  # the message waits for the morning, like every push
    dispatcher.wake()
    await api.wait_for(lambda: any("24 giờ" in t for t in learner.received()))
    (told,) = [t for t in learner.received() if "24 giờ" in t]
    assert "UBND Xã Tân Phú" in told and "7:30–11:30" in told and "Số 1 đường Trung tâm" in told
    staff_take = f"helper:take:{key.split(':')[1]}"
    await staff.send(Kind.CHOICE, staff_take)
    assert "không còn chờ nữa" in staff.text()


async def test_a_live_conversation_is_not_held_back_by_quiet_hours(
    settings: Settings, api: FakeTelegram
) -> None:
    app = await build_app(load_settings(**settings.model_dump()))
    clock = Clock(datetime.now(UTC))
    clock.set(23, 20, 50)
    engine = Engine(app.storage, app.catalog, clock=clock, options=app.engine.options,
                    services=app.engine.services)  # fmt: skip
    channel = TelegramChannel(engine, token=TOKEN, base_url=api.base_url)
    await channel.application.bot.initialize()
    dispatcher = Dispatcher(
        app.storage, {"telegram": channel}, {"telegram": Pace(rate=50, chat_interval=0.0)},
        tz=VN, quiet=QuietHours(), idle_poll=0.05, clock=clock,
    )  # fmt: skip
    try:
        learner, helper = Person(engine, api, 7101, "Lan"), Person(engine, api, 7201, "Hùng")
        for person in (learner, helper):
            await person.onboard(0)
        await helper.send(Kind.COMMAND, "ma", args=await invite(app, "helper", village="Thôn 1"))
        await dispatcher.start()
        await learner.send(Kind.CHOICE, "helpme")
        await learner.send(Kind.TEXT, "Giúp tôi cài VNeID")
        await api.wait_for(lambda: helper.received())
        request = pending_take(helper)
        await helper.send(Kind.CHOICE, f"helper:take:{request}")
        await api.wait_for(lambda: len(learner.received()) == 1)

        clock.set(23, 21, 10)  # quiet hours now; both wrote minutes ago
        await learner.send(Kind.TEXT, "Anh ơi tôi mở CH Play rồi")
        assert learner.last == []  # relayed, no note
        dispatcher.wake()
        await api.wait_for(lambda: len(helper.received()) == 2)
        await helper.send(Kind.TEXT, "Bác gõ VNeID vào ô tìm kiếm")
        dispatcher.wake()
        await api.wait_for(lambda: len(learner.received()) == 2)
        assert learner.received()[-1].endswith("Bác gõ VNeID vào ô tìm kiếm")

        clock.set(23, 22, 30)  # the helper has not written for 80 minutes: it waits
        await learner.send(Kind.TEXT, "Anh còn thức không?")
        assert "lúc 07:00" in learner.text()
        dispatcher.wake()
        await settle()
        assert len(helper.received()) == 2
    finally:
        await dispatcher.stop()
        await channel.application.bot.shutdown()
        await app.close()


def pending_take(person: Person) -> int:
    """The request id in the offer's button (the fake records the keyboard)."""
    call = person.api.sent_to(person.id)[-1]
    markup = call.params["reply_markup"]["inline_keyboard"]
    return int(markup[0][0]["callback_data"].rsplit(":", 1)[1])


def test_daytime_hours_skip_the_night() -> None:
    quiet = QuietHours()
    at = lambda d, h, m=0: datetime(2026, 11, d, h, m, tzinfo=VN)  # noqa: E731
    assert quiet.daytime(at(23, 22), at(24, 7), VN) == timedelta(0)
    assert quiet.daytime(at(23, 20), at(24, 8), VN) == timedelta(hours=2)
    assert quiet.daytime(at(23, 10), at(23, 12, 30), VN) == timedelta(hours=2, minutes=30)
    assert quiet.daytime(at(23, 20), at(25, 8), VN) == timedelta(hours=1 + 14 + 1)
    utc = datetime(2026, 11, 23, 15, tzinfo=UTC)  # 22:00 in Vietnam, given in UTC
    assert quiet.daytime(utc, utc + timedelta(hours=11), VN) == timedelta(hours=2)
    assert QuietHours(enabled=False).daytime(at(23, 22), at(24, 7), VN) == timedelta(hours=9)
