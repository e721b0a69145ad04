"""A report as files for the People's Committee: Excel (openpyxl), CSV, a chart (matplotlib)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.i18n import _
from bot.reports import Report, to_csv

HEADER_FILL = PatternFill("solid", fgColor="1F6E43")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FONT = Font(bold=True)


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[object]]) -> None:
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = TOTAL_FONT
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        longest = max([len(str(name)), *(len(str(row[index - 1])) for row in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 45)


def write_xlsx(report: Report, path: Path) -> Path:
    """Two sheets: per village against the target, and per village and lesson."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    everyone = [*report.rows, report.totals]
    header = [
        _("Commune"), _("Village"), _("Adults"), _("Learners"), _("Core path"),
        _("Share of adults"), _("Target"),
    ]  # fmt: skip
    rows: list[list[object]] = []
    for row in everyone:
        share = Report.share(row)
        rows.append([
            row.commune, row.village, row.adults, row.learners, row.core_done,
            share if share is not None else None, report.target / 100,
        ])  # fmt: skip
    _sheet(workbook, _("By village"), header, rows)
    sheet = workbook.worksheets[0]
    for cells in sheet.iter_rows(min_row=2, min_col=6, max_col=7):
        for cell in cells:
            cell.number_format = "0.0%"
    lesson_header = [_("Commune"), _("Village"), *(title for _id, title in report.lessons)]
    lesson_rows: list[list[object]] = [
        [row.commune, row.village, *(row.lessons.get(i, 0) for i, _t in report.lessons)]
        for row in everyone
    ]
    _sheet(workbook, _("By lesson"), lesson_header, lesson_rows)
    workbook.save(path)
    return path


def write_csv(report: Report, path: Path) -> Path:
    path.write_text(to_csv(report), encoding="utf-8-sig")  # a BOM so Excel reads UTF-8
    return path


def write_png(report: Report, path: Path) -> Path:
    """One bar per village: the share of adults who finished the core path, the target line."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    rows = [row for row in report.rows if row.village_id is not None]
    names = [row.village for row in rows]
    shares = [100 * (Report.share(row) or 0.0) for row in rows]
    size = (max(6.4, 1.5 + 0.9 * len(rows)), 4.0)
    figure, axes = plt.subplots(figsize=size, dpi=100, layout="constrained")
    bars = axes.bar(names, shares, color="#2e8b57")
    axes.axhline(report.target, color="#c0392b", linestyle="--", linewidth=1.5)
    axes.text(
        max(len(rows) - 0.5, 0.0), report.target, _("Target {year}: {target}%").format(
            year=report.year, target=report.target
        ),
        ha="right", va="bottom", color="#c0392b", fontsize=9,
    )  # fmt: skip
    axes.bar_label(bars, labels=[f"{share:.0f}%" for share in shares], fontsize=8)
    axes.set_ylim(0, max(105, *shares, report.target + 10))
    axes.set_ylabel(_("% of adults who finished the core path"))
    axes.set_title(report.title or _("Digital skills by village"), fontsize=11)
    axes.tick_params(axis="x", labelrotation=30 if len(rows) > 6 else 0, labelsize=9)
    figure.savefig(path, format="png")
    plt.close(figure)
    return path
