"""What is pushed and to whom: weekly messages, 10/10 reminders, nudges.

Each job finds its most recent due time, and turns it into a push whose key names that
time; the key is unique in the database, so a job run twice (a restart, a late catch-up,
two processes) creates the push once. Delivery does the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.content import Catalog
from bot.core import helptexts
from bot.core.engine import utcnow
from bot.i18n import LANGUAGES, _, format_day, format_time, use_locale
from bot.quiet import QuietHours
from bot.reports import core_lessons
from bot.storage import Storage
from bot.storage.outbox import Audience
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
    rotation_index,
    week_key,
)

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

    async def run_due(self) -> list[str]:
        """Every job whose time has come and has not run yet; the keys of new pushes."""
        await self.snapshot()
        created = [*await self.weekly(), *await self.reminders(), *await self.nudge()]
        created += await self.help_due()
        if created:
            self.on_push()
        return created

    async def _push(
        self, key: str, kind: str, content: dict[str, Any], audience: Audience
    ) -> list[str]:
        push_id = await self.storage.create_push(
            key=key, kind=kind, content=content, audience=audience, now=self.clock()
        )
        if push_id is None:
            return []
        log.info("scheduler: queued %s", key)
        return [key]

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
        """The week's message from the rotation, and anything staff queued for the week."""
        now = self.clock().astimezone(self.tz)
        slot = self.weekly_slot.last(now)
        if now - slot > WEEKLY_CATCH_UP:
            return []
        audience = Audience(wants_weekly=True)
        created = []
        content = self.weekly_content(slot)
        if content is not None:
            created += await self._push(f"weekly:{slot:%Y-%m-%d}", "weekly", content, audience)
        for queued in await self.storage.queued_for(week_key(slot.date())):
            text = {"vi": queued.text, "en": queued.text}
            created += await self._push(
                f"weekly-extra:{queued.id}", "weekly", {"text": text}, audience
            )
        return created

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
        """A gentle word to learners idle for a week in the middle of a lesson; once a week."""
        now = self.clock().astimezone(self.tz)
        slot = last_daily(now, NUDGE_AT)
        if now - slot > NUDGE_CATCH_UP:
            return []
        text = _localized(
            lambda: _(
                "👋 You started a lesson last week and have not finished it yet. "
                "A few minutes are enough: tap below to go on."
            )
        )
        label = _localized(lambda: _("📚 Lessons"))
        content = {"text": text, "choices": [{"label": label, "payload": "lessons"}]}
        audience = Audience(wants_weekly=True, inactive_since=self.clock() - NUDGE_IDLE)
        return await self._push(f"nudge:{slot:%Y-%m-%d}", "nudge", content, audience)

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
