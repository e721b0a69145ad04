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
            year=2026, title="Xã Tân Phú",
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
    assert "Mục tiêu năm 2026: 100% người lớn." in text


async def test_csv_equals_the_counts(data: App, tmp_path: Path) -> None:
    path = write_csv(await report(data), tmp_path / "r.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    by_village = {row["village"]: row for row in rows}
    assert by_village["Thôn A"] == {
        "commune": "Xã Tân Phú", "village": "Thôn A", "adults": "100", "learners": "10",
        "completed_core": "4", "share_percent": "4.0", "demo-one": "4", "demo-two": "2",
    }  # fmt: skip
    assert by_village["Thôn C"]["share_percent"] == "2.0"
    assert rows[-1]["commune"] == "Tổng cộng" and rows[-1]["learners"] == "18"


async def test_excel_cells_are_numbers_with_styles(data: App, tmp_path: Path) -> None:
    path = write_xlsx(await report(data), tmp_path / "r.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Theo thôn", "Theo bài học"]
    sheet = book["Theo thôn"]
    assert [c.value for c in sheet[1]][:5] == [
        "Xã",
        "Thôn",
        "Người lớn",
        "Người học",
        "Học xong lộ trình cơ bản",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Thôn B"][2:7] == (200, 5, 5, 0.025, 1.0)
    assert isinstance(rows["Thôn B"][2], int)
    assert sheet["F3"].number_format == "0.0%"
    assert sheet.column_dimensions["B"].width >= 8
    lessons = book["Theo bài học"]
    header = [c.value for c in lessons[1]]
    assert header == ["Xã", "Thôn", "Bài thử một", "Bài thử hai"]
    totals = [c.value for c in lessons[lessons.max_row]]
    assert totals == ["Tổng cộng", None, 10, 5]


async def test_chart_has_one_bar_per_village(data: App, tmp_path: Path) -> None:
    path = write_png(await report(data), tmp_path / "r.png")
    image = Image.open(path).convert("RGB")
    width, height = image.size
    assert width >= 400 and height >= 300
    green = (46, 139, 87)
    best = 0
    for y in range(height // 2, height):  # scan rows in the lower half for green bar runs
        runs, inside = 0, False
        for x in range(width):
            is_green = image.getpixel((x, y)) == green
            runs += is_green and not inside
            inside = is_green
        best = max(best, runs)
    assert best == len(DATA)


async def test_report_cli_writes_xlsx_and_png(
    data: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from bot.cli import main

    settings = data.settings
    monkeypatch.setenv("HOCVUSO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("HOCVUSO_LESSONS_DIR", str(settings.lessons_dir))
    monkeypatch.setenv("HOCVUSO_CONFIG", str(tmp_path / "none.toml"))
    for fmt in ("xlsx", "png"):
        target = tmp_path / f"out.{fmt}"
        code = await asyncio.to_thread(
            main, ["report", "--format", fmt, "--commune", "Xã Tân Phú", "--output", str(target)]
        )
        assert code == 0 and target.stat().st_size > 1000
    assert await asyncio.to_thread(main, ["report", "--format", "xlsx"]) == 2
    actions = [e.action for e in await data.storage.audit_entries()]
    assert actions.count("report_exported") == 2
