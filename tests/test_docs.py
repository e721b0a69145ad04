"""The README documents every setting and keeps the two-command quick start."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme() -> None:
    for name, field in Settings.model_fields.items():
        assert f"`{field.alias}`" in README, f"README lacks {field.alias} ({name})"


def test_quick_start_is_make_run_and_make_test() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [
        line.split("#")[0].strip()
        for line in quick_start.split("```sh")[1].split("```")[0].splitlines()
        if line.strip()
    ]
    assert commands == ["make run", "make test"]


def test_every_cli_command_is_in_the_readme() -> None:
    from bot.cli import parser

    sub = next(a for a in parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"hocvuso {name}" in README, name
