"""Figures for the scam checker and the answer search over a labelled corpus part.

The corpus (tests/data/eval/) was written by writers who never saw the rules; each part
is a separate file: scams_dev.yaml and questions_dev.yaml are what the rules were tuned on,
scams_dev2.yaml and questions_dev2.yaml check that the tuning carries over to another
writer, and scams_test.yaml and questions_test.yaml are never tuned on (see README).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content.textfold import fold

EVAL = Path(__file__).parent / "data" / "eval"


def load(name: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))
    return list(data.get("messages") or data.get("questions") or [])


def strip_accents(text: str) -> str:
    """The message as typed on a phone without Vietnamese keyboard: same words, no marks."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass
class ScamFigures:
    scams: int = 0
    caught: int = 0  # rated high or medium
    ok: int = 0
    false_alarms: int = 0
    low_with_reason: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    alarmed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.scams if self.scams else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.ok if self.ok else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:<28} scams {self.scams:>3}  recall {self.recall:.3f}   "
            f"ordinary {self.ok:>3}  false alarms {self.false_alarm_rate:.3f}"
        )


def scam_figures(
    checker: Any, rows: list[dict[str, Any]], *, no_accents: bool = False
) -> ScamFigures:
    figures = ScamFigures()
    for row in rows:
        text = strip_accents(row["text"]) if no_accents else row["text"]
        verdict = checker.check(text)
        flagged = verdict.level in ("high", "medium")
        if verdict.level == "low" and verdict.findings:
            figures.low_with_reason.append(row["id"])
        if row["label"] == "scam":
            figures.scams += 1
            figures.caught += flagged
            if not flagged:
                figures.missed.append(row["id"])
        else:
            figures.ok += 1
            figures.false_alarms += flagged
            if flagged:
                figures.alarmed.append(row["id"])
    return figures


@dataclass
class AskFigures:
    answerable: int = 0
    first: int = 0  # the first lesson ranked is a right one
    top3: int = 0  # a right lesson is among the first three ranked
    answered: int = 0  # shown (confident) and right: what the learner gets
    confident_wrong: int = 0
    out_of_scope: int = 0
    abstained: int = 0
    wrong: list[str] = field(default_factory=list)
    not_top3: list[str] = field(default_factory=list)
    answered_out_of_scope: list[str] = field(default_factory=list)

    @property
    def first_rate(self) -> float:
        return self.first / self.answerable if self.answerable else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.answerable if self.answerable else 0.0

    @property
    def answered_rate(self) -> float:
        return self.answered / self.answerable if self.answerable else 0.0

    @property
    def abstain_rate(self) -> float:
        return self.abstained / self.out_of_scope if self.out_of_scope else 0.0

    @property
    def confident_wrong_rate(self) -> float:
        total = self.answerable + self.out_of_scope
        return self.confident_wrong / total if total else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:<28} questions {self.answerable:>3}  first {self.first_rate:.3f}  "
            f"top-3 {self.top3_rate:.3f}  answered right {self.answered_rate:.3f}  "
            f"out of scope {self.out_of_scope:>3} abstained {self.abstain_rate:.3f}  "
            f"confident and wrong {self.confident_wrong_rate:.3f}"
        )


def ask_figures(index: Any, rows: list[dict[str, Any]]) -> AskFigures:
    """ "first" and "top 3": the lessons as ranked (what `hocvuso ask -` lists as
    candidates); "answered right": the first is shown (confident) and right; out-of-scope
    questions must get no confident answer; "confident and wrong" counts confident answers
    whose lesson is not a right one, over all questions, out-of-scope ones included."""
    figures = AskFigures()
    for row in rows:
        lessons = set(row.get("lessons") or [])
        answer = index.answer(row["text"])
        top = [hit.doc.lesson_id for hit in answer.hits[:3]]
        if not lessons:
            figures.out_of_scope += 1
            if answer.confident:
                figures.confident_wrong += 1
                figures.answered_out_of_scope.append(row["id"])
            else:
                figures.abstained += 1
            continue
        figures.answerable += 1
        right_first = bool(top) and top[0] in lessons
        figures.first += right_first
        if answer.confident and right_first:
            figures.answered += 1
        elif answer.confident:
            figures.confident_wrong += 1
        if not right_first:
            figures.wrong.append(row["id"])
        if lessons & set(top):
            figures.top3 += 1
        else:
            figures.not_top3.append(row["id"])
    return figures


def folded(text: str) -> str:
    return fold(text)
