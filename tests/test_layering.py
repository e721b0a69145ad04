"""The core knows no chat app, no database and no network; the public surface is small."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"telegram", "httpx", "sqlalchemy", "apscheduler", "aiohttp", "aiosqlite"}


def _modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _imports(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _modules(path)}


def test_core_imports_no_platform_or_database() -> None:
    for path in (ROOT / "bot" / "core").rglob("*.py"):
        assert not (_imports(path) & FORBIDDEN), path.name


def test_core_and_content_do_not_import_channels_or_storage() -> None:
    for folder in ("core", "content"):
        for path in (ROOT / "bot" / folder).rglob("*.py"):
            for name in _modules(path):
                assert not name.startswith(("bot.channels", "bot.storage")), path.name


def test_only_config_reads_the_environment() -> None:
    for path in (ROOT / "bot").rglob("*.py"):
        if path.name == "config.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "os.environ[" not in text and "os.getenv" not in text, path.name


def test_only_storage_speaks_sql() -> None:
    allowed = {"migrate.py", "env.py", "app.py"}
    for path in (ROOT / "bot").rglob("*.py"):
        if path.name in allowed or {"versions", "storage"} & set(path.parts):
            continue
        assert "sqlalchemy" not in _imports(path), path.name


def test_content_package_surface() -> None:
    import bot.content

    assert sorted(bot.content.__all__) == ["Catalog", "ContentError", "Problem", "load_catalog"]


def test_public_surface() -> None:
    import bot

    assert sorted(bot.__all__) == sorted(
        [
            "App", "Choice", "ConfigError", "Engine", "Inbound", "Kind", "Reply", "Settings",
            "build_app", "load_settings",
        ]
    )  # fmt: skip
    for name in bot.__all__:
        assert getattr(bot, name) is not None
