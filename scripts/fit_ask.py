"""Fit the answer search's confidence (bot/content/search.py CALIBRATION) across writers.

    .venv/bin/python scripts/fit_ask.py

The confidence must say how often the first lesson is right for a question from someone
whose questions the search has never seen. So the features are measured across writers:
each development part (one writer) is asked of an index that holds the example questions
of the other parts only. A logistic model of "the first lesson is right"
(out-of-scope questions count as wrong) is fitted on those features and printed, with what
each threshold would give. The test part is not used.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import load_catalog  # noqa: E402
from bot.content.search import SearchIndex  # noqa: E402
from bot.resources import data_dir  # noqa: E402

PARTS = ("questions_dev.yaml", "questions_dev2.yaml", "questions_dev3.yaml")


def load(part: str) -> list[dict]:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "tests" / "data" / "eval" / part).read_text("utf-8"))["questions"]


SIGNS = ("coverage", "example", "margin", "texts_agree", "examples_agree", "unknown", "length")


def features(index: SearchIndex, text: str) -> list[float] | None:
    """The signs search() computes for the first lesson."""
    hits = index.search(text, limit=1)
    if not hits or hits[0].signs is None:
        return None
    return [getattr(hits[0].signs, name) for name in SIGNS]


def main() -> int:
    catalog = load_catalog(data_dir("lessons"))
    rows_x, rows_y, in_scope = [], [], []
    rank_first = {}
    for test in PARTS:
        train = [part for part in PARTS if part != test]
        examples = [
            (r["text"], tuple(r["lessons"])) for part in train for r in load(part) if r["lessons"]
        ]
        built = SearchIndex.build(catalog)
        index = SearchIndex(built.docs, _fields_of(catalog), examples)
        right = total = 0
        for row in load(test):
            lessons = set(row["lessons"])
            found = features(index, row["text"])
            hits = index.search(row["text"], limit=1)
            correct = bool(lessons) and bool(hits) and hits[0].doc.lesson_id in lessons
            if lessons:
                total += 1
                right += correct
            rows_x.append(found or [0.0] * len(SIGNS))
            rows_y.append(1.0 if correct else 0.0)
            in_scope.append(bool(lessons))
        rank_first[f"{' + '.join(train)} -> {test}"] = right / total
    for name, value in rank_first.items():
        print(f"first lesson right, examples {name}: {value:.3f}")
    x, y, scope = np.array(rows_x), np.array(rows_y), np.array(in_scope)
    w = np.zeros(len(SIGNS))
    b = 0.0
    for _ in range(20000):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        gradient = p - y
        w -= 0.5 * (x.T @ gradient / len(y) + 0.001 * w)
        b -= 0.5 * gradient.mean()
    print("CALIBRATION = (" + ", ".join(f"{v:.2f}" for v in [b, *w]) + ")")
    p = 1 / (1 + np.exp(-(x @ w + b)))
    for threshold in np.arange(0.3, 0.85, 0.05):
        sure = p >= threshold
        first = (sure & (y == 1) & scope).sum() / scope.sum()
        wrong = (sure & (y == 0)).sum() / len(y)
        abstained = ((~sure) & (~scope)).sum() / (~scope).sum()
        print(
            f"threshold {threshold:.2f}: first {first:.3f}  confident and wrong {wrong:.3f}  "
            f"out of scope abstained {abstained:.3f}"
        )
    return 0


def _fields_of(catalog):  # type: ignore[no-untyped-def]
    """The same columns SearchIndex.build indexes (re-derived to swap the examples)."""
    topics = {
        lesson.id: [lesson.title.vi, lesson.title.en, lesson.summary.vi, lesson.summary.en]
        for lesson in catalog.lessons
    }
    fields = [
        ([i.question.vi, i.question.en, *i.keywords], topics.get(i.lesson, []),
         [i.answer.vi, i.answer.en])
        for i in catalog.faq
    ]  # fmt: skip
    for lesson in catalog.lessons:
        fields += [([], topics[lesson.id], [c.text.vi, c.text.en]) for c in lesson.cards]
    return fields


if __name__ == "__main__":
    sys.exit(main())
