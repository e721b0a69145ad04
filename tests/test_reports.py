"""Reports on generated data with known answers: chat text, CSV, Excel cells, the chart."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.app import App
from bot.config import Commune, Village
from bot.exports import write_csv, write_png, write_xlsx
from bot.i18n import use_locale
from bot.reports import build_report, to_chat

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
# village: adults, learners, of whom finished the core lesson (demo-one), passed demo-two
DATA = {"Thôn A": (100, 10, 4, 2), "Thôn B": (200, 5, 5, 0), "Thôn C": (50, 3, 1, 3)}


@pytest.fixture
async def data(app: App) -> App:
    villages = [Village(name=name, adults=adults) for name, (adults, *_rest) in DATA.items()]
    await app.storage.sync_areas([Commune(name="Xã Tân Phú", villages=villages)])
    ids = {v.name: v.id for v in await app.storage.villages()}
    for name, (_adults, people, core, two) in DATA.items():
        for n in range(people):
            learner = await app.storage.create_learner(
                channel="test", user_id=f"{name}-{n}", chat_id=str(n), language="vi", now=NOW
            )
            learner.village_id, learner.group = ids[name], "citizen"
            await app.storage.update_learner(learner, NOW)
            for lesson, passed in (("demo-one", n < core), ("demo-two", n < two)):
                await app.storage.record_attempt(
                    learner_id=learner.id, lesson_id=lesson, version=1, score=2, total=2,
                    pass_mark=50, passed=passed, now=NOW,
                )  # fmt: skip
    return app


async def report(app: App, lang: str = "vi"):  # type: ignore[no-untyped-def]
    commune = await app.storage.commune_id("Xã Tân Phú")
    with use_locale(lang):
        return await build_report(
            app.storage, app.catalog, commune_id=commune, targets={2025: 80, 2026: 100},
            today=NOW.date(), title="Xã Tân Phú", place="Xã Tân Phú",
        )  # fmt: skip


async def test_numbers_and_chat_text(data: App) -> None:
    built = await report(data)
    rows = {row.village: row for row in built.rows}
    assert set(rows) == set(DATA)
    for name, (adults, people, core, two) in DATA.items():
        row = rows[name]
        assert (row.adults, row.learners, row.core_done) == (adults, people, core)
        assert row.lessons.get("demo-one", 0) == core and row.lessons.get("demo-two", 0) == two
    totals = built.totals
    assert (totals.adults, totals.learners, totals.core_done) == (350, 18, 10)
    with use_locale("vi"):
        text = to_chat(built)
    assert "Thôn A: 10 người học, 4 người xong lộ trình cơ bản = 4% người lớn" in text
    assert "Thôn C: 3 người học, 1 người xong lộ trình cơ bản = 2% người lớn" in text
    assert "Mục tiêu năm 2026: 100% người lớn." in text


async def test_csv_equals_the_counts(data: App, tmp_path: Path) -> None:
    path = write_csv(await report(data), tmp_path / "r.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    by_village = {row["village"]: row for row in rows}
    assert by_village["Thôn A"] == {
        "commune": "Xã Tân Phú", "village": "Thôn A", "adults": "100", "learners": "10",
        "completed_core": "4", "share_percent": "4.0", "pace_points_per_week": "",
        "projected": "", "late": "", "kept_core": "4", "registered_national": "0",
        "demo-one": "4", "demo-two": "2",
    }  # fmt: skip
    assert by_village["Thôn C"]["share_percent"] == "2.0"
    assert rows[-1]["commune"] == "Tổng cộng" and rows[-1]["learners"] == "18"


async def test_excel_cells_are_numbers_with_styles(data: App, tmp_path: Path) -> None:
    path = write_xlsx(await report(data), tmp_path / "r.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Theo thôn", "Theo bài học", "Theo tuần"]
    sheet = book["Theo thôn"]
    title = sheet["A1"].value
    assert "Xã Tân Phú" in title and "23/11/2026" in title and "100%" in title
    assert "A1:J1" in sheet.merged_cells
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["Xã", "Thôn", "Người lớn", "Người học", "Xong cơ bản"]
    assert sheet.freeze_panes == "A4"
    assert sheet["A3"].font.bold
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, max_row=7, values_only=True)}
    assert rows["Thôn B"][2:7] == (200, 5, 5, 0.025, 1.0)
    assert isinstance(rows["Thôn B"][2], int)
    assert sheet["C4"].number_format == "#,##0"  # thousands separators
    assert sheet["F5"].number_format == "0.0%"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    lessons = book["Theo bài học"]
    header = [c.value for c in lessons[3]]
    assert header == ["Xã", "Thôn", "B1", "B2"]  # short; the titles are in the legend
    totals = [c.value for c in lessons[7]]
    assert totals == ["Tổng cộng", None, 10, 5]
    legend = [row[0] for row in lessons.iter_rows(min_row=9, values_only=True)]
    assert "B1: Bài thử một" in legend and "B2: Bài thử hai" in legend
    assert max(lessons.column_dimensions[c].width for c in "ABCD") <= 28


async def test_chart_is_made_for_a_phone(data: App, tmp_path: Path) -> None:
    from bot.charts import TEXT_PX, village_chart

    built = await report(data)
    with use_locale("vi"):
        chart = village_chart(built)
        path = write_png(built, tmp_path / "r.png")
    assert [bar.name for bar in chart.bars] == ["Thôn A", "Thôn B", "Thôn C"]
    assert [bar.label for bar in chart.bars] == ["4%", "2,5%", "2%"]  # one decimal under 10%
    assert "Xã Tân Phú" in chart.title[0] and "23/11/2026" in chart.title[0]
    assert chart.title[2] == chart.target_label == "Mục tiêu 2026: 100%"
    assert TEXT_PX >= 28
    with Image.open(path) as image:
        width, height = image.size
    assert width >= 1080 and height > width / 3


async def test_report_cli_writes_xlsx_and_png(
    data: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from bot.cli import main

    settings = data.settings
    monkeypatch.setenv("HOCVUSO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("HOCVUSO_LESSONS_DIR", str(settings.lessons_dir))
    areas = '[[communes]]\nname = "Xã Tân Phú"\n' + "".join(
        f'[[communes.villages]]\nname = "{name}"\nadults = {adults}\n'
        for name, (adults, *_rest) in DATA.items()
    )
    (tmp_path / "areas.toml").write_text(areas, encoding="utf-8")
    monkeypatch.setenv("HOCVUSO_CONFIG", str(tmp_path / "areas.toml"))
    for fmt in ("xlsx", "png"):
        target = tmp_path / f"out.{fmt}"
        code = await asyncio.to_thread(
            main, ["report", "--format", fmt, "--commune", "Xã Tân Phú", "--output", str(target)]
        )
        assert code == 0 and target.stat().st_size > 1000
    weeks = tmp_path / "weeks.png"
    args = ["report", "--chart", "weeks", "--commune", "tan phu", "--output", str(weeks)]
    assert await asyncio.to_thread(main, args) == 0
    with Image.open(weeks) as image:
        assert image.size[0] >= 1080
    assert await asyncio.to_thread(main, ["report", "--format", "xlsx"]) == 2
    actions = [e.action for e in await data.storage.audit_entries()]
    assert actions.count("report_exported") == 3
