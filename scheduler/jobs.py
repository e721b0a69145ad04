"""What is pushed and to whom: weekly messages, 10/10 reminders, nudges.

Each job finds its most recent due time, and turns it into a push whose key names that
time; the key is unique in the database, so a job run twice (a restart, a late catch-up,
two processes) creates the push once. Delivery does the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.content import Catalog
from bot.core import helptexts
from bot.core.engine import utcnow
from bot.core.spacing import PUSH_EVERY
from bot.i18n import LANGUAGES, _, format_day, format_time, use_locale
from bot.quiet import QuietHours
from bot.reports import core_lessons
from bot.storage import Storage
from bot.storage.outbox import Audience, Marks
from scheduler.calendar import (
    HELP_GIVE_UP,
    HELP_TO_STAFF,
    NUDGE_AT,
    NUDGE_CATCH_UP,
    NUDGE_IDLE,
    WEEKLY_CATCH_UP,
    WeeklySlot,
    due_reminders,
    last_daily,
    recent_hours,
    rotation_index,
    week_key,
)

Slot = tuple[int, int] | str  # a learner's own (weekday, hour), or "default"
NO_NUDGE_AFTER_REVIEW = timedelta(days=1)  # a review invitation is reminder enough that day

log = logging.getLogger(__name__)


def _localized(make: Callable[[], str]) -> dict[str, str]:
    """The same UI text in every language."""
    texts = {}
    for lang in LANGUAGES:
        with use_locale(lang):
            texts[lang] = make()
    return texts


class Jobs:
    def __init__(
        self,
        storage: Storage,
        catalog: Catalog,
        *,
        tz: ZoneInfo,
        weekly_slot: WeeklySlot,
        clock: Callable[[], datetime] = utcnow,
        on_push: Callable[[], None] = lambda: None,
        quiet: QuietHours | None = None,
    ):
        self.storage = storage
        self.catalog = catalog
        self.tz = tz
        self.weekly_slot = weekly_slot
        self.clock = clock
        self.on_push = on_push
        self.quiet = quiet or QuietHours()
        self._seeded = False
        self._seen: set[str] = set()  # push keys known to exist

    async def run_due(self) -> list[str]:
        """Every job whose time has come and has not run yet; the keys of new pushes."""
        await self.snapshot()
        await self.seed_reviews()
        created = [
            *await self.weekly(),
            *await self.reminders(),
            *await self.reviews(),
            *await self.nudge(),
        ]
        created += await self.help_due()
        if created:
            self.on_push()
        return created

    async def _push(
        self,
        key: str,
        kind: str,
        content: dict[str, Any],
        audience: Audience,
        *,
        marks: Marks | None = None,
    ) -> list[str]:
        push_id = await self._create(key, kind, content, audience, marks)
        return [key] if push_id is not None else []

    async def _create(
        self,
        key: str,
        kind: str,
        content: dict[str, Any],
        audience: Audience,
        marks: Marks | None = None,
    ) -> int | None:
        """One push; queued for the end of quiet hours when it is created inside them. A key
        this process has already seen exists in the database: no transaction for it (the
        hourly runs look back two days, at every hour some learner chose)."""
        if key in self._seen:
            return None
        if len(self._seen) > 10_000:
            self._seen.clear()
        now = self.clock()
        push_id = await self.storage.create_push(
            key=key, kind=kind, content=content, audience=audience, now=now,
            due=self.quiet.until(now, self.tz), marks=marks,
        )  # fmt: skip
        self._seen.add(key)
        if push_id is not None:
            log.info("scheduler: queued %s", key)
        return push_id

    async def _own_hours(self, now: datetime, window: timedelta) -> list[datetime]:
        """The recent local hours that some learner chose for their pushes."""
        chosen = await self.storage.chosen_slots()
        return [h for h in recent_hours(now, window) if (h.weekday(), h.hour) in chosen]

    async def seed_reviews(self) -> int:
        """Once per start: the core questions of learners who passed a core lesson before
        reviews existed join their review queue."""
        if self._seeded:
            return 0
        core = set(core_lessons(self.catalog))
        questions = {x.id: len(x.quiz) for x in self.catalog.lessons if x.id in core}
        added = await self.storage.seed_core_reviews(questions, self.clock())
        self._seeded = True
        if added:
            log.info("scheduler: %d core questions joined review queues", added)
        return added

    async def snapshot(self) -> int:
        """This week's progress per village, for the report's pace: taken at the first run
        of the week (Monday just after midnight, or the first start after it), once; the
        rows of a week already taken are left as they are."""
        now = self.clock()
        week = week_key(now.astimezone(self.tz).date())
        added = await self.storage.take_snapshot(
            week=week, at=now, core_lessons=core_lessons(self.catalog)
        )
        if added:
            log.info("scheduler: progress snapshot %s taken (%d villages)", week, added)
        return added

    def weekly_content(self, slot: datetime) -> dict[str, Any] | None:
        messages = self.catalog.weekly.messages
        if not messages:
            return None
        message = messages[rotation_index(slot.date(), len(messages))]
        content: dict[str, Any] = {"text": {"vi": message.text.vi, "en": message.text.en}}
        if message.lesson and self.catalog.lesson(message.lesson):
            label = _localized(lambda: _("📖 Open this lesson"))
            content["choices"] = [{"label": label, "payload": f"open:{message.lesson}"}]
        return content

    async def weekly(self) -> list[str]:
        """The week's message from the rotation, and anything staff queued for the week: at
        the commune's slot, and at each hour learners chose for themselves."""
        now = self.clock().astimezone(self.tz)
        created = []
        slot = self.weekly_slot.last(now)
        if now - slot <= WEEKLY_CATCH_UP:
            created += await self._weekly_at(slot, "default", f"{slot:%Y-%m-%d}", "")
        for hour in await self._own_hours(now, WEEKLY_CATCH_UP):
            name = f"{hour:%Y-%m-%d %H}h"
            created += await self._weekly_at(hour, (hour.weekday(), hour.hour), name, f":{name}")
        return created

    async def _weekly_at(self, slot: datetime, who: Slot, name: str, extra: str) -> list[str]:
        """One slot's weekly push, to those who have not had this week's message yet (a
        learner who moves their time within a week gets it once)."""
        week = week_key(slot.date())
        audience = Audience(wants_weekly=True, slot=who, not_week=week)
        created = []
        main = None
        content = self.weekly_content(slot)
        if content is not None:
            main = await self._create(
                f"weekly:{name}", "weekly", content, audience, Marks(weekly_week=week)
            )
            created += [f"weekly:{name}"] if main is not None else []
        beside = Audience(same_as=main) if main is not None else audience
        for queued in await self.storage.queued_for(week):
            text = {"vi": queued.text, "en": queued.text}
            created += await self._push(
                f"weekly-extra:{queued.id}{extra}", "weekly", {"text": text}, beside
            )
        return created

    def review_content(self) -> dict[str, Any]:
        text = _localized(
            lambda: _(
                "🔁 Time for a short review: a few questions you have learned, so they stay "
                "with you. It takes two minutes."
            )
        )
        label = _localized(lambda: _("▶️ Start the review"))
        return {"text": text, "choices": [{"label": label, "payload": "review"}]}

    async def reviews(self) -> list[str]:
        """The weekly review invitation (at most three questions, at most once a week) to
        learners with questions due, in their slot, unless they stopped pushes or left the
        last three reminders unanswered."""
        now = self.clock().astimezone(self.tz)
        created = []
        slot = self.weekly_slot.last(now)
        if now - slot <= WEEKLY_CATCH_UP:
            created += await self._review_at(slot, "default", f"review:{slot:%Y-%m-%d}")
        for hour in await self._own_hours(now, WEEKLY_CATCH_UP):
            key = f"review:{hour:%Y-%m-%d %H}h"
            created += await self._review_at(hour, (hour.weekday(), hour.hour), key)
        return created

    async def _review_at(self, slot: datetime, who: Slot, key: str) -> list[str]:
        at = slot.astimezone(UTC)
        audience = Audience(
            wants_weekly=True, slot=who, attentive=True, reviews_due=at,
            review_before=at - PUSH_EVERY,
        )  # fmt: skip
        marks = Marks(reminder=True, review_slot=at)
        content = self.review_content()
        return await self._push(key, "review", content, audience, marks=marks)

    async def reminders(self) -> list[str]:
        """The 10/10 countdown, per commune, with its place and time in each language."""
        now = self.clock().astimezone(self.tz)
        due = due_reminders(now)
        if not due:
            return []
        templates = {message.when: message.text for message in self.catalog.weekly.event}
        events = await self.storage.events_for(now.year)
        if not events:
            log.warning(
                "scheduler: 10/10 reminders are due but no event is set (hocvuso event set)"
            )
        created = []
        for when, _start in due:
            template = templates.get(when)  # type: ignore[call-overload]
            if template is None:
                continue
            for event in events:
                local = event.starts_at.astimezone(self.tz)
                text = {}
                for lang in LANGUAGES:
                    with use_locale(lang):
                        details = {
                            "date": format_day(local.date()),
                            "time": format_time(local),
                            "place": event.place,
                        }
                        text[lang] = template.get(lang).format(**details)
                key = f"event:{now.year}:{when}:{event.commune_id}"
                audience = Audience(commune_id=event.commune_id, wants_weekly=True)
                created += await self._push(key, "reminder", {"text": text}, audience)
        return created

    async def nudge(self) -> list[str]:
        """A gentle word to learners idle for a week in the middle of a lesson; once a week,
        at 09:00 or in the learner's own slot; not the day a review invitation went, and not
        after three reminders left unanswered."""
        now = self.clock().astimezone(self.tz)
        text = _localized(
            lambda: _(
                "👋 You started a lesson last week and have not finished it yet. "
                "A few minutes are enough: tap below to go on."
            )
        )
        label = _localized(lambda: _("📚 Lessons"))
        content = {"text": text, "choices": [{"label": label, "payload": "lessons"}]}
        marks = Marks(reminder=True)
        created = []
        slot = last_daily(now, NUDGE_AT)
        if now - slot <= NUDGE_CATCH_UP:
            audience = self._nudged("default", self.clock())
            created += await self._push(
                f"nudge:{slot:%Y-%m-%d}", "nudge", content, audience, marks=marks
            )
        for hour in await self._own_hours(now, NUDGE_CATCH_UP):
            # An hour's slack: idle and unnudged since this slot a week ago, not a minute more.
            since = hour.astimezone(UTC) + timedelta(hours=1)
            audience = self._nudged((hour.weekday(), hour.hour), since)
            created += await self._push(
                f"nudge:{hour:%Y-%m-%d %H}h", "nudge", content, audience, marks=marks
            )
        return created

    @staticmethod
    def _nudged(who: Slot, at: datetime) -> Audience:
        return Audience(
            wants_weekly=True, inactive_since=at - NUDGE_IDLE, slot=who, attentive=True,
            no_review_since=at - NO_NUDGE_AFTER_REVIEW,
        )  # fmt: skip

    async def help_due(self) -> list[str]:
        """Nobody waits forever: a request no helper took within 2 hours of daytime goes to
        the commune staff; after 24 hours the learner is told, with the commune office's
        hours and address. Each step happens once (marked on the request in the same
        transaction as its message is queued); then what ended conversations relayed is
        forgotten."""
        now = self.clock()
        created = []
        staff_of: dict[int, list[int]] = {}  # per village, looked up once per run
        for request in await self.storage.waiting_help(now - HELP_GIVE_UP):
            if request.learner_id is None:
                continue
            if now - request.created_at >= HELP_GIVE_UP:
                office = await self.storage.commune_office(request.village_id)
                notice = helptexts.expired(request, office)
                if await self.storage.expire_help(request.id, now, [notice]):
                    created.append(notice.key)
            elif request.escalated_at is None and (
                self.quiet.daytime(request.waiting_since, now, self.tz) >= HELP_TO_STAFF
            ):
                if request.village_id not in staff_of:
                    staff_of[request.village_id] = await self.storage.staff_for(request.village_id)
                staff = tuple(i for i in staff_of[request.village_id] if i != request.learner_id)
                notice = helptexts.offer(self.catalog, request, staff, late=True)
                if await self.storage.escalate_help(request.id, now, [notice]) and staff:
                    created.append(notice.key)
        swept = await self.storage.sweep_help(now)
        if swept:
            log.info("scheduler: forgot what %d ended help conversations relayed", swept)
        if created:
            log.info("scheduler: %d help request(s) passed on", len(created))
        return created
