"""Start-up time of the `hocvuso` command against its goals, beside a bare `python -c pass`.

The CLI imports heavy modules (the application, SQLAlchemy, matplotlib, the chat
libraries) only inside the commands that use them, so an operator's `--help` or a quick
`check` answers at once. Also times `hocvuso check -` over every labelled message in
tests/data (one start-up for all of them; goal of issue 12: under 5 s). Each figure is
the median of several runs of a fresh process.
Run: `.venv/bin/python bench/cli.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOCVUSO = Path(sys.executable).with_name("hocvuso")
MESSAGE = "Tai khoan cua ban bi khoa, bam vao http://vcb-secure.xyz de xac minh ngay"
DATA = ROOT / "tests" / "data"


def seconds(command: list[str], runs: int, stdin: bytes | None = None) -> float:
    """Median wall time of a fresh process, after one warm-up run (the disk cache)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HOCVUSO_")}
    times = []
    for n in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, input=stdin, env=env, cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        if n:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def line(name: str, value: float, goal: float | None) -> None:
    met = "met" if goal is not None and value < goal else "MISSED"
    verdict = "" if goal is None else f"  goal < {goal:.1f} s ({met})"
    print(f"{name:<34} {value:6.3f} s{verdict}")


def messages() -> bytes:
    import yaml

    found = []
    for path in sorted(DATA.glob("**/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else (data or {}).get("messages", [])
        for item in items if isinstance(items, list) else []:
            text = item.get("text") if isinstance(item, dict) else None
            if isinstance(text, str) and ("check" in path.name or "scams" in path.name):
                found.append(" ".join(text.split()))
    return ("\n".join(found) + "\n").encode("utf-8")


def main(runs: int) -> None:
    print(f"hocvuso start-up, median of {runs} runs each ({HOCVUSO}):")
    line("python -c pass", seconds([sys.executable, "-c", "pass"], runs), None)
    line("hocvuso --help", seconds([str(HOCVUSO), "--help"], runs), 0.3)
    line('hocvuso check "…"', seconds([str(HOCVUSO), "check", MESSAGE], runs), 0.6)
    batch = messages()
    count = batch.count(b"\n")
    if count > 1:
        took = seconds([str(HOCVUSO), "check", "-"], max(1, runs // 3), stdin=batch)
        line(f"hocvuso check - ({count} messages)", took, 5.0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    main(parser.parse_args().runs)
