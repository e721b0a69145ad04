"""Time per question (ask search) and per message (scam check), and the batch command.

Both run inside a chat turn, so each must stay far below the engine's 5 ms budget; goals
(issue 12): median under 2 ms per question and under 5 ms per check, and `hocvuso check -`
over the whole labelled corpus under 5 s. Inputs: every message and question of the
evaluation corpus (tests/data/eval/).
Run: `.venv/bin/python bench/ask.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import load_catalog  # noqa: E402
from bot.content.scam_rules import SCAM_RULES_FILE, load_scam_rules  # noqa: E402
from bot.content.search import SearchIndex  # noqa: E402
from bot.core.scamcheck import ScamChecker  # noqa: E402
from bot.resources import data_dir  # noqa: E402
from tests.evaluation import EVAL, load  # noqa: E402


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
    verdict = "met" if p50 < goal_ms else "MISSED"
    print(f"{name}: {len(latencies):,} runs, median {p50:.3f} ms, p99 {p99:.3f} ms")
    print(f"  goal: median under {goal_ms:g} ms ({verdict})")


def batch_check(messages: list[str]) -> float:
    """Seconds for `hocvuso check -` to read every message and print one JSON line each."""
    command = [str(ROOT / ".venv" / "bin" / "hocvuso"), "check", "-"]
    if not Path(command[0]).exists():
        command = [sys.executable, "-m", "bot", "check", "-"]
    payload = "\n".join(" ".join(message.split()) for message in messages) + "\n"
    started = time.perf_counter()
    done = subprocess.run(command, input=payload.encode(), capture_output=True, check=True)
    elapsed = time.perf_counter() - started
    lines = done.stdout.decode().splitlines()
    assert len(lines) == len(messages), (len(lines), len(messages))
    return elapsed


def main(runs: int) -> None:
    started = time.perf_counter()
    lessons = data_dir("lessons")
    index = SearchIndex.build(load_catalog(lessons))
    print(f"search index: {len(index.docs)} documents in {time.perf_counter() - started:.3f} s")
    started = time.perf_counter()
    checker = ScamChecker(load_scam_rules(lessons / SCAM_RULES_FILE))
    print(f"scam checker: rules loaded and compiled in {time.perf_counter() - started:.3f} s")

    questions = [
        row["text"] for path in sorted(EVAL.glob("questions_*.yaml")) for row in load(path.name)
    ]
    messages = [
        row["text"] for path in sorted(EVAL.glob("scams_*.yaml")) for row in load(path.name)
    ]
    report("ask search per question", timed(index.search, questions, runs), goal_ms=2)
    report("scam check per message", timed(checker.check, messages, runs), goal_ms=5)
    elapsed = batch_check(messages)
    verdict = "met" if elapsed < 5 else "MISSED"
    print(f"`hocvuso check -` over the whole corpus ({len(messages)} messages): {elapsed:.2f} s")
    print(f"  goal: under 5 s ({verdict})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5_000)
    args = parser.parse_args()
    main(args.runs)
