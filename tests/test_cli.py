"""The admin CLI explains itself and reports from the real database."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.cli import main, parser
from tests.conftest import Chat


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["--help"])
    out = capsys.readouterr().out
    for command in ("run", "chat", "lessons", "db", "report"):
        assert command in out


async def _two_learners(app: App) -> None:
    first = Chat(app.engine, "a")
    await first.onboard(village=0)
    await first.tap("quiz:demo-two")
    await first.tap("ans:demo-two:0:0")
    await first.tap("ans:demo-two:1:1")
    second = Chat(app.engine, "b")
    await second.onboard(village=1)


async def test_report_text_and_csv(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    await _two_learners(app)
    settings = app.settings
    monkeypatch.setenv("HOCVUSO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("HOCVUSO_LESSONS_DIR", str(settings.lessons_dir))
    monkeypatch.setenv("HOCVUSO_CONFIG", str(settings.config_file))
    await app.close()

    assert await _run(["report", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "commune,village,adults,learners,completed_core,share_percent,demo-one,demo-two",
        "Xã Tân Phú,Thôn 1,800,1,0,0.0,0,1",
        "Xã Tân Phú,Thôn 2,650,1,0,0.0,0,0",
        "Tổng cộng,,1450,2,0,0.0,0,1",
    ]
    assert await _run(["report", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Village" in text and "1,450" in text and "1. Demo lesson one" in text
    assert await _run(["report"]) == 0
    assert "1.450" in capsys.readouterr().out  # Vietnamese digit grouping
    target = tmp_path / "out.csv"
    assert await _run(["report", "--format", "csv", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8-sig").startswith("commune,village")


async def _run(argv: list[str]) -> int:
    import asyncio

    return await asyncio.to_thread(main, argv)


async def test_event_schedule_outbox_roles_and_audit_commands(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    from bot.storage.outbox import Audience

    await Chat(app.engine, "a").onboard()
    await app.storage.create_push(
        key="announce:test", kind="announcement", content={"text": {"vi": "x"}},
        audience=Audience(), now=datetime.now(UTC),
    )  # fmt: skip
    settings = app.settings
    monkeypatch.setenv("HOCVUSO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("HOCVUSO_LESSONS_DIR", str(settings.lessons_dir))
    monkeypatch.setenv("HOCVUSO_CONFIG", str(settings.config_file))

    args = ["event", "set", "--place", "Nhà văn hoá xã", "--time", "2027-10-10 07:30"]
    assert await _run(args) == 0
    assert "Ngày hội 10/10/2027 07:30 at Nhà văn hoá xã" in capsys.readouterr().out
    assert await _run(["event", "show", "--year", "2027"]) == 0
    assert "10/10/2027 07:30, Nhà văn hoá xã" in capsys.readouterr().out
    assert await _run(["event", "set", "--place", "x", "--time", "2027-10-11 07:30"]) == 2
    assert "10 October" in capsys.readouterr().err

    assert await _run(["schedule"]) == 0
    out = capsys.readouterr().out
    assert "weekly" in out and "nudge" in out and "10/10 day_of" in out
    assert "waiting to send: announce:test: 1 of 1" in out

    assert await _run(["outbox"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["push", "kind", "created", "total"]
    assert lines[1].split()[0] == "announce:test"

    assert await _run(["invite", "--role", "village_head", "--village", "Thôn 2"]) == 0
    code = capsys.readouterr().out.split(": ")[1].split()[0]
    assert len(code) == 10
    assert await _run(["invite", "--role", "village_head"]) == 2
    assert await _run(["roles", "list"]) == 0
    assert "No roles granted yet" in capsys.readouterr().out
    assert await _run(["roles", "revoke", "99"]) == 2
    assert await _run(["audit"]) == 0
    assert "invite_created" in capsys.readouterr().out
