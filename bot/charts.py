"""Charts for a phone screen: what to draw (pure data, tested) apart from drawing it.

Both pictures are 1080 px wide with no text under 28 px at that size, so they stay readable
when a commune office forwards them in a chat. Villages are horizontal bars in natural order
(30 fit, the picture grows downwards), each with its value and, when the weekly snapshots
allow, the month the target is reached at the recent pace (red when that is after the year's
end). The target line is labelled in a band of its own, where no bar can cover it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.figures import (
    floored_share,
    format_date,
    format_day_month,
    format_month,
    format_share,
)
from bot.i18n import _
from bot.ontrack import OnTrack
from bot.reports import Report

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_PX = 1080
DPI = 100
TEXT_PX = 30  # at least 28 px, the smallest text on the picture
TITLE_PX = 36
MARGIN_PX = 24
LINE = 1.3  # line height, in font sizes
PLOT_PX = 820
ROW_PX = 66  # one bar and its gap
GREEN, RED, GREY, INK = "#2e8b57", "#c0392b", "#7f8c8d", "#222222"
DARK_GREEN, DARK_RED = "#14532d", "#7b241c"  # the part that keeps it up


def _pt(px: float) -> float:
    """Matplotlib sizes fonts in points; the picture is measured in pixels."""
    return px * 72 / DPI


@dataclass(frozen=True)
class Bar:
    name: str
    percent: float  # as drawn (rounded down like the label), 0–100
    label: str  # the value, and the month the target is reached
    late: bool
    kept: float = 0.0  # percent of adults who finished the core path and keep it up


@dataclass(frozen=True)
class VillageChart:
    title: list[str]
    bars: list[Bar]  # top to bottom, in natural order
    target: float  # percent
    target_label: str
    note: str


@dataclass(frozen=True)
class ProgressChart:
    title: list[str]
    days: list[date]
    percents: list[float]
    target: float
    target_label: str
    projection: tuple[date, float] | None  # where the recent pace leads by the year's end
    projection_label: str
    late: bool
    end_label: str  # the projection's end: "31/12: 53%"
    note: str


def _place_and_day(report: Report) -> str:
    day = format_date(report.today) if report.today else str(report.year)
    return _("{place}, {date}").format(place=report.place or _("All communes"), date=day)


def _target_label(report: Report) -> str:
    return _("Target {year}: {target}%").format(year=report.year, target=report.target)


def bar_label(track: OnTrack) -> str:
    """ "45% → 3/2027" : the value, then when the target is reached at the recent pace."""
    value = format_share(track.share)
    if track.reached:
        return value + " ✓"
    if track.never:
        return value + " → " + _("never")
    if track.projected is not None:
        return f"{value} → {format_month(track.projected)}"
    return value


def village_chart(report: Report) -> VillageChart:
    bars = []
    for row in report.rows:
        if row.village_id is None:
            continue
        track = report.track(row)
        percent = 100 * floored_share(track.share) if track.share is not None else 0.0
        kept = 100 * floored_share(row.kept / row.adults) if row.adults else 0.0
        bars.append(Bar(row.village, percent, bar_label(track), track.late, min(kept, percent)))
    note = _(
        "→ month the target is reached at the pace of the last 4 weeks; red: after 31/12. "
        "Dark inner bar: those who keep it up, their reviews on time."
    )
    title = [_place_and_day(report), _("Adults who finished the core path"), _target_label(report)]
    return VillageChart(title, bars, float(report.target), _target_label(report), note)


def progress_chart(report: Report) -> ProgressChart:
    """The whole report's share week by week (snapshots, then today) and the pace ahead."""
    points = [p for p in report.weeks if p.share is not None]
    days = [p.day for p in points]
    percents = [100 * (p.share or 0.0) for p in points]
    track = report.track(report.totals)
    projection = None
    year_end = date(report.year, 12, 31)
    if track.pace is not None and not track.reached and report.today and points:
        if track.projected is not None and track.projected <= year_end:
            projection = (track.projected, float(report.target))
        elif year_end > report.today:
            weeks = (year_end - report.today).days / 7
            projection = (year_end, max(0.0, percents[-1] + 100 * track.pace * weeks))
    if track.reached:
        label = _("Target reached")
    elif track.never:
        label = _("Not reached at this pace: late")
    elif track.projected is not None:
        label = _("Target reached on {date} at this pace").format(date=format_date(track.projected))
        if track.late:
            label += " " + _("(late)")
    else:
        label = _("Not enough weeks yet to measure the pace")
    title = [_place_and_day(report), _("Adults who finished the core path, week by week")]
    note = _("Dashed: the pace of the last 4 weeks carried forward.")
    target_label = _target_label(report)
    end_label = ""
    if projection is not None:
        end_label = f"{format_day_month(projection[0])}: {format_share(projection[1] / 100)}"
    return ProgressChart(
        title, days, percents, float(report.target), target_label, projection, label,
        track.late, end_label, note,
    )  # fmt: skip


def _width(text: str, size_px: float, bold: bool = False) -> float:
    """How wide ``text`` is drawn, in pixels (measured in the font used)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font = FontProperties(size=_pt(size_px), weight="bold" if bold else "normal")
    points = TextToPath().get_text_width_height_descent(text, font, ismath=False)[0]
    return float(points) * DPI / 72


def fitted(lines: list[str], size_px: float, width_px: float, *, bold: bool = False) -> list[str]:
    """Lines broken between words where they would run wider than ``width_px`` (measured
    in the font drawn, so it holds for any language and any commune's name)."""
    out = []
    for line in lines:
        current = ""
        for word in re.findall(r"\([^)]*\)|\S+", line):  # "(trễ hạn)" stays whole
            trial = f"{current} {word}".strip()
            if current and _width(trial, size_px, bold) > width_px:
                out.append(current)
                current = word
            else:
                current = trial
        out.append(current)
    return out


def _page(
    heading: list[tuple[str, str, str]], note: str, plot_px: float, left_px: float
) -> tuple[Figure, Axes]:
    """A 1080 px wide figure laid out in pixels (no layout engine: faster, and nothing
    moves): heading lines (text, colour, weight) on top, the plot, the note at the bottom.
    A bare Figure, not pyplot: no global state, safe in the report's worker thread."""
    from matplotlib.figure import Figure

    width = WIDTH_PX - 2 * MARGIN_PX
    lines = [
        (line, colour, weight)
        for text, colour, weight in heading
        for line in fitted([text], TITLE_PX, width, bold=weight == "bold")
    ]
    notes = fitted([note], TEXT_PX, width)
    header = MARGIN_PX + LINE * TITLE_PX * len(lines) + 40
    footer = MARGIN_PX + LINE * TEXT_PX * len(notes) + 50
    height = header + plot_px + footer
    figure = Figure(figsize=(WIDTH_PX / DPI, height / DPI), dpi=DPI)
    plot_width = WIDTH_PX - left_px - MARGIN_PX
    axes = figure.add_axes(
        (left_px / WIDTH_PX, footer / height, plot_width / WIDTH_PX, plot_px / height)
    )
    y = height - MARGIN_PX
    for line, colour, weight in lines:
        figure.text(MARGIN_PX / WIDTH_PX, y / height, line, va="top", ha="left",
                    fontsize=_pt(TITLE_PX), fontweight=weight, color=colour)  # fmt: skip
        y -= LINE * TITLE_PX
    figure.text(MARGIN_PX / WIDTH_PX, MARGIN_PX / height, "\n".join(notes), va="bottom",
                ha="left", fontsize=_pt(TEXT_PX), color=GREY)  # fmt: skip
    return figure, axes


def draw_villages(chart: VillageChart, path: Path) -> Path:
    rows = len(chart.bars) + 1  # a band above the bars for the target's label
    left = MARGIN_PX + 16 + max((_width(bar.name, TEXT_PX) for bar in chart.bars), default=0)
    heading = [(line, INK, "normal") for line in chart.title]
    figure, axes = _page(heading, chart.note, ROW_PX * rows, left)
    text = _pt(TEXT_PX)
    names = [bar.name for bar in chart.bars]
    positions = list(range(1, rows))
    colours = [RED if bar.late else GREEN for bar in chart.bars]
    axes.barh(positions, [bar.percent for bar in chart.bars], height=0.7, color=colours)
    inner = [DARK_RED if bar.late else DARK_GREEN for bar in chart.bars]
    axes.barh(positions, [bar.kept for bar in chart.bars], height=0.3, color=inner)
    axes.set_yticks(positions, names, fontsize=text)
    axes.set_ylim(rows - 0.5, -0.6)
    right = max(100.0, chart.target, *(bar.percent for bar in chart.bars)) * 1.02
    axes.set_xlim(0, right)
    for y, bar in zip(positions, chart.bars, strict=True):
        inside = bar.percent > right * 0.55
        axes.text(
            bar.percent - right * 0.01 if inside else bar.percent + right * 0.01, y, bar.label,
            va="center", ha="right" if inside else "left", fontsize=text,
            color="white" if inside else (RED if bar.late else INK), fontweight="bold",
        )  # fmt: skip
    axes.axvline(chart.target, color=RED, linestyle="--", linewidth=3)
    left_side = chart.target > right * 0.5
    axes.text(
        chart.target + (-1 if left_side else 1) * right * 0.01, 0, chart.target_label,
        va="center", ha="right" if left_side else "left", fontsize=text, color=RED,
        fontweight="bold",
    )  # fmt: skip
    axes.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    figure.savefig(path, format="png", dpi=DPI)
    return path


def draw_progress(chart: ProgressChart, path: Path) -> Path:
    """The title, then the projection in its own colour (red when late), the plot, and the
    note at the bottom."""
    from matplotlib.dates import AutoDateLocator, date2num
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    heading = [(line, INK, "normal") for line in chart.title]
    heading.append((chart.projection_label, RED if chart.late else GREEN, "bold"))
    figure, axes = _page(heading, chart.note, PLOT_PX, 130)  # 130 px: room for "100%"
    text = _pt(TEXT_PX)
    axes.plot(
        date2num(chart.days), chart.percents, color=GREEN, linewidth=4, marker="o", markersize=10
    )
    if chart.projection is not None and chart.days:
        end_day, end_value = chart.projection
        axes.plot(
            date2num([chart.days[-1], end_day]), [chart.percents[-1], end_value],
            color=GREEN, linewidth=3, linestyle="--",
        )  # fmt: skip
        if end_value < chart.target:  # the year ends first: say where the pace leads by then
            axes.annotate(
                chart.end_label, (date2num(end_day), end_value), xytext=(0, 14),
                textcoords="offset pixels", ha="right", va="bottom", fontsize=text, color=GREEN,
                fontweight="bold",
            )  # fmt: skip
    axes.axhline(chart.target, color=RED, linestyle="--", linewidth=3)
    axes.set_ylim(0, max(100.0, chart.target) * 1.15)
    first = chart.days[0] if chart.days else date.today()
    last = chart.projection[0] if chart.projection else (chart.days[-1] if chart.days else first)
    room = timedelta(days=max(3, (last - first).days * 0.07))  # the last tick's label fits
    axes.set_xlim(date2num(first - room), date2num(last + room))
    axes.annotate(
        chart.target_label, (0.01, chart.target), xycoords=axes.get_yaxis_transform(),
        xytext=(0, 8), textcoords="offset pixels", va="bottom", ha="left", fontsize=text,
        color=RED, fontweight="bold",
    )  # fmt: skip
    axes.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    axes.xaxis.set_major_locator(AutoDateLocator(maxticks=5))
    axes.xaxis.set_major_formatter(FuncFormatter(_day_tick))
    axes.tick_params(labelsize=text)
    axes.grid(axis="y", color="#dddddd")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.savefig(path, format="png", dpi=DPI)
    return path


def _day_tick(value: float, _position: object) -> str:
    from matplotlib.dates import num2date

    return format_day_month(num2date(value).date())
