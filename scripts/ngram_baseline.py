"""A statistical baseline for the scam checker, kept to show why it is not used.

    .venv/bin/python scripts/ngram_baseline.py

A multinomial naive Bayes over character 3–5-grams of the folded text, trained on one
writer's development part and measured on the other writers' parts, beside the rules'
first look at those parts (README, "How good they are").
"""

from __future__ import annotations

import collections
import math
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content.textfold import fold
from tests.evaluation import load


def grams(text: str) -> collections.Counter[str]:
    padded = f" {fold(text)} "
    counts: collections.Counter[str] = collections.Counter()
    for n in (3, 4, 5):
        counts.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return counts


def train(rows: list[dict]) -> Callable[[str], float]:  # type: ignore[type-arg]
    counts = {"scam": collections.Counter(), "ok": collections.Counter()}  # type: ignore[var-annotated]
    prior: collections.Counter[str] = collections.Counter()
    for row in rows:
        counts[row["label"]].update(grams(row["text"]))
        prior[row["label"]] += 1
    vocabulary = len(set(counts["scam"]) | set(counts["ok"]))
    totals = {label: sum(c.values()) for label, c in counts.items()}

    def scam_probability(text: str) -> float:
        found = grams(text)
        logs = {
            label: math.log(prior[label] / sum(prior.values()))
            + sum(
                n * math.log((counts[label][g] + 1) / (totals[label] + vocabulary))
                for g, n in found.items()
            )
            for label in counts
        }
        top = max(logs.values())
        return math.exp(logs["scam"] - top) / sum(math.exp(v - top) for v in logs.values())

    return scam_probability


def main() -> None:
    model = train(load("scams_dev.yaml"))
    for part in ("scams_dev2.yaml", "scams_dev3.yaml"):
        rows = load(part)
        scams = [r for r in rows if r["label"] == "scam"]
        ordinary = [r for r in rows if r["label"] == "ok"]
        for threshold in (0.5, 0.9, 0.99):
            recall = sum(model(r["text"]) >= threshold for r in scams) / len(scams)
            alarms = sum(model(r["text"]) >= threshold for r in ordinary) / len(ordinary)
            print(
                f"writer A -> {part} at {threshold}: recall {recall:.3f}, false alarms {alarms:.3f}"
            )


if __name__ == "__main__":
    main()
