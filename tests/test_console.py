"""The console channel: the same engine in a terminal, choices typed as numbers or words."""

from __future__ import annotations

from bot.app import App
from bot.channels.console import ConsoleChannel
from tests.conftest import table_counts


def scripted(lines: list[str]):  # type: ignore[no-untyped-def]
    feed = iter(lines)

    async def read() -> str | None:
        return next(feed, None)

    return read


async def test_a_person_completes_onboarding_a_lesson_and_its_quiz(app: App) -> None:
    out: list[str] = []
    typed = [
        "1",  # Tiếng Việt
        "1",  # đồng ý
        "2",  # Thôn 2
        "nguoi dan",  # the group, typed in words without accents
        "1",  # Bài học
        "1",  # Bài thử một
        "tiep",  # "Tiếp ➡️" typed without accents
        "1",  # Làm bài kiểm tra
        "1",  # Hai
        "khong bao gio",  # "Không bao giờ"
    ]
    console = ConsoleChannel(app.engine, read=scripted(typed), write=out.append)
    await console.run()
    screen = "\n".join(out)
    assert "1. 🇻🇳 Tiếng Việt" in screen
    assert "Trả lời 1 hoặc 2." in screen
    assert "[🖼 demo.png]" in screen
    assert "đã qua bài" in screen
    assert (await table_counts(app))["completions"] == 1
    learner = await app.storage.get_learner("console", "local")
    assert learner is not None and learner.group == "citizen"


async def test_a_number_out_of_range_is_free_text(app: App) -> None:
    out: list[str] = []
    console = ConsoleChannel(app.engine, read=scripted(["9"]), write=out.append)
    await console.run()
    assert out[-2].startswith("Xin chào")  # the stranger is simply welcomed again


async def test_english_hint_for_an_english_learner(app: App) -> None:
    out: list[str] = []
    console = ConsoleChannel(app.engine, read=scripted(["2"]), write=out.append)
    await console.run()
    assert out[-2].endswith("Reply 1 or 2.")
