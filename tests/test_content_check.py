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
    """The demo lesson, with a third option per question so it meets the authoring rules."""
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    for number, question in enumerate(data["quiz"]):
        question["options"].append(
            {"text": {"vi": f"Lựa chọn khác {number}", "en": f"Other {number}"}}
        )
    return data


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
        (lambda d: d.pop("skills"), "skills: required field is missing"),
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


# --- authoring rules (bot/content/quality.py) -------------------------------------------


def _card(words: int) -> dict:  # type: ignore[type-arg]
    return {"text": {"vi": " ".join(["chữ"] * words), "en": " ".join(["word"] * words)}}


def test_more_than_seven_cards_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lesson = _lesson()
    lesson["cards"] = [_card(10) for _ in range(8)]
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert "demo/01-demo-one.yaml: cards: 8 cards; at most 7: split the lesson" in out
    lesson["cards"] = lesson["cards"][:7]
    _write(tmp_path, lesson)
    assert _check(tmp_path, capsys)[0] == 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_card_of_60_words_is_refused_in_either_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    lesson = _lesson()
    lesson["cards"][1] = _card(59)
    _write(tmp_path, lesson)
    assert _check(tmp_path, capsys)[0] == 0
    lesson["cards"][1]["text"][lang] = " ".join(["x"] * 60)
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert f"demo/01-demo-one.yaml: cards[1].text.{lang}: 60 words; " in out


def test_a_question_with_two_options_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lesson = _lesson()
    lesson["quiz"][1]["options"].pop()
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert "demo/01-demo-one.yaml: quiz[1].options: 2 options; at least 3" in out


def test_a_question_repeated_in_another_lesson_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, _lesson())
    other = _lesson()
    other.update(id="demo-other", order=2)
    # The same question, typed without accents and in other case: folded, it is the same.
    other["quiz"][0]["question"]["vi"] = "MOT CONG MOT BANG MAY?"
    other["quiz"][0]["question"]["en"] = "A new question in English?"
    (tmp_path / "demo" / "02-demo-other.yaml").write_text(
        yaml.safe_dump(other, allow_unicode=True), encoding="utf-8"
    )
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert (
        "demo/02-demo-other.yaml: quiz[0].question.vi: repeats the question of "
        "demo/01-demo-one.yaml quiz[0]"
    ) in out


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        (("cards", 0, "text"), "Bạn hãy cài VNeID từ CH Play.", "cards[0].text.vi: addresses"),
        (("quiz", 0, "reason"), "Một cộng một bằng hai, bạn nhé.", "quiz[0].reason.vi: addresses"),
        (("title",), "Học với bot", 'title.vi: calls the assistant "bot"'),
        (("cards", 1, "text"), "Bot này không hỏi mã OTP.", "cards[1].text.vi: calls"),
    ],
)
def test_ban_or_bot_outside_quotes_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    field: tuple,  # type: ignore[type-arg]
    text: str,
    expected: str,
) -> None:
    lesson = _lesson()
    target = lesson
    for key in field:
        target = target[key]
    target["vi"] = text
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert f"demo/01-demo-one.yaml: {expected}" in out


def test_bot_in_the_english_text_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lesson = _lesson()
    lesson["cards"][0]["text"]["en"] = "The bot never asks for your OTP."
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert 'demo/01-demo-one.yaml: cards[0].text.en: calls the assistant "bot"' in out


def test_quoted_crooks_and_friends_are_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lesson = _lesson()
    lesson["cards"][0]["text"]["vi"] = (
        'Kẻ gian nhắn: “Chào bạn, tài khoản của bạn bị khóa”. Có tin nhắn "bot hỗ trợ" '
        "thì bác cũng đừng bấm. Bạn bè của bác cũng nên biết."
    )
    lesson["cards"][0]["text"]["en"] = "Crooks write: “Dear user, our bot locked you”."
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 0, out


def test_coverage_of_the_framework_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lesson = _lesson()
    lesson["skills"] = ["mot"]
    _write(tmp_path, lesson)
    framework = {
        "name": {"vi": "Khung thử", "en": "A test framework"},
        "source": {"url": "https://example.gov.vn/khung", "title": "Khung thử"},
        "complete": True,
        "areas": [
            {
                "id": area,
                "code": str(number),
                "name": {"vi": f"Nhóm {area}", "en": f"Area {area}"},
                "source": {"url": "https://example.gov.vn/khung", "title": "Khung thử"},
            }
            for number, area in enumerate(["mot", "hai", "ba"], start=1)
        ],
    }
    (tmp_path / "framework.yaml").write_text(
        yaml.safe_dump(framework, allow_unicode=True), encoding="utf-8"
    )
    code, out = _check(tmp_path, capsys)
    assert code == 0
    assert "Framework coverage: 1/3 areas covered" in out
    assert "Areas with no lesson: 2 Nhóm hai; 3 Nhóm ba" in out
    assert "areas mot" in out

    lesson["skills"] = ["mot", "bon"]
    _write(tmp_path, lesson)
    code, out = _check(tmp_path, capsys)
    assert code == 1
    assert "demo/01-demo-one.yaml: skills[1]: no area 'bon' in framework.yaml" in out
