"""`hocvuso lessons check`: every problem named by file, field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.cli import main

GOOD = Path(__file__).parent / "data" / "lessons" / "demo" / "01-demo-one.yaml"


def _write(folder: Path, data: dict) -> None:  # type: ignore[type-arg]
    (folder / "demo").mkdir(parents=True, exist_ok=True)
    (folder / "img").mkdir(exist_ok=True)
    (folder / "img" / "demo.png").write_bytes(b"\x89PNG")
    (folder / "demo" / "01-demo-one.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )


def _lesson() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(GOOD.read_text(encoding="utf-8"))


def _check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["lessons", "check", "--dir", str(folder)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_valid_folder_passes_and_reports_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, _lesson())
    code, out = _check(tmp_path, capsys)
    assert code == 0
    assert "demo-one v1: 2 cards, 2 questions" in out
    assert "vi+en" in out


def test_missing_correct_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lesson = _lesson()
    lesson["quiz"][1]["options"][1]["correct"] = False
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert "demo/01-demo-one.yaml: quiz[1].options: needs exactly one option" in out


def test_unknown_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lesson = _lesson()
    lesson["cards"][0]["colour"] = "red"
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert "demo/01-demo-one.yaml: cards[0].colour: unknown field" in out


def test_too_long_card(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lesson = _lesson()
    lesson["cards"][1]["text"]["en"] = "word " * 200
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert "demo/01-demo-one.yaml: cards[1].text.en: is too long (999 > 500 characters)" in out


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["title"].pop("en"), "title.en: required field is missing"),
        (lambda d: d.update(sources=[]), "sources: List should have at least 1 item"),
        (lambda d: d["cards"][0]["text"].update(vi="TODO viết sau"), "placeholder text"),
        (lambda d: d["cards"][0].update(image="img/none.png"), "img/none.png not found"),
        (lambda d: d.update(id="Bad Id"), "id: String should match pattern"),
        (lambda d: d.update(id="x" * 42), "id: String should match pattern"),
        (
            lambda d: d["cards"][0].update(
                text={
                    "vi": "Chưa dịch câu này sang tiếng Anh.",
                    "en": "Chưa dịch câu này sang tiếng Anh.",
                }
            ),
            "cards[0].text: en is a copy of vi",
        ),
    ],
)
def test_other_problems_name_the_field(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change,
    expected,  # type: ignore[no-untyped-def]
) -> None:
    lesson = _lesson()
    change(lesson)
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert expected in out


def test_broken_yaml_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "01-x.yaml").write_text("id: x\ncards: [\n", encoding="utf-8")
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert "demo/01-x.yaml: line" in out and "not valid YAML" in out


def test_a_broken_lesson_stops_start_up_with_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    lesson = _lesson()
    del lesson["quiz"]
    _write(tmp_path / "lessons", lesson)
    env = {
        "HOCVUSO_LESSONS_DIR": str(tmp_path / "lessons"),
        "HOCVUSO_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "PATH": "/usr/bin:/bin",
    }
    run = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert run.returncode == 2
    assert "demo/01-demo-one.yaml: quiz: required field is missing" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_longest_button_payload_fits_telegram() -> None:
    longest = "ans:" + "x" * 41 + ":5:3"
    assert len(longest.encode()) <= 64
