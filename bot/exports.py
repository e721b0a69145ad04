"""A report as files for the People's Committee: Excel (openpyxl), CSV, charts (bot/charts.py).

The Excel file is meant to be forwarded as is: a title row naming the commune, the date and
the target; thousands separators; short column headers explained under the table; landscape
and one page wide when printed; a sheet per view (villages, lessons, weeks).
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.figures import floored_share, format_date, format_share
from bot.i18n import _, current_language
from bot.reports import Report, kept_note, projection_text, to_csv

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

GREEN, RED = "1F6E43", "B03A2E"
COUNT = "#,##0"  # Excel shows the reader's own thousands separator
SHARE = "0.0%"
POINTS = "+0.0;-0.0;0.0"
HEADER_ROW = 3


def _date_format() -> str:
    return "d mmm yyyy" if current_language() == "en" else "dd/mm/yyyy"


def report_heading(report: Report) -> str:
    """Commune, date and target in one line: the first row of every sheet."""
    day = format_date(report.today) if report.today else str(report.year)
    return _("Digital skills ({place}), {date}: target for {year} is {target}% of adults").format(
        place=report.place or _("all communes"), date=day, year=report.year, target=report.target
    )


def _sheet(
    book: Any,
    title: str,
    report: Report,
    header: list[str],
    rows: list[list[Any]],
    formats: dict[int, str],
) -> Worksheet:
    """Title row, header, rows (the last one bold: the total), print set-up."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet: Worksheet = book.create_sheet(title[:31])
    sheet.append([])
    sheet.append([])
    sheet.append(header)
    for cell in sheet[HEADER_ROW]:
        cell.fill = PatternFill("solid", fgColor=GREEN)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in rows:
        sheet.append(row)
        for column, number_format in formats.items():
            sheet.cell(sheet.max_row, column).number_format = number_format
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    for index, name in enumerate(header, start=1):
        longest = max([len(str(name)), *(len(_shown(row[index - 1])) for row in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 7), 28)
    _wide_row(sheet, 1, report_heading(report), len(header), Font(bold=True, size=14))
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    return sheet


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return "100.0%"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return "00/00/0000"
    return str(value or "")


def _wide_row(sheet: Worksheet, row: int, text: str, columns: int, font: Any) -> None:
    """A line of text across the table's width, wrapped, so it prints on the page too."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    cell = sheet.cell(row, 1, text)
    cell.font = font
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if columns > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    width = sum(
        sheet.column_dimensions[get_column_letter(n)].width or 8 for n in range(1, columns + 1)
    )
    scale = (font.size or 11) / 11
    lines = max(1, math.ceil(len(text) * scale / max(width - 2, 1)))
    sheet.row_dimensions[row].height = 15 * scale * lines + 4


def _notes(sheet: Worksheet, columns: int, lines: list[str]) -> None:
    """Explanations under the table (after an empty row), one per row, across its width."""
    from openpyxl.styles import Font

    first = sheet.max_row + 2
    for offset, line in enumerate(lines):
        _wide_row(sheet, first + offset, line, columns, Font(italic=True))


def _bold_last(sheet: Worksheet, columns: int) -> None:
    from openpyxl.styles import Font

    for column in range(1, columns + 1):
        sheet.cell(sheet.max_row, column).font = Font(bold=True)


def _excel_share(share: float | None) -> float | None:
    """Rounded down to the 0.1 point the cell shows, like every share in the report."""
    return floored_share(share, decimal=True) if share is not None else None


def _late_word(report: Report, row: Any) -> str:
    track = report.track(row)
    if track.reached:
        return _("reached")
    if track.late:
        return _("late")
    return _("on time") if track.projected else ""


def _villages(book: Any, report: Report) -> None:
    from openpyxl.styles import Font

    header = [
        _("Commune"), _("Village"), _("Adults"), _("Learners"), _("Core done"), _("Share"),
        _("Target"), _("Pace"), _("Target by"), _("On time?"), _("Kept"), _("National"),
    ]  # fmt: skip
    rows: list[list[Any]] = []
    for row in [*report.rows, report.totals]:
        track = report.track(row)
        rows.append([
            row.commune, row.village, row.adults, row.learners, row.core_done,
            _excel_share(Report.share(row)), report.target / 100,
            round(track.pace * 100, 1) if track.pace is not None else None,
            track.projected, _late_word(report, row), row.kept, row.national,
        ])  # fmt: skip
    formats = {
        3: COUNT, 4: COUNT, 5: COUNT, 6: SHARE, 7: SHARE, 8: POINTS, 9: _date_format(),
        11: COUNT, 12: COUNT,
    }  # fmt: skip
    sheet = _sheet(book, _("By village"), report, header, rows, formats)
    _bold_last(sheet, len(header))
    for cells in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=10, max_col=10):
        for cell in cells:
            if cell.value in (_("late"),):
                cell.font = Font(bold=True, color=RED)
    _notes(sheet, len(header), [
        _("Core done: learners who finished every lesson of the core path; share: of the "
          "adults."),
        _("Pace: points of % gained per week over the last 4 weeks (weekly snapshots)."),
        _("Target by: the day the {target}% is reached at that pace; late after "
          "31/12/{year}.").format(target=report.target, year=report.year),
        kept_note(),
    ])  # fmt: skip


def lesson_code(number: int) -> str:
    return _("L{number}").format(number=number)


def _lessons(book: Any, report: Report) -> None:
    codes = [lesson_code(n) for n in range(1, len(report.lessons) + 1)]
    header = [_("Commune"), _("Village"), *codes]
    rows: list[list[Any]] = [
        [row.commune, row.village, *(row.lessons.get(i, 0) for i, _t in report.lessons)]
        for row in [*report.rows, report.totals]
    ]
    formats = {column: COUNT for column in range(3, len(header) + 1)}
    sheet = _sheet(book, _("By lesson"), report, header, rows, formats)
    _bold_last(sheet, len(header))
    legend = [f"{code}: {title}" for code, (_id, title) in zip(codes, report.lessons, strict=True)]
    _notes(sheet, len(header), [_("Learners who passed each lesson:"), *legend])


def _weeks(book: Any, report: Report) -> None:
    header = [_("Week of"), _("Adults"), _("Core done"), _("Share"), _("Target")]
    rows: list[list[Any]] = [
        [p.day, p.adults, p.done, _excel_share(p.share), report.target / 100] for p in report.weeks
    ]
    formats = {1: _date_format(), 2: COUNT, 3: COUNT, 4: SHARE, 5: SHARE}
    sheet = _sheet(book, _("By week"), report, header, rows, formats)
    track = report.track(report.totals)
    summary = _("Now: {share} of adults; target reached: {when}.").format(
        share=format_share(track.share), when=projection_text(track)
    )
    _notes(sheet, len(header), [summary, _("One row per weekly snapshot; the last row is today.")])


def write_xlsx(report: Report, path: Path) -> Path:
    """Three sheets: per village against the target and on track or not, per village and
    lesson, and the whole report week by week."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    _villages(book, report)
    _lessons(book, report)
    _weeks(book, report)
    book.save(path)
    return path


def write_csv(report: Report, path: Path) -> Path:
    path.write_text(to_csv(report), encoding="utf-8-sig")  # a BOM so Excel reads UTF-8
    return path


def write_png(report: Report, path: Path) -> Path:
    """Bars per village for a phone screen (bot/charts.py)."""
    from bot.charts import draw_villages, village_chart

    return draw_villages(village_chart(report), path)


def write_progress_png(report: Report, path: Path) -> Path:
    """The report's share week by week against the target line (bot/charts.py)."""
    from bot.charts import draw_progress, progress_chart

    return draw_progress(progress_chart(report), path)
