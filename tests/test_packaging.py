"""A wheel install finds lessons/ and locales/ (they are packaged under bot/_data)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_lessons_locales_and_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("hocvuso-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bot/_data/lessons/vneid/02-vneid-co-ban.yaml" in names
    assert "bot/_data/lessons/faq.yaml" in names
    assert "bot/_data/locales/vi/LC_MESSAGES/messages.po" in names
    assert "bot/_data/locales/en/LC_MESSAGES/messages.po" in names
    assert any(n.startswith("bot/migrations/versions/0001") for n in names)
    assert "bot/migrations/script.py.mako" in names
    assert "bot/dashboard/templates/overview.html" in names
    assert "bot/dashboard/static/sort.js" in names and "bot/dashboard/static/dashboard.css" in names
    assert "scheduler/__init__.py" in names
    assert not any(n.startswith("tests/") for n in names)
