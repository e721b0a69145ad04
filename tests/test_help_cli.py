"""Issue 16 on the command line: helper invites (one village, like village heads), helpers
in `hocvuso roles list` and the audit, and `hocvuso report --topic help`."""

from __future__ import annotations

import pytest

from bot.app import App
from tests.conftest import Chat
from tests.test_cli import _run, _use


async def test_helper_invites_roles_audit_and_the_help_report(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    learner, helper = Chat(app.engine, "cli-learner"), Chat(app.engine, "cli-helper")
    await learner.onboard(village=0)
    await helper.onboard(village=0)
    _use(app, monkeypatch)

    assert await _run(["invite", "--role", "helper"]) == 2
    assert "A helper invite needs --village." in capsys.readouterr().err
    assert await _run(["invite", "--role", "helper", "--village", "thon 1"]) == 0
    out = capsys.readouterr().out
    assert "Invite for helper of Thôn 1:" in out
    code = out.split(": ")[1].split()[0]
    await helper.command("ma", code)
    assert "người giúp của Thôn 1" in helper.text()
    await helper.command("ma", code)
    assert "đã được dùng" in helper.text()  # one-time, like every invite

    assert await _run(["roles", "list"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.split()[1:4] == ["helper", "Thôn", "1"] and "test:cli-helper" in line
    assert await _run(["audit"]) == 0
    assert "role_granted" in capsys.readouterr().out

    await learner.tap("helpme")
    await learner.say("Giúp tôi cài ứng dụng")
    assert await _run(["report", "--topic", "help", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("commune,village,help_requests,help_taken,median_minutes_to_take")
    rows = {line.split(",")[1]: line.split(",") for line in lines[1:]}
    assert rows["Thôn 1"][2:4] == ["1", "0"]  # asked, not taken yet
    assert await _run(["report", "--topic", "help"]) == 0
    assert "Lời nhờ" in capsys.readouterr().out
    assert await _run(["report", "--topic", "help", "--format", "png", "--output", "x.png"]) == 2
    assert "--topic help comes as text or csv" in capsys.readouterr().err
