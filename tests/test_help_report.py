"""Issue 16's report figures: households (chats) with someone who finished the core path,
against the village's household count from the config; in the staff's /baocao too."""

from __future__ import annotations

from bot.app import App
from bot.community import build_community, households_of, to_csv, to_text
from bot.config import Commune, Village
from bot.i18n import use_locale
from bot.reports import build_report
from tests.conftest import Chat
from tests.test_family import pass_core
from tests.test_roles import invite


async def test_households_count_chats_against_the_configured_number(app: App) -> None:
    villages = [
        Village(name="Thôn 1", adults=800, households=120),
        Village(name="Thôn 2", adults=650),
    ]
    await app.storage.sync_areas([Commune(name="Xã Tân Phú", villages=villages)])
    phone = Chat(app.engine, "hh-phone")
    await phone.onboard(village=0)
    await pass_core(phone.tap)
    await phone.tap("family:add")
    await phone.say("Bà Tư")
    await pass_core(phone.tap)  # two learners done on one phone: one household
    neighbour = Chat(app.engine, "hh-neighbour")
    await neighbour.onboard(village=0)
    await pass_core(neighbour.tap)
    started = Chat(app.engine, "hh-started")
    await started.onboard(village=0)  # joined, core path not done: not counted

    report = await build_community(app.storage, app.catalog)
    first, second = report.rows
    assert (first.village, first.households_done, first.households, first.on_phone) == (
        "Thôn 1",
        2,
        120,
        1,
    )
    assert (second.households_done, second.households) == (0, None)
    # /baocao takes them from the progress report's own pass: the same figures.
    progress = await build_report(app.storage, app.catalog)
    assert households_of(progress) == {first.village_id: 2, second.village_id: 0}
    again = await build_community(app.storage, app.catalog, households_done=households_of(progress))
    assert [row.households_done for row in again.rows] == [2, 0]
    with use_locale("vi"):
        assert "2/120 (1,6%)" in to_text(report)
    assert to_csv(report).splitlines()[1].endswith(",2,120")

    staff = Chat(app.engine, "hh-staff")
    await staff.onboard(village=1)
    await staff.command("ma", await invite(app, "staff"))
    await staff.command("baocao")
    text = staff.last[0].text
    assert "🙋 Nhờ người giúp và 👪 gia đình:" in text
    assert "số hộ có người học xong bài chính: 2/120 (1,6%)" in text
