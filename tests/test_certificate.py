"""Issue 17, must-show 2: the certificate of the core path, with and without a name: its
picture's size, and what it says, checked from the data it is drawn from; sent again from
"Tiến độ"; fetched by URL for Zalo. And the way to the national platform."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from PIL import Image

from bot.app import App
from bot.certificates import SIZE, CertificateService, certificate_lines, draw_certificate
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.content import load_catalog
from bot.core.ports import CertificateData
from bot.resources import data_dir
from bot.web import create_web_app
from tests.conftest import Chat
from tests.fakes.zalo_api import TOKEN, FakeZalo, ZaloUser
from tests.web_server import serving

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSED = datetime(2026, 11, 4, 3, 0, tzinfo=UTC)  # 10:00 on 4 November in Vietnam


class Recording(CertificateService):
    """The real service, keeping the data each picture was drawn from."""

    def __init__(self, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.drawn: list[tuple[CertificateData, Path]] = []

    async def picture(self, data: CertificateData) -> Path | None:
        path = await super().picture(data)
        assert path is not None
        self.drawn.append((data, path))
        return path


@pytest.fixture
def recorder(app: App, tmp_path: Path) -> Recording:
    service = Recording(app.storage, app.catalog, VN, folder=tmp_path / "certificates")
    (tmp_path / "certificates").mkdir()
    assert app.engine.services is not None
    app.engine.services = type(app.engine.services)(
        **{**app.engine.services.__dict__, "certificates": service}
    )
    app.certificates = service
    return service


async def finish_core(app: App, user_id: str, village: int = 0) -> Chat:
    app.engine.clock = lambda: PASSED
    chat = Chat(app.engine, user_id)
    await chat.onboard(village=village)
    await chat.tap("quiz:demo-one")  # the demo's only core lesson
    await chat.tap("ans:demo-one:0:0")
    await chat.tap("ans:demo-one:1:1")
    return chat


def roles(data: CertificateData) -> dict[str, str]:
    return {line.role: line.text for line in certificate_lines(data) if line.role}


def check_picture(path: Path) -> None:
    with Image.open(path) as picture:
        assert picture.size == SIZE == (2100, 1480)  # A5 landscape: 210 × 148 mm
        assert picture.format == "PNG"
        colours = picture.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 50  # drawn text, not a blank page


async def test_a_certificate_with_the_name_the_learner_chose(app: App, recorder: Recording) -> None:
    chat = await finish_core(app, "an")
    assert "Bác đã học xong các bài cơ bản" in chat.text()
    assert chat.payload("cert") == "cert"
    await chat.tap("cert")
    assert "Bác muốn ghi tên gì lên giấy?" in chat.text()
    await chat.say("0912345678")  # a phone or ID number is never a name
    assert "không có chữ số" in chat.text() and recorder.drawn == []
    await chat.say("nguyễn văn an")
    (data, path), *_ = recorder.drawn
    assert data.name == "Nguyễn Văn An"
    assert data.lessons == ("Bài thử một",)
    assert data.finished_on.isoformat() == "2026-11-04"
    assert (data.village, data.commune) == ("Thôn 1", "Xã Tân Phú")
    written = roles(data)
    assert written["title"] == "GIẤY GHI NHẬN HỌC TẬP"
    assert written["name"] == "Nguyễn Văn An"
    assert written["place"] == "ở Thôn 1, Xã Tân Phú"
    assert written["date"] == "đã học xong các bài cơ bản ngày 4 tháng 11, 2026."
    assert written["lessons"] == "Các bài đã học xong (1): Bài thử một."
    assert "không phải chứng nhận quốc gia" in written["note"]
    assert "binhdanhocvuso.gov.vn" in written["note"]
    check_picture(path)
    (reply,) = chat.last
    assert reply.image == path
    assert "Giấy ghi nhận: Nguyễn Văn An" in reply.text
    assert "không phải chứng nhận quốc gia" in reply.text

    # Again from "Tiến độ": the same certificate, drawn again.
    await chat.tap("progress")
    assert "Bác đã học xong các bài cơ bản" in chat.text()
    await chat.tap(chat.payload("cert"))
    again, _path = recorder.drawn[-1]
    assert again == data
    # A new name keeps the certificate (and its picture's address).
    await chat.tap("cert:rename")
    await chat.say("Trần Thị Bé")
    renamed, _path = recorder.drawn[-1]
    assert (renamed.name, renamed.token) == ("Trần Thị Bé", data.token)


async def test_a_certificate_without_a_name(app: App, recorder: Recording) -> None:
    chat = await finish_core(app, "khong-ten", village=1)
    await chat.tap("cert")
    await chat.say("khong")  # "Không ghi tên", typed
    (data, path), *_ = recorder.drawn
    assert data.name is None
    written = roles(data)
    assert "name" not in written
    assert written["place"] == "Một người học ở Thôn 2, Xã Tân Phú"
    assert written["lessons"] == "Các bài đã học xong (1): Bài thử một."
    assert written["date"].endswith("4 tháng 11, 2026.")
    check_picture(path)
    assert "Giấy ghi nhận: (không ghi tên)" in chat.text()


async def test_no_certificate_before_the_core_path(app: App, recorder: Recording) -> None:
    chat = Chat(app.engine, "chua")
    await chat.onboard()
    await chat.command("giay")
    assert "Còn các bài: Bài thử một" in chat.text()
    await chat.tap("cert:noname")  # a forged or old button: nothing is issued
    assert recorder.drawn == [] and await app.storage.certificate(1) is None


def test_every_lesson_fits_on_the_picture_in_both_languages(tmp_path: Path) -> None:
    """The shipped curriculum, all 14 lessons passed, named and not: drawn, and looked at
    (bench/README: the pictures in tmp are the ones to open)."""
    catalog = load_catalog(data_dir("lessons"))
    for lang in ("vi", "en"):
        titles = tuple(lesson.title.get(lang) for lesson in catalog.lessons)
        data = CertificateData(
            "A" * 22, "Nguyễn Thị Hồng Nhung", titles, datetime(2026, 12, 5).date(),
            "Thôn Đông Hưng", "Xã Tân Phú", lang,
        )  # fmt: skip
        path = draw_certificate(data, tmp_path / f"all-{lang}.png")
        check_picture(path)
        assert roles(data)["lessons"].count(";") == len(titles) - 1


@pytest.fixture
async def web(app: App, recorder: Recording) -> AsyncIterator[str]:
    server = create_web_app(app.storage, secret="x" * 32, certificates=recorder.by_token)
    async with serving(server) as base:
        yield base


async def say(fake: FakeZalo, user: ZaloUser, text: str) -> None:
    """Type, then wait until the whole answer has arrived."""
    before = len(fake.texts_to(user.id))
    user.say(text)
    await fake.wait_for(lambda: len(fake.texts_to(user.id)) > before)
    last = -1
    while last != len(fake.texts_to(user.id)):
        last = len(fake.texts_to(user.id))
        await asyncio.sleep(0.25)


async def test_zalo_gets_the_certificate_by_url(app: App, recorder: Recording, web: str) -> None:
    """Zalo sends pictures by URL only: the certificate is served under /img/ by its token,
    drawn from the database, and gone once the learner deletes their data."""
    fake = FakeZalo(poll_cap=0.3)
    await fake.start()
    client = ZaloClient(TOKEN, base_url=fake.base_url)
    zalo = ZaloChannel(app.engine, client, poll_timeout=1, image_base_url=f"{web}/img")
    await zalo.start()
    try:
        await finish_core(app, "zalo-setup")  # someone else's certificate on record too
        user = ZaloUser(fake, "ce000000000000000a11")
        typed = ["xin chao", "1", "dong y", "thon 1", "nguoi dan", "/hoc", "1", "tiep"]
        typed += ["lam bai kiem tra", "hai", "khong bao gio"]
        for text in typed:
            await say(fake, user, text)
        assert "Nhận giấy ghi nhận" in fake.texts_to(user.id)[-1]
        for text in ("nhan giay ghi nhan", "Lê Văn Tám"):
            await say(fake, user, text)
        await fake.wait_for(lambda: any("cert-" in str(c.params.get("photo")) for c in fake.calls))
    finally:
        await zalo.stop()
        await fake.stop()
    url = next(str(c.params["photo"]) for c in fake.calls if "cert-" in str(c.params.get("photo")))
    assert "Giấy ghi nhận: Lê Văn Tám" in fake.texts_to(user.id)[-1]
    assert url.startswith(f"{web}/img/cert-") and url.endswith(".png")
    async with httpx.AsyncClient() as http:
        got = await http.get(url)
        assert got.status_code == 200 and got.headers["content-type"] == "image/png"
        assert got.headers["cache-control"] == "private, no-store"
        picture = Path(recorder.folder) / "fetched.png"
        picture.write_bytes(got.content)
        check_picture(picture)
        assert recorder.drawn[-1][0].name == "Lê Văn Tám"
        assert (await http.get(f"{web}/img/cert-{'B' * 22}.png")).status_code == 404
        learner = await app.storage.get_learner("zalo", "ce000000000000000a11")
        assert learner is not None
        await app.storage.delete_learner(learner.id, PASSED)
        assert (await http.get(url)).status_code == 404


async def test_the_way_to_the_national_platform(app: App) -> None:
    chat = await finish_core(app, "quocgia")
    await chat.tap("progress")
    await chat.tap(chat.payload("national"))
    assert "binhdanhocvuso.gov.vn" in chat.text() and "1/4" in chat.text()
    steps = [chat.text()]
    for step in (2, 3, 4):
        await chat.say("tiep")
        assert f"{step}/4" in chat.text()
        steps.append(chat.text())
    assert "tài khoản VNeID của chính mình" in steps[1] and "mức 2" in steps[1]
    assert "kỹ năng số cơ bản" in steps[2]
    opener = next(c for c in chat.choices() if c.url)
    assert opener.url == "https://binhdanhocvuso.gov.vn/"
    await chat.say("1")  # the link, typed as its number
    assert "https://binhdanhocvuso.gov.vn/" in chat.text()
    await chat.tap("national:yes")
    assert "Xã đã biết bác đăng ký" in chat.text()
    learner = await app.storage.get_learner("test", "quocgia")
    assert learner is not None and await app.storage.national_since(learner.id) is not None
    await chat.tap("progress")
    assert "Bác đã đăng ký trên binhdanhocvuso.gov.vn" in chat.text()
    await chat.tap("national:9")  # forged
    assert "không đọc được nút" in chat.text()


async def test_text_typed_after_leaving_the_name_question_is_no_name(
    app: App, recorder: Recording
) -> None:
    chat = await finish_core(app, "roi-di")
    await chat.tap("cert")
    await chat.tap("menu")  # changed their mind
    await chat.say("xin chào")
    learner = await app.storage.get_learner("test", "roi-di")
    assert learner is not None and await app.storage.certificate(learner.id) is None
    assert recorder.drawn == [] and "Giấy ghi nhận" not in chat.text()
