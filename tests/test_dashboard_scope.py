"""Issue 18, must-show 2 (what a session sees), over real HTTP against the real web app:
staff of one commune cannot see another by changing the address, a village head sees their
village only, no chat id appears on any page or in any file, and the lessons and pushes
pages count the right things."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import httpx
import sqlalchemy as sa
from openpyxl import load_workbook

from bot.app import App
from bot.config import Commune, Village
from bot.core.engine import utcnow
from bot.storage.outbox import Audience
from bot.storage.schema import help_requests
from tests.conftest import Chat
from tests.dashboard_helpers import head_chat, link_from_chat, log_in, running, staff_chat
from tests.progress_seed import learner
from tests.test_roles import invite

OTHER = "Xã Bình An"


async def two_communes(app: App) -> dict[str, int]:
    """Xã Tân Phú (Thôn 1, Thôn 2) and Xã Bình An (Ấp Mới, Thôn 9); village ids by name."""
    await app.storage.sync_areas(
        [
            Commune(name="Xã Tân Phú", villages=[
                Village(name="Thôn 1", adults=800), Village(name="Thôn 2", adults=650),
            ]),
            Commune(name=OTHER, villages=[
                Village(name="Ấp Mới", adults=300), Village(name="Thôn 9", adults=200),
            ]),
        ]
    )  # fmt: skip
    return {v.name: v.id for v in await app.storage.villages()}


async def _learner(app: App, user: str, village: str) -> Chat:
    chat = Chat(app.engine, user_id=user)
    await chat.onboard()
    learner = await app.storage.get_learner("test", user)
    assert learner is not None
    villages = {v.name: v.id for v in await app.storage.villages()}
    learner.village_id = villages[village]
    await app.storage.update_learner(learner, utcnow())
    return chat


async def test_staff_of_one_commune_cannot_see_another_by_changing_the_address(
    app: App,
) -> None:
    villages = await two_communes(app)
    mine = await app.storage.commune_id("Xã Tân Phú")
    other = await app.storage.commune_id(OTHER)
    for n in range(3):
        await _learner(app, f"binh-an-{n}", "Ấp Mới")
    async with running(app) as base:
        link = await link_from_chat(await staff_chat(app))
        async with httpx.AsyncClient(base_url=base) as client:
            home = (await log_in(client, link)).headers["location"]
            assert home == f"/dashboard/c/{mine}/"
            page = await client.get(home)
            assert page.status_code == 200
            assert OTHER not in page.text and "Ấp Mới" not in page.text
            theirs = [f"/dashboard/c/{other}", f"/dashboard/c/{other}/v/{villages['Ấp Mới']}"]
            theirs += [f"/dashboard/c/{mine}/v/{villages['Ấp Mới']}"]  # their village, my commune
            theirs += ["/dashboard/c/99999", f"/dashboard/c/{mine}/v/99999"]
            for scope in theirs:
                for page_name in ("/", "/lessons", "/pushes", "/baocao.xlsx", "/baocao.csv",
                                  "/bieudo.png", "/tiendo.png"):  # fmt: skip
                    response = await client.get(scope + page_name)
                    assert response.status_code == 403, scope + page_name
                    assert OTHER not in response.text and "Ấp Mới" not in response.text
                    assert "content-disposition" not in response.headers
            mine_only = await client.get(f"/dashboard/c/{mine}/v/{villages['Thôn 2']}/lessons")
            assert mine_only.status_code == 200  # staff may look at one of their villages
    refused = [e for e in await app.storage.audit_entries() if e.action == "report_exported"]
    assert all(f"commune {other}" not in e.detail for e in refused)


async def test_a_village_head_sees_only_their_village(app: App) -> None:
    villages = await two_communes(app)
    commune = await app.storage.commune_id("Xã Tân Phú")
    await _learner(app, "neighbour", "Thôn 2")
    async with running(app) as base:
        head = await head_chat(app, "Thôn 1")
        link = await link_from_chat(head)
        async with httpx.AsyncClient(base_url=base) as client:
            home = (await log_in(client, link)).headers["location"]
            assert home == f"/dashboard/c/{commune}/v/{villages['Thôn 1']}/"
            for path in (f"/dashboard/c/{commune}/", f"/dashboard/c/{commune}/lessons",
                         f"/dashboard/c/{commune}/v/{villages['Thôn 2']}/",
                         f"/dashboard/c/{commune}/baocao.csv"):  # fmt: skip
                assert (await client.get(path)).status_code == 403, path
            csv = await client.get(home + "baocao.csv")
            assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
            lines = csv.content.decode("utf-8-sig").splitlines()
            assert [line.split(",")[1] for line in lines[1:-1]] == ["Thôn 1"]


async def test_no_chat_id_appears_on_any_page_or_in_any_file(app: App) -> None:
    """Learners with chat ids that would stand out; every page, every file, both languages."""
    await two_communes(app)
    ids = ["771234567890", "9f3a7c1e5b2d4a68", "55512345", "zl-4c8e2a"]
    for n, user in enumerate(ids[1:]):
        chat = await _learner(app, user, "Thôn 1" if n % 2 else "Thôn 2")
        await chat.tap("quiz:demo-one")
        await chat.tap("ans:demo-one:0:1")  # a wrong answer, shown on the lessons page
        await chat.tap("ans:demo-one:1:1")
    async with running(app) as base:
        head = await head_chat(app, "Thôn 1", user=ids[0])
        await head.command("thongbao")
        await head.say("Họp thôn tối nay lúc 19 giờ tại nhà văn hoá.")
        await head.tap(head.payload("ann:send:"))
        await app.storage.create_push(
            key="weekly:test", kind="weekly", content={"text": {"vi": "Bản tin", "en": "News"}},
            audience=Audience(wants_weekly=True), now=utcnow(),
        )  # fmt: skip
        staff = await staff_chat(app, user="staff-chat-4411")
        link = await link_from_chat(staff)
        learner_ids = []
        for user in [*ids, staff.user_id]:
            found = await app.storage.get_learner("test", user)
            assert found is not None
            learner_ids.append(found.id)
        texts: list[str] = []
        async with httpx.AsyncClient(base_url=base) as client:
            texts.append((await client.get(link)).text)
            home = (await log_in(client, link)).headers["location"]
            page = await client.get(home)
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
            assert csrf is not None
            for lang in ("en", "vi"):
                await client.post(
                    "/dashboard/language", data={"lang": lang, "csrf": csrf.group(1), "next": home}
                )
                village_pages = re.findall(r'href="(/dashboard/c/\d+/v/\d+/lessons)"', page.text)
                for path in ["", "lessons", "pushes", "baocao.csv"]:
                    response = await client.get(home + path)
                    assert response.status_code == 200, path
                    texts.append(response.text)
                for path in village_pages:
                    texts.append((await client.get(path)).text)
                excel = await client.get(home + "baocao.xlsx")
                book = load_workbook(io.BytesIO(excel.content))
                for sheet in book.worksheets:
                    for row in sheet.iter_rows(values_only=True):
                        texts.append(" ".join(str(cell) for cell in row if cell is not None))
    everything = "\n".join(texts)
    assert "Trưởng thôn Thôn 1" in everything or "Village head of Thôn 1" in everything
    assert "Một cộng một bằng mấy?" in everything  # the lessons page has its figures
    for chat_id in [*ids, staff.user_id]:
        assert chat_id not in everything, chat_id
    for learner_id in learner_ids:
        assert f"learner {learner_id}" not in everything


async def test_lessons_and_pushes_count_the_right_things(app: App) -> None:
    await two_communes(app)
    learners = []
    for n in range(4):
        chat = await _learner(app, f"l{n}", "Thôn 1")
        await chat.tap("quiz:demo-one")
        await chat.tap("ans:demo-one:0:0")  # right
        await chat.tap(f"ans:demo-one:1:{0 if n < 3 else 1}")  # three choose "Yes": wrong
        learners.append(chat)
    villages = {v.name: v.id for v in await app.storage.villages()}
    operator = await learner(app, "op", villages["Thôn 1"], utcnow(), channel="console")
    for question, option in ((0, 1), (1, 0)):  # an operator trying the bot: not counted
        await app.storage.record_answer(
            learner_id=operator, lesson_id="demo-one", version=1, question=question,
            option=option, correct=False, now=utcnow(),
        )  # fmt: skip
    await app.storage.record_attempt(
        learner_id=operator, lesson_id="demo-one", version=1, score=0, total=2, pass_mark=100,
        passed=False, now=utcnow(),
    )  # fmt: skip
    away = await _learner(app, "away", "Ấp Mới")  # another commune: not counted
    await away.tap("quiz:demo-one")
    await away.tap("ans:demo-one:0:1")
    await away.tap("ans:demo-one:1:0")
    async with running(app) as base:
        head = await _learner(app, "head", "Thôn 1")
        await head.command("ma", await invite(app, "village_head", village="Thôn 1"))
        await head.command("thongbao")
        await head.say("Sáng mai 8 giờ tiêm phòng ở trạm y tế.")
        await head.tap(head.payload("ann:send:"))
        await app.storage.create_push(
            key="weekly:2026-12-07", kind="weekly",
            content={"text": {"vi": "Bản tin tuần này", "en": "This week's news"}},
            audience=Audience(wants_weekly=True), now=utcnow() + timedelta(seconds=1),
        )  # fmt: skip
        staff = await _learner(app, "staff", "Thôn 2")
        await staff.command("ma", await invite(app, "staff"))
        link = await link_from_chat(staff)
        async with httpx.AsyncClient(base_url=base) as client:
            home = (await log_in(client, link)).headers["location"]
            lessons = (await client.get(home + "lessons")).text
            pushes = (await client.get(home + "pushes")).text
    first = lessons.split("<section", 2)[1]
    assert "Bài thử một" in first
    assert re.search(r"Đã qua bài</dt><dd>1</dd>", first)  # only the one who got both right
    assert re.search(r"Lượt làm đạt</dt><dd>25% <small>\(1/4\)</small>", first)
    assert "Câu 2:" in first and "Có nên đọc mã OTP cho người lạ?" in first
    assert "Sai 75% (3 trên 4 lượt trả lời)" in first and "“Có” (3)" in first
    assert "Câu 1:" not in first  # nobody in the commune got question 1 wrong

    rows = re.findall(r"<tr>(.*?)</tr>", pushes.split('id="pushes"', 1)[1], re.S)
    cells = [re.findall(r'data-label="[^"]+"[^>]*>(.*?)</td>', row, re.S) for row in rows]
    weekly, announcement = [row for row in cells if row]  # newest first
    assert "Bản tin tuần này" in weekly[1] and "Theo lịch" in weekly[2]
    assert weekly[3:6] == ["5", "0", "5"]  # the commune's 5 learners then, not Bình An's
    assert "tiêm phòng" in announcement[1]
    assert announcement[2] == "Trưởng thôn Thôn 1"
    assert announcement[3:6] == ["5", "0", "5"]  # to 5 in Thôn 1 (4 learners and the head)


async def test_the_help_page_counts_requests_of_the_scope_only(app: App) -> None:
    """Issue 18's Help page over issue 16's requests: per village, taken, median minutes to
    take, resolved and the 👍 share; another commune's requests are not counted, and no
    name or question shows."""
    villages = await two_communes(app)
    asked = utcnow() - timedelta(hours=3)

    def insert(conn: sa.Connection) -> None:
        rows = [
            # Thôn 1: taken after 30 minutes, ended by the learner, 👍; one still waiting.
            dict(village_id=villages["Thôn 1"], status="closed", asker_name="Bà Năm",
                 question="Cài VNeID thế nào?", created_at=asked, waiting_since=asked,
                 taken_at=asked + timedelta(minutes=30), closed_at=asked + timedelta(hours=1),
                 closed_by="learner", rating="up"),
            dict(village_id=villages["Thôn 1"], status="waiting", asker_name="Ông Sáu",
                 created_at=asked, waiting_since=asked),
            # Another commune: never on this page.
            dict(village_id=villages["Ấp Mới"], status="closed", created_at=asked,
                 waiting_since=asked, taken_at=asked + timedelta(minutes=5),
                 closed_at=asked + timedelta(minutes=20), closed_by="helper", rating="down"),
        ]  # fmt: skip
        for row in rows:  # one by one: each row names only the columns it sets
            conn.execute(help_requests.insert().values(**row))

    await app.storage.runner.write(insert)
    async with running(app) as base:
        staff = await staff_chat(app)
        link = await link_from_chat(staff)
        async with httpx.AsyncClient(base_url=base) as client:
            home = (await log_in(client, link)).headers["location"]
            page = (await client.get(home + "help")).text
            other = await client.get(home.replace("/c/", "/c/9999", 1) + "help")
    assert other.status_code in (403, 404)
    rows = re.findall(r'<tr data-village="([^"]+)">(.*?)</tr>', page, re.S)
    cells = {
        name: re.findall(r'data-label="[^"]+"[^>]*>(.*?)</td>', row, re.S) for name, row in rows
    }
    assert set(cells) == {"Thôn 1", "Thôn 2", "total"}
    assert cells["Thôn 1"][:5] == ["2", "1", "30", "1", "100%"]
    assert cells["Thôn 2"][:5] == ["0", "0", "–", "0", "–"]
    assert cells["total"][:2] == ["2", "1"]  # Ấp Mới's request is another commune's
    assert "Bà Năm" not in page and "Cài VNeID" not in page and "Ông Sáu" not in page
