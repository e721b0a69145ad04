"""Issue 12 (batch mode): `hocvuso check -` and `hocvuso ask -` read one input per line from
stdin and print one JSON object per line, in order, with the same fields as `--json`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli_errors import assert_one_sentence, hocvuso

MESSAGES = [
    "Tai khoan cua ban bi khoa, bam vao http://vcb-secure.xyz ngay",
    "",
    "Chiều nay họp thôn lúc 3 giờ ở nhà văn hoá.",
]


def _lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_check_batch_answers_every_line_in_order() -> None:
    result = hocvuso(["check", "-"], {}, stdin="\n".join(MESSAGES) + "\n")
    assert result.returncode == 0, result.stderr
    answers = _lines(result.stdout)
    assert [a["input"] for a in answers] == MESSAGES
    assert all(a["level"] in {"low", "medium", "high"} for a in answers)
    assert answers[0]["level"] == "high" and answers[0]["reasons"]
    assert answers[1]["reasons"] == []
    single = hocvuso(["check", MESSAGES[0], "--json"], {})
    assert json.loads(single.stdout) == answers[0]  # one function builds both


def test_ask_batch_answers_every_line_in_order(lessons_dir: Path) -> None:
    env = {"HOCVUSO_LESSONS_DIR": str(lessons_dir)}
    result = hocvuso(["ask", "-", "--lang", "en"], env, stdin="bai thu mot\n\n")
    assert result.returncode == 0, result.stderr
    first, empty = _lines(result.stdout)
    assert first["input"] == "bai thu mot" and "demo-one" in json.dumps(first)
    assert empty["input"] == "" and empty["matches"] == [] and empty["confident"] is False
    single = hocvuso(["ask", "bai thu mot", "--lang", "en", "--json"], env)
    assert json.loads(single.stdout) == first  # one function builds both


def test_check_without_rules_is_one_sentence(lessons_dir: Path) -> None:
    result = hocvuso(["check", "-"], {"HOCVUSO_LESSONS_DIR": str(lessons_dir)})
    assert_one_sentence(result, "scam_rules.yaml", "missing")
