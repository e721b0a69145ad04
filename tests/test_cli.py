"""The admin CLI explains itself and reports from the real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import App
from bot.cli import main, parser
from bot.config import Commune, Village
from tests.conftest import Chat


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["--help"])
    out = capsys.readouterr().out
    for command in ("run", "chat", "lessons", "db", "report", "ask", "check", "invite"):
        assert command in out


def test_invite_roles_are_the_cores() -> None:
    """The parser names the roles without importing the core; they must stay the same."""
    from bot.cli.commands import ROLE_CHOICES
    from bot.core.roles import ROLES

    assert ROLE_CHOICES == ROLES


async def _villages(app: App, *names: str) -> None:
    """The commune's villages, in hocvuso.toml (which every command syncs) and the database."""
    toml = '[[communes]]\nname = "Xã Tân Phú"\n'
    toml += "".join(f'[[communes.villages]]\nname = "{n}"\nadults = 10\n' for n in names)
    app.settings.config_file.write_text(toml, encoding="utf-8")
    villages = [Village(name=name, adults=10) for name in names]
    await app.storage.sync_areas([Commune(name="Xã Tân Phú", villages=villages)])


def _use(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = app.settings
    monkeypatch.setenv("HOCVUSO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("HOCVUSO_LESSONS_DIR", str(settings.lessons_dir))
    monkeypatch.setenv("HOCVUSO_CONFIG", str(settings.config_file))


async def _run(argv: list[str]) -> int:
    return await asyncio.to_thread(main, argv)


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
    _use(app, monkeypatch)
    await app.close()

    assert await _run(["report", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "commune,village,adults,learners,completed_core,share_percent,pace_points_per_week,"
        "projected,late,kept_core,registered_national,demo-one,demo-two",
        "Xã Tân Phú,Thôn 1,800,1,0,0.0,,,,0,0,0,1",
        "Xã Tân Phú,Thôn 2,650,1,0,0.0,,,,0,0,0,0",
        "Tổng cộng,,1450,2,0,0.0,,,,0,0,0,1",
    ]
    assert await _run(["report", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Village" in text and "1,450" in text and "1. Demo lesson one" in text
    assert await _run(["report"]) == 0
    assert "1.450" in capsys.readouterr().out  # Vietnamese digit grouping
    target = tmp_path / "out.csv"
    assert await _run(["report", "--output", str(target)]) == 0  # the format from the name
    assert target.read_text(encoding="utf-8-sig").startswith("commune,village")
    written = tmp_path / "out.xlsx"
    assert await _run(["report", "--output", str(written)]) == 0
    assert written.read_bytes()[:2] == b"PK"  # a real Excel file, not the text table


async def test_report_leaves_out_the_console_unless_asked(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await Chat(app.engine, "citizen").onboard(village=0)
    operator = await app.storage.create_learner(
        channel="console", user_id="local", chat_id="local", language="vi",
        now=datetime.now(UTC),
    )  # fmt: skip
    operator.village_id = (await app.storage.villages())[0].id
    await app.storage.update_learner(operator, datetime.now(UTC))
    _use(app, monkeypatch)

    assert await _run(["report", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[1].startswith("Xã Tân Phú,Thôn 1,800,1,")
    assert await _run(["report", "--format", "csv", "--include-console"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[1].startswith("Xã Tân Phú,Thôn 1,800,2,")
    details = [e.detail for e in await app.storage.audit_entries()]
    assert "csv all communes with console learners" in details


async def test_report_takes_this_weeks_snapshot_once(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the scheduler (HOCVUSO_SCHEDULER=false), a report still records the week."""
    _use(app, monkeypatch)
    assert await app.storage.snapshots() == []
    assert await _run(["report"]) == 0
    assert await _run(["report"]) == 0
    capsys.readouterr()
    taken = await app.storage.snapshots()
    assert sorted(s.village_id for s in taken) == sorted(v.id for v in await app.storage.villages())
    assert len({s.week for s in taken}) == 1


async def test_names_match_without_accents_and_ambiguity_lists_them(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14: `--village "Thon 1"` finds "Thôn 1", as the chat would."""
    await _villages(app, "Thôn 10", "Thôn 1", "Thôn Đông", "Thôn Dong")
    _use(app, monkeypatch)

    args = ["invite", "--role", "village_head", "--commune", "tan phu", "--village", "THON 1"]
    assert await _run(args) == 0
    assert "Invite for village_head of Thôn 1:" in capsys.readouterr().out
    assert await _run(["invite", "--role", "village_head", "--village", "thon dong"]) == 2
    err = capsys.readouterr().err
    assert "matches several villages: Thôn Dong, Thôn Đông" in err
    assert await _run(["invite", "--role", "village_head", "--village", "Thôn 3"]) == 2
    err = capsys.readouterr().err
    assert "configured: Thôn 1, Thôn 10, Thôn Dong, Thôn Đông" in err  # natural order
    assert await _run(["invite", "--role", "staff", "--commune", "Xa Tan Phu"]) == 0


async def test_roles_list_in_natural_order(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await _villages(app, "Thôn 10", "Thôn 2")
    now = datetime.now(UTC)
    for number, village in enumerate(await app.storage.villages()):
        head = await app.storage.create_learner(
            channel="test", user_id=f"h{number}", chat_id=f"h{number}", language="vi", now=now
        )
        code = f"CODE{number}"
        await app.storage.create_invite(
            code=code, role="village_head", village_id=village.id, commune_id=None, now=now,
            expires_at=now + timedelta(days=1),
        )  # fmt: skip
        await app.storage.redeem_invite(code, head.id, now)
    _use(app, monkeypatch)
    assert await _run(["roles", "list"]) == 0
    scopes = [
        line.split()[2] + " " + line.split()[3] for line in capsys.readouterr().out.splitlines()
    ]
    assert scopes == ["Thôn 2", "Thôn 10"]


async def test_event_schedule_outbox_roles_and_audit_commands(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.storage.outbox import Audience

    await Chat(app.engine, "a").onboard()
    await app.storage.create_push(
        key="announce:test", kind="announcement", content={"text": {"vi": "x"}},
        audience=Audience(), now=datetime.now(UTC),
    )  # fmt: skip
    _use(app, monkeypatch)

    year = datetime.now(UTC).year + 1
    args = ["event", "set", "--place", "Nhà văn hoá xã", "--time", f"{year}-10-10 07:30"]
    assert await _run(args) == 0
    assert f"Ngày hội 10/10/{year} 07:30 at Nhà văn hoá xã" in capsys.readouterr().out
    assert await _run(["event", "show", "--year", str(year)]) == 0
    assert f"10/10/{year} 07:30, Nhà văn hoá xã" in capsys.readouterr().out
    assert await _run(["event", "set", "--place", "x", "--time", f"{year}-10-11 07:30"]) == 2
    assert "10 October" in capsys.readouterr().err
    past = ["event", "set", "--place", "Nhà văn hoá xã", "--time", f"{year - 2}-10-10 07:30"]
    assert await _run(past) == 2
    assert "is in the past" in capsys.readouterr().err

    assert await _run(["schedule"]) == 0
    out = capsys.readouterr().out
    assert "weekly" in out and "nudge" in out and "10/10 day_of" in out and "snapshot" in out
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
