"""Print the scam checker's and the answer search's figures on the development parts.

    .venv/bin/python scripts/evaluate.py            # development parts, with the misses
    .venv/bin/python scripts/evaluate.py --brief    # figures only

The test parts are measured by tests/test_heldout.py; never tune on what it shows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content import load_catalog
from bot.content.search import SearchIndex
from bot.core.scamcheck import ScamChecker
from bot.resources import data_dir
from tests.evaluation import EVAL, ask_figures, load, scam_figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--brief", action="store_true")
    parser.add_argument("--what", choices=["scams", "questions", "both"], default="both")
    args = parser.parse_args()
    catalog = load_catalog(data_dir("lessons"))
    assert catalog.scam_rules is not None
    checker = ScamChecker(catalog.scam_rules)
    if args.what in ("scams", "both"):
        for name in ("scams_dev.yaml", "scams_dev2.yaml"):
            if not (EVAL / name).exists():
                continue
            rows = load(name)
            by_id = {row["id"]: row for row in rows}
            for accents in (False, True):
                figures = scam_figures(checker, rows, no_accents=accents)
                print(figures.line(name + (" (no accents)" if accents else "")))
            if not args.brief:
                figures = scam_figures(checker, rows)
                for key in figures.missed:
                    row = by_id[key]
                    verdict = checker.check(row["text"])
                    print(
                        f"  MISS {key} [{row['kind']}] {verdict.asks} {verdict.pretexts} "
                        f"{verdict.pressure} about={verdict.about_scams}: {row['text'][:150]}"
                    )
                for key in figures.alarmed:
                    row = by_id[key]
                    verdict = checker.check(row["text"])
                    print(
                        f"  FA   {key} [{row['kind']}] {verdict.level} {verdict.asks} "
                        f"{verdict.pretexts} {verdict.pressure} about={verdict.about_scams} "
                        f"{[f.rule for f in verdict.findings if f.kind == 'link']}: "
                        f"{row['text'][:150]}"
                    )
    if args.what in ("questions", "both"):
        index = SearchIndex.build(catalog)
        for name in ("questions_dev.yaml", "questions_dev2.yaml"):
            if not (EVAL / name).exists():
                continue
            rows = load(name)
            figures = ask_figures(index, rows)
            print(figures.line(name))
            if not args.brief:
                by_id = {row["id"]: row for row in rows}
                for key in figures.wrong + figures.answered_out_of_scope:
                    row = by_id[key]
                    answer = index.answer(row["text"])
                    top = [(h.doc.lesson_id, round(h.score, 2)) for h in answer.hits[:3]]
                    print(f"  {key} {row['lessons']} conf={answer.confident} {top}: {row['text']}")


if __name__ == "__main__":
    main()
