"""Issue 17, must-show 4 (the report part): per village, who finished the core path and who
keeps it up (no core review overdue by more than 60 days), and who registered on the
national platform; in the chat's /baocao, the text table, the CSV, Excel and the chart."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.app import App
from bot.charts import village_chart
from bot.exports import write_csv, write_xlsx
from bot.i18n import use_locale
from bot.reports import Report, build_report, to_chat, to_text
from tests.conftest import Chat

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)  # Monday 10:00 in Vietnam


class Clock:
    def __init__(self, moment: datetime):
        self.now = moment

    def __call__(self) -> datetime:
        return self.now


async def finish_core(app: App, user_id: str, village: int) -> Chat:
    chat = Chat(app.engine, user_id)
    await chat.onboard(village=village)
    await chat.tap("quiz:demo-one")
    await chat.tap("ans:demo-one:0:0")
    await chat.tap("ans:demo-one:1:1")
    return chat


async def report_at(app: App, moment: datetime) -> Report:
    with use_locale("vi"):
        return await build_report(
            app.storage, app.catalog, now=moment, tz=VN, targets={2026: 80, 2027: 100}
        )


def counts(report: Report) -> dict[str, tuple[int, int, int]]:
    """village → (finished the core path, keep it up, registered nationally)."""
    return {
        (row.village or "total"): (row.core_done, row.kept, row.national)
        for row in [*report.rows, report.totals]
    }


async def test_finished_and_kept_per_village(app: App, tmp_path: Path) -> None:
    clock = Clock(T0)
    app.engine.clock = clock
    reviewer = await finish_core(app, "a", village=0)
    await finish_core(app, "b", village=0)  # never reviews
    idle = Chat(app.engine, "c")
    await idle.onboard(village=0)  # never finishes
    national = await finish_core(app, "d", village=1)
    await national.tap("national:yes")

    month = await report_at(app, T0 + timedelta(days=30))
    assert counts(month) == {"Thôn 1": (2, 2, 0), "Thôn 2": (1, 1, 1), "total": (3, 3, 1)}

    clock.now = T0 + timedelta(days=40)  # learner a reviews from the menu
    await reviewer.tap("review")
    await reviewer.tap("rev:0:0")
    await reviewer.tap("rev:1:1")
    assert "Ôn xong: bác đúng 2/2 câu" in reviewer.text()

    later = T0 + timedelta(days=62)  # b's and d's reviews: due on day 1, overdue 61 days
    report = await report_at(app, later)
    assert counts(report) == {"Thôn 1": (2, 1, 0), "Thôn 2": (1, 0, 1), "total": (3, 1, 1)}

    with use_locale("vi"):
        chat = to_chat(report)
        table = to_text(report)
        chart = village_chart(report)
    assert "Thôn 1: 3 người học, 2 người xong lộ trình cơ bản" in chat
    assert "; 1 người duy trì ôn tập, 0 người đã đăng ký trên nền tảng quốc gia" in chat
    assert "Thôn 2: 1 người học, 1 người xong lộ trình cơ bản" in chat
    header, _rule, first, second, total = table.splitlines()[:5]

    def column(line: str, name: str) -> str:
        start = header.index(name)
        return line[start : start + max(len(name), 2)].strip()

    assert [column(row, "Duy trì") for row in (first, second, total)] == ["1", "0", "1"]
    assert [column(row, "ĐK quốc gia") for row in (first, second, total)] == ["0", "1", "1"]
    assert "Duy trì: trong số người đã học xong lộ trình cơ bản" in table
    assert [bar.kept for bar in chart.bars] == [0.1, 0.0]  # 1 of 800 adults, 0 of 650
    assert "Vạch đậm bên trong" in chart.note

    rows = {
        row["village"]: row
        for row in csv.DictReader(io.StringIO(write_csv(report, tmp_path / "r.csv").read_text(
            encoding="utf-8-sig"
        )))
    }  # fmt: skip
    assert (rows["Thôn 1"]["completed_core"], rows["Thôn 1"]["kept_core"]) == ("2", "1")
    assert (rows["Thôn 2"]["kept_core"], rows["Thôn 2"]["registered_national"]) == ("0", "1")

    with use_locale("vi"):
        sheet = load_workbook(write_xlsx(report, tmp_path / "r.xlsx"))["Theo thôn"]
    header_row = [cell.value for cell in sheet[3]]
    assert header_row[4] == "Xong cơ bản" and header_row[10:] == ["Duy trì", "ĐK quốc gia"]
    by_village = {r[1]: r for r in sheet.iter_rows(min_row=4, max_row=5, values_only=True)}
    assert by_village["Thôn 1"][4] == 2 and by_village["Thôn 1"][10:] == (1, 0)
    assert by_village["Thôn 2"][4] == 1 and by_village["Thôn 2"][10:] == (0, 1)


async def test_baocao_in_the_chat_shows_finished_and_kept(app: App) -> None:
    clock = Clock(T0)
    app.engine.clock = clock
    await finish_core(app, "a", village=0)
    commune = await app.storage.commune_id("Xã Tân Phú")
    await app.storage.create_invite(
        code="STAFF0017", role="staff", village_id=None, commune_id=commune,
        now=T0, expires_at=T0 + timedelta(days=7),
    )  # fmt: skip
    staff = Chat(app.engine, "staff")
    await staff.onboard()
    await staff.command("ma", "STAFF0017")
    assert app.engine.services is not None
    app.engine.services.reports.clock = lambda: T0 + timedelta(days=70)  # type: ignore[attr-defined]
    clock.now = T0 + timedelta(days=70)
    await staff.command("baocao")
    text = staff.last[0].text
    assert "Thôn 1: 2 người học, 1 người xong lộ trình cơ bản" in text
    assert "0 người duy trì ôn tập" in text  # finished, then never reviewed: not kept
