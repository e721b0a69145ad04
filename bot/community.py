"""Report figures for help from people and for families, per village: help requests, how
many were taken, the median time to take one, how many were resolved, the share of 👍;
learners brought in by a personal link or added on a relative's phone; households (chats)
with someone who finished the core path, against the village's household count when the
config gives one (``households = …``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import median

from bot.content import Catalog
from bot.figures import format_share
from bot.i18n import _, format_number
from bot.reports import Report, core_lessons
from bot.storage import Storage
from bot.storage.community import CommunityCounts


@dataclass
class CommunityReport:
    rows: list[CommunityCounts]
    totals: CommunityCounts


async def build_community(
    storage: Storage,
    catalog: Catalog,
    *,
    commune_id: int | None = None,
    households_done: Mapping[int, int] | None = None,
) -> CommunityReport:
    """Reads only. ``households_done`` per village: from a progress report of the same
    scope built just before (:func:`households_of`), so they are not counted twice."""
    rows = await storage.community_counts(core_lessons(catalog), commune_id, households_done)
    total = CommunityCounts(0, _("Total"), "", None)
    known = [row.households for row in rows]
    total.households = sum(h for h in known if h is not None) if any(known) else None
    for row in rows:
        for name in ("requests", "taken", "resolved", "thumbs_up", "thumbs_down", "by_link"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.on_phone += row.on_phone
        total.households_done += row.households_done
        total.take_seconds += row.take_seconds
    return CommunityReport(rows, total)


def households_of(report: Report) -> dict[int, int]:
    """The households with someone who finished the core path, per village, as the progress
    report counted them."""
    return {row.village_id: row.households_done for row in report.rows if row.village_id}


def minutes_to_take(row: CommunityCounts) -> float | None:
    """The median time from asking to a helper taking it, in minutes."""
    return round(median(row.take_seconds) / 60, 1) if row.take_seconds else None


def thumbs_up(row: CommunityCounts) -> float | None:
    rated = row.thumbs_up + row.thumbs_down
    return row.thumbs_up / rated if rated else None


def household_share(row: CommunityCounts) -> float | None:
    return row.households_done / row.households if row.households else None


CSV_HEADER = [
    "commune", "village", "help_requests", "help_taken", "median_minutes_to_take",
    "help_resolved", "thumbs_up_percent", "joined_by_link", "added_on_a_relatives_phone",
    "households_core_done", "households",
]  # fmt: skip


def _cells(row: CommunityCounts) -> list[object]:
    up = thumbs_up(row)
    minutes = minutes_to_take(row)
    return [
        row.commune, row.village, row.requests, row.taken, "" if minutes is None else minutes,
        row.resolved, "" if up is None else round(up * 100, 1), row.by_link, row.on_phone,
        row.households_done, "" if row.households is None else row.households,
    ]  # fmt: skip


def to_csv(report: CommunityReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in [*report.rows, report.totals]:
        writer.writerow(_cells(row))
    return out.getvalue()


def _minutes(row: CommunityCounts) -> str:
    minutes = minutes_to_take(row)
    return "–" if minutes is None else format_number(minutes)


def _households(row: CommunityCounts) -> str:
    done = format_number(row.households_done)
    if row.households is None:
        return done
    return f"{done}/{format_number(row.households)} ({format_share(household_share(row))})"


def to_text(report: CommunityReport) -> str:
    """A table for the terminal."""
    header = [
        _("Commune"), _("Village"), _("Requests"), _("Taken"), _("Min. to take"),
        _("Resolved"), "👍", _("By link"), _("On a phone"), _("Households"),
    ]  # fmt: skip
    body = [
        [
            row.commune,
            row.village,
            format_number(row.requests),
            format_number(row.taken),
            _minutes(row),
            format_number(row.resolved),
            format_share(thumbs_up(row)),
            format_number(row.by_link),
            format_number(row.on_phone),
            _households(row),
        ]
        for row in [*report.rows, report.totals]
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    note = _(
        "Requests for a person's help; taken by a helper; median minutes until taken; "
        "resolved (ended after a conversation); share of 👍 among rated ones. By link: "
        "learners who joined through someone's personal invite; on a phone: household "
        "members learning on a relative's phone. Households: chats with someone who "
        "finished the core path (of the village's households, when configured)."
    )
    return "\n".join([*lines, "", note]) + "\n"


def to_chat(report: CommunityReport) -> str:
    """Short lines for a phone, one per village with any figure, then the total."""
    lines = [_("🙋 Help from people and 👪 families:")]
    for row in [*report.rows, report.totals]:
        if row is not report.totals and not (
            row.requests or row.by_link or row.on_phone or row.households_done
        ):
            continue
        name = row.village or row.commune
        text = _(
            "{name}: {requests} help requests, {taken} taken (median {minutes} min), "
            "{resolved} resolved, 👍 {up}; {link} joined by a personal link, {phone} on a "
            "relative's phone; households with the core path done: {households}"
        ).format(
            name=name, requests=format_number(row.requests), taken=format_number(row.taken),
            minutes=_minutes(row), resolved=format_number(row.resolved),
            up=format_share(thumbs_up(row)), link=format_number(row.by_link),
            phone=format_number(row.on_phone), households=_households(row),
        )  # fmt: skip
        lines.append(text)
    return "\n".join(lines)
