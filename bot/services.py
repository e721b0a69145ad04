"""The work the core asks for but does not do itself: report files, staff tools, and the
watcher that tells a village head how their announcement is going."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.community import build_community, households_of
from bot.community import to_chat as community_chat
from bot.config import Settings
from bot.content import Catalog
from bot.core.broadcast import progress_text
from bot.core.engine import utcnow
from bot.core.ports import ReportBundle
from bot.exports import write_csv, write_png, write_progress_png, write_xlsx
from bot.i18n import _, format_day, use_locale
from bot.reports import Report, build_report, to_chat
from bot.storage import Storage
from scheduler.calendar import week_key

log = logging.getLogger(__name__)


class ReportService:
    def __init__(
        self, storage: Storage, catalog: Catalog, settings: Settings, clock: Callable[[], datetime]
    ):
        self.storage = storage
        self.catalog = catalog
        self.settings = settings
        self.clock = clock

    async def report(
        self,
        commune_id: int,
        lang: str,
        village_id: int | None = None,
        *,
        per_lesson: bool = True,
    ) -> Report:
        """The commune's report in ``lang``; with ``village_id``, that village alone (its
        row, its weeks), as a village head sees it; ``per_lesson=False`` for what shows no
        lesson's passes (faster)."""
        names = {cid: name for name, cid in await self._communes()}
        commune = names.get(commune_id, "")
        with use_locale(lang):
            title = _("Bình dân học vụ số: {place}").format(place=commune)
            report = await build_report(
                self.storage,
                self.catalog,
                commune_id=commune_id,
                targets=self.settings.target_map,
                now=self.clock(),
                tz=self.settings.tz,
                title=title,
                place=commune,
                per_lesson=per_lesson,
            )
            if village_id is None:
                return report
            rows = [row for row in report.rows if row.village_id == village_id]
            place = ", ".join(name for name in (rows[0].village if rows else "", commune) if name)
            return Report(
                report.lessons, rows, report.core, report.target, report.year,
                _("Bình dân học vụ số: {place}").format(place=place), report.today, place,
                report.history,
            )  # fmt: skip

    async def _communes(self) -> list[tuple[str, int]]:
        found = []
        for name in await self.storage.commune_names():
            commune_id = await self.storage.commune_id(name)
            if commune_id is not None:
                found.append((name, commune_id))
        return found

    async def commune_report(self, commune_id: int, lang: str) -> ReportBundle:
        report = await self.report(commune_id, lang)
        folder = Path(tempfile.mkdtemp(prefix="hocvuso-report-"))
        stamp = self.clock().astimezone(self.settings.tz).strftime("%Y-%m-%d")
        with use_locale(lang):
            community = await build_community(
                self.storage,
                self.catalog,
                commune_id=commune_id,
                households_done=households_of(report),
            )
            text = to_chat(report) + "\n\n" + community_chat(community)
            files = [
                await asyncio.to_thread(write_xlsx, report, folder / f"baocao-{stamp}.xlsx"),
                write_csv(report, folder / f"baocao-{stamp}.csv"),
                await asyncio.to_thread(write_png, report, folder / f"bieudo-{stamp}.png"),
                await asyncio.to_thread(write_progress_png, report, folder / f"tiendo-{stamp}.png"),
            ]
        return ReportBundle(text, files)

    async def village_text(self, village_id: int, lang: str) -> str:
        commune_id = await self.storage.village_commune(village_id)
        if commune_id is None:
            return ""
        report = await self.report(commune_id, lang)
        row = next((r for r in report.rows if r.village_id == village_id), None)
        if row is None:
            return ""
        with use_locale(lang):
            single = Report(report.lessons, [row], report.core, report.target, report.year)
            lines = to_chat(single).splitlines()
            del lines[1]  # the total of one village is the village again
            for lesson_id, title in report.lessons:
                lines.append(f"• {title}: {row.lessons.get(lesson_id, 0)}")
        return "\n".join(lines)


class StaffService:
    def __init__(self, storage: Storage, settings: Settings):
        self.storage = storage
        self.settings = settings

    async def set_event(
        self, commune_id: int, place: str, starts_at: datetime, now: datetime
    ) -> None:
        await self.storage.set_event(
            commune_id=commune_id, place=place, starts_at=starts_at, now=now
        )

    async def queue_weekly(self, text: str, by: str, now: datetime) -> str:
        slot = self.settings.slot.next(now.astimezone(self.settings.tz))
        await self.storage.queue_weekly(
            week=week_key(slot.date()), text=text, created_by=by, now=now
        )
        return format_day(slot.date())


class AnnouncementWatcher:
    """Tells each village head how far their announcement has gone (at every quarter), then
    the summary. The messages are queued in the outbox, not sent from here, so a flood wait
    on them pauses the whole channel and a failed one is retried like any push."""

    QUARTERS = 4

    def __init__(
        self,
        storage: Storage,
        *,
        interval: float = 5.0,
        on_queue: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.storage = storage
        self.interval = interval
        self.on_queue = on_queue
        self.clock = clock
        self._reported: dict[int, int] = {}  # push -> last quarter queued (saves a query)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="announcement-watcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _loop(self) -> None:
        while True:
            try:
                await self.check()
            except Exception:
                log.exception("announcements: could not report progress")
            await asyncio.sleep(self.interval)

    async def check(self) -> None:
        queued = False
        for watched in await self.storage.announcements_to_watch():
            summary = (await self.storage.push_summaries([watched.push_id]))[0]
            counts = summary.counts
            sent = counts.get("sent", 0)
            quarter = sent * self.QUARTERS // max(summary.total, 1)
            if not summary.done and (
                quarter == 0 or quarter <= self._reported.get(watched.push_id, 0)
            ):
                continue
            with use_locale(watched.language):
                text = progress_text(
                    sent,
                    summary.total,
                    counts.get("unreachable", 0),
                    counts.get("failed", 0),
                    summary.done,
                )
            queued |= await self.storage.queue_notice(
                about=watched.push_id,
                step="done" if summary.done else f"q{quarter}",
                to=watched.creator_id,
                text=text,
                language=watched.language,
                now=self.clock(),
                final=summary.done,
            )
            if summary.done:
                self._reported.pop(watched.push_id, None)
            else:
                self._reported[watched.push_id] = quarter
        if queued:
            self.on_queue()
