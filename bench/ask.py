"""Time per question (ask search) and per message (scam check) on the shipped content.

Both run inside a chat turn, so each must stay far below the engine's 5 ms budget.
Questions and messages come from the labelled test sets in tests/data.
Run: `.venv/bin/python bench/ask.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from bot.content import load_catalog
from bot.content.scam_rules import SCAM_RULES_FILE, load_scam_rules
from bot.content.search import SearchIndex
from bot.core.scamcheck import ScamChecker
from bot.resources import data_dir

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def timed(call: Callable[[str], object], inputs: list[str], runs: int) -> list[float]:
    """Seconds per call, cycling through ``inputs`` for ``runs`` calls after a warm-up."""
    for text in inputs:
        call(text)
    latencies = []
    for n in range(runs):
        text = inputs[n % len(inputs)]
        started = time.perf_counter()
        call(text)
        latencies.append(time.perf_counter() - started)
    return sorted(latencies)


def report(name: str, latencies: list[float], goal_ms: float) -> None:
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"{name}: {len(latencies):,} runs, median {p50:.3f} ms, p99 {p99:.3f} ms")
    print(f"  goal: under {goal_ms:g} ms ({'met' if p99 < goal_ms else 'MISSED'})")


def main(runs: int) -> None:
    started = time.perf_counter()
    lessons = data_dir("lessons")
    index = SearchIndex.build(load_catalog(lessons))
    print(f"search index: {len(index.docs)} documents in {time.perf_counter() - started:.3f} s")
    started = time.perf_counter()
    checker = ScamChecker(load_scam_rules(lessons / SCAM_RULES_FILE))
    print(f"scam checker: rules loaded and compiled in {time.perf_counter() - started:.3f} s")

    questions = yaml.safe_load((DATA / "ask_questions.yaml").read_text(encoding="utf-8"))
    messages = yaml.safe_load((DATA / "check_messages.yaml").read_text(encoding="utf-8"))
    asked = [item["q"] for item in questions["questions"]]
    pasted = [item["text"] for item in messages["messages"]]
    report("ask search per question", timed(index.search, asked, runs), goal_ms=2)
    report("scam check per message", timed(checker.check, pasted, runs), goal_ms=5)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5_000)
    args = parser.parse_args()
    main(args.runs)
