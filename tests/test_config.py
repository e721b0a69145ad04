"""A wrong or missing setting stops start-up with one clear sentence, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_areas, load_settings


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"HOCVUSO_TIMEZONE": "Asia/Hanoi"}, "HOCVUSO_TIMEZONE: unknown time zone 'Asia/Hanoi'."),
        ({"HOCVUSO_DATABASE_URL": "mysql://x"}, "HOCVUSO_DATABASE_URL: must start with"),
        ({"TELEGRAM_BOT_TOKEN": "abc"}, "TELEGRAM_BOT_TOKEN: does not look like a bot token"),
        ({"TELEGRAM_API_BASE_URL": "ftp://x"}, "TELEGRAM_API_BASE_URL: must start with http"),
        ({"HOCVUSO_LOG_LEVEL": "LOUD"}, "HOCVUSO_LOG_LEVEL: must be DEBUG"),
    ],
)
def test_bad_settings_are_one_sentence(env: dict[str, str], expected: str) -> None:
    result = run_cli("run", env=env)
    assert result.returncode == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_token_value_is_never_echoed() -> None:
    secret = "12345:short"
    result = run_cli("run", env={"TELEGRAM_BOT_TOKEN": secret})
    assert result.returncode == 2
    assert secret not in result.stderr


def test_an_unreachable_database_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    url = f"sqlite:///{blocker}/sub/db.sqlite"
    result = run_cli("db", "upgrade", env={"HOCVUSO_DATABASE_URL": url})
    assert result.returncode == 2
    assert "Cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_reports_the_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'x.db'}"
    result = run_cli("db", "upgrade", env={"HOCVUSO_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    from bot.migrate import head_revision

    assert f"revision {head_revision()}" in result.stdout
    assert (tmp_path / "data" / "x.db").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[communes]]\nname = 'A'\n", "communes.0.villages: Field required."),
        ("[[communes]\n", "not valid TOML"),
        (
            "[[communes]]\nname='A'\n[[communes.villages]]\nname='T'\nadults=-1\n",
            "adults: Input should be greater than or equal to 0.",
        ),
        (
            "[[communes]]\nname='A'\n[[communes.villages]]\nname='T'\nadults=1\n"
            "[[communes.villages]]\nname='T'\nadults=2\n",
            "a village is listed twice",
        ),
        ("colour = 'red'\n", "colour: Extra inputs are not permitted."),
    ],
)
def test_bad_areas_file(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "hocvuso.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected.replace(".", r"\.").replace("[", r"\[")):
        load_areas(path)


def test_no_areas_file_leaves_the_areas_alone(tmp_path: Path) -> None:
    assert load_areas(tmp_path / "missing.toml") is None


def test_defaults() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///./data/hocvuso.db"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.telegram_bot_token is None


def test_an_empty_token_means_no_token() -> None:
    assert load_settings(telegram_bot_token=" ").telegram_bot_token is None


def test_the_aiosqlite_url_form_opens_the_same_file(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"
    result = run_cli("db", "upgrade", env={"HOCVUSO_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.db").exists()
