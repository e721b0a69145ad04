"""Issue 14: every CLI error is one sentence on stderr and a non-zero exit, never a
traceback, and read-only commands never create a database. Each probe runs the real
`hocvuso` in a child process (`python -m bot`), as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.app import App
from bot.storage import Storage
from tests.conftest import ON_POSTGRES

ROOT = Path(__file__).resolve().parent.parent
READ_ONLY = [["report"], ["roles", "list"], ["audit"], ["outbox"], ["schedule"], ["event", "show"]]


def hocvuso(
    args: list[str], env: dict[str, str], cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command in its own process; PYTHONPATH so it runs from any folder."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**base, **env},
        cwd=cwd or ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_sentence(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Non-zero exit, exactly one line on stderr, no traceback; the line is returned."""
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hocvuso"), lines[0]
    for word in words:
        assert word in lines[0]
    return lines[0]


@pytest.fixture
def env(app: App) -> dict[str, str]:
    settings = app.settings
    return {
        "HOCVUSO_DATABASE_URL": settings.database_url,
        "HOCVUSO_LESSONS_DIR": str(settings.lessons_dir),
        "HOCVUSO_CONFIG": str(settings.config_file),
    }


@pytest.mark.parametrize("fmt", ["text", "csv", "xlsx", "png"])
def test_output_in_a_missing_folder(env: dict[str, str], tmp_path: Path, fmt: str) -> None:
    for extra in (["--format", fmt], []):
        target = tmp_path / "nosuchdir" / f"r.{'txt' if fmt == 'text' else fmt}"
        result = hocvuso(["report", *extra, "--output", str(target)], env)
        assert_one_sentence(result, "does not exist", "nosuchdir")
        assert not target.parent.exists()


def test_output_pointing_at_a_folder(env: dict[str, str], tmp_path: Path) -> None:
    result = hocvuso(["report", "--output", str(tmp_path)], env)
    assert_one_sentence(result, "is a folder")


def test_config_at_a_folder_and_at_a_missing_file(env: dict[str, str], tmp_path: Path) -> None:
    result = hocvuso(["report"], {**env, "HOCVUSO_CONFIG": str(tmp_path)})
    assert_one_sentence(result, "HOCVUSO_CONFIG", "folder")
    missing = tmp_path / "nope.toml"
    result = hocvuso(["report"], {**env, "HOCVUSO_CONFIG": str(missing)})
    assert_one_sentence(result, "HOCVUSO_CONFIG", "does not exist")


@pytest.mark.parametrize(
    "url",
    [
        "mysql://user@localhost/hocvuso",
        "postgresql+asyncpg://user:secret@127.0.0.1:notaport/hocvuso",
        "postgresql+asyncpg://user:secret@127.0.0.1:1/hocvuso",  # nothing listens there
        "sqlite:////",  # a folder
    ],
)
def test_bad_database_urls(env: dict[str, str], url: str) -> None:
    for command in (["report"], ["db", "upgrade"]):
        line = assert_one_sentence(hocvuso(command, {**env, "HOCVUSO_DATABASE_URL": url}))
        assert "HOCVUSO_DATABASE_URL" in line
        assert "secret" not in line


def test_past_event_date_and_bad_dates(env: dict[str, str]) -> None:
    place = ["event", "set", "--place", "Nhà văn hoá xã"]
    assert_one_sentence(hocvuso([*place, "--time", "2025-10-10 07:30"], env), "in the past")
    assert_one_sentence(hocvuso([*place, "--time", "10/10/2030 07:30"], env), "--time")
    assert_one_sentence(hocvuso([*place, "--time", "2030-10-11 07:30"], env), "10 October")


def test_bad_formats(env: dict[str, str], tmp_path: Path) -> None:
    assert_one_sentence(hocvuso(["report", "--format", "docx"], env), "invalid choice")
    result = hocvuso(["report", "--output", str(tmp_path / "r.docx")], env)
    assert_one_sentence(result, "--format")
    result = hocvuso(["report", "--format", "text", "--output", str(tmp_path / "r.xlsx")], env)
    assert_one_sentence(result, "does not match")
    assert_one_sentence(hocvuso(["report", "--format", "xlsx"], env), "--output")
    assert_one_sentence(hocvuso(["repotr"], env), "invalid choice")
    assert not (tmp_path / "r.docx").exists() and not (tmp_path / "r.xlsx").exists()


def test_an_unknown_village_is_one_sentence(env: dict[str, str]) -> None:
    result = hocvuso(["invite", "--role", "village_head", "--village", "Thôn 9"], env)
    assert_one_sentence(result, "No village named", "Thôn 1, Thôn 2")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_read_only_commands_in_another_folder_create_nothing(
    tmp_path: Path, lessons_dir: Path, command: list[str]
) -> None:
    """Issue 14: `hocvuso report` run from another folder used to create an empty
    ./data/hocvuso.db and print an empty report, which looks like lost data."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = hocvuso(command, {"HOCVUSO_LESSONS_DIR": str(lessons_dir)}, cwd=elsewhere)
    line = assert_one_sentence(result, "No database at", "HOCVUSO_DATABASE_URL")
    assert str(elsewhere / "data" / "hocvuso.db") in line
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
async def test_read_only_commands_leave_an_empty_database_empty(
    database_url: str, lessons_dir: Path, tmp_path: Path, command: list[str]
) -> None:
    """A database that exists but holds no hocvuso tables (a wrong URL) is not set up."""
    if not ON_POSTGRES:
        Path(database_url.removeprefix("sqlite:///")).touch()  # an empty file
    env = {"HOCVUSO_DATABASE_URL": database_url, "HOCVUSO_LESSONS_DIR": str(lessons_dir)}
    result = hocvuso(command, env, cwd=tmp_path)
    assert_one_sentence(result, "has no hocvuso tables", "hocvuso db upgrade")
    storage = Storage.open(database_url)
    try:
        names = await storage.runner.read(lambda conn: sa.inspect(conn).get_table_names())
    finally:
        await storage.close()
    assert names == []
