"""Every UI string goes through gettext and is translated in both catalogs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"


def _catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


def _extracted(tmp_path: Path) -> set[str]:
    target = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
            "-o", str(target), "--no-location", "--omit-header", "bot", "scheduler",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )  # fmt: skip
    return {message.id for message in _catalog(target) if message.id}


def test_the_template_is_up_to_date(tmp_path: Path) -> None:
    committed = {m.id for m in _catalog(LOCALES / "messages.pot") if m.id}
    assert _extracted(tmp_path) == committed, "run `make i18n-update` and translate"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_string_is_translated(tmp_path: Path, lang: str) -> None:
    catalog = _catalog(LOCALES / lang / "LC_MESSAGES" / "messages.po")
    translated = {m.id: m.string for m in catalog if m.id}
    missing = sorted(i for i in _extracted(tmp_path) if not translated.get(i))
    assert missing == [], f"{lang} lacks translations for {missing}"
    fuzzy = [m.id for m in catalog if m.fuzzy]
    assert fuzzy == [], "fuzzy entries (and a fuzzy header) are skipped at run time"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_placeholders_match(lang: str) -> None:
    import string

    catalog = _catalog(LOCALES / lang / "LC_MESSAGES" / "messages.po")
    for message in catalog:
        if not message.id:
            continue
        names = {f for _, f, _, _ in string.Formatter().parse(message.id) if f}
        found = {f for _, f, _, _ in string.Formatter().parse(message.string) if f}
        assert names == found, message.id


def test_no_literal_ui_text_in_the_core() -> None:
    """Reply and Choice texts in bot/core come from _() or content, never a bare literal."""
    offenders = []
    for path in (ROOT / "bot" / "core").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"Reply", "Choice"}:
                first = node.args[0] if node.args else None
                literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
                if literal and any(ch.isalpha() for ch in first.value):  # type: ignore[union-attr]
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_translations_are_picked_by_locale() -> None:
    from bot.i18n import _, format_number, use_locale

    with use_locale("vi"):
        assert _("✅ Correct!") == "✅ Đúng rồi!"
        assert format_number(1234567) == "1.234.567"
    with use_locale("en"):
        assert _("✅ Correct!") == "✅ Correct!"
        assert format_number(1234567) == "1,234,567"
