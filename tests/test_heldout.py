"""Issue 12: the scam checker and the answer search on messages nobody here tuned for.

The corpus in tests/data/eval/ was written by helpers who never saw the rules, the FAQ or
the lessons (each file's header says who and how). The rules were tuned on the development
parts only, and the development questions are the search's example questions, so their
figures are training figures; the test parts (scams_test.yaml, questions_test.yaml) were
never looked at while tuning: only their totals were read. Both are printed
(`pytest -s tests/test_heldout.py`); the goals are asserted on the test parts.
"""

from __future__ import annotations

import pytest

from bot.content import load_catalog
from bot.content.search import SearchIndex
from bot.core.scamcheck import ScamChecker
from bot.resources import data_dir
from tests.evaluation import ask_figures, load, scam_figures

CATALOG = load_catalog(data_dir("lessons"))
assert CATALOG.scam_rules is not None
CHECKER = ScamChecker(CATALOG.scam_rules)
INDEX = SearchIndex.build(CATALOG)
SCAM_PARTS = ["scams_dev.yaml", "scams_dev2.yaml", "scams_dev3.yaml"]
QUESTION_PARTS = ["questions_dev.yaml", "questions_dev2.yaml", "questions_dev3.yaml"]


def test_scam_checker_on_the_test_part() -> None:
    lines = []
    for name in [*SCAM_PARTS, "scams_test.yaml"]:
        rows = load(name)
        lines.append(scam_figures(CHECKER, rows).line(name))
        lines.append(scam_figures(CHECKER, rows, no_accents=True).line(f"{name} (no accents)"))
    print("\n" + "\n".join(lines))
    test = scam_figures(CHECKER, load("scams_test.yaml"))
    assert test.scams >= 100 and test.ok >= 100
    assert test.recall >= 0.9, lines
    assert test.false_alarm_rate <= 0.05, lines
    stripped = scam_figures(CHECKER, load("scams_test.yaml"), no_accents=True)
    assert stripped.recall >= 0.9 and stripped.false_alarm_rate <= 0.05, lines


@pytest.mark.parametrize("name", [*SCAM_PARTS, "scams_test.yaml"])
def test_no_scam_is_shown_as_low_beside_a_reason(name: str) -> None:
    """A warning sign never sits beside "no clear sign" (issue 12, must-show 2)."""
    for row in load(name):
        verdict = CHECKER.check(row["text"])
        if verdict.level == "low":
            assert verdict.findings == (), row["id"]


def test_answer_search_on_the_test_part() -> None:
    lines = [ask_figures(INDEX, load(name)).line(name) for name in QUESTION_PARTS]
    test = ask_figures(INDEX, load("questions_test.yaml"))
    lines.append(test.line("questions_test.yaml"))
    print("\n" + "\n".join(lines))
    assert test.answerable + test.out_of_scope >= 75
    assert test.first_rate >= 0.85, lines
    assert test.top3_rate >= 0.95, lines
    assert test.abstain_rate >= 0.9, lines
    assert test.confident_wrong_rate <= 0.05, lines


def test_the_corpus_is_large_and_split_by_writer() -> None:
    scams = [row for name in [*SCAM_PARTS, "scams_test.yaml"] for row in load(name)]
    questions = [row for name in [*QUESTION_PARTS, "questions_test.yaml"] for row in load(name)]
    assert sum(row["label"] == "scam" for row in scams) >= 200
    assert sum(row["label"] == "ok" for row in scams) >= 200
    assert len({row["kind"] for row in scams if row["label"] == "scam"}) >= 20
    assert all(row.get("source") for row in scams if row["label"] == "scam")
    assert len(questions) >= 150
    assert sum(not row["lessons"] for row in questions) >= 20
    assert sum(row.get("lang") == "en" for row in questions) >= 15
    ids = [row["id"] for row in scams + questions]
    assert len(ids) == len(set(ids)), "ids are unique across the parts"
