"""`hocvuso lessons check` (its arguments are declared in bot/cli/commands.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import Settings
from bot.content import Catalog, ContentError, load_catalog
from bot.resources import data_dir


def cmd_lessons_check(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.quality import quality_problems

    root = Path(args.dir) if args.dir else (settings.lessons_dir or data_dir("lessons"))
    try:
        catalog = load_catalog(root)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found in {root}.", file=sys.stderr)
        return 1
    for lesson in catalog.lessons:
        core = ", core path" if lesson.core else ""
        areas = f", areas {' '.join(lesson.skills)}" if lesson.skills else ", no framework area"
        print(
            f"{lesson.id} v{lesson.version}: {len(lesson.cards)} cards, "
            f"{len(lesson.quiz)} questions, pass mark {lesson.pass_mark}%, "
            f"{lesson.minutes} min{core}, languages vi+en{areas}"
        )
    _print_coverage(catalog)
    problems = quality_problems(catalog)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(
            f"{len(problems)} problem(s) with the authoring rules in {root} "
            "(see lessons/README.md).",
            file=sys.stderr,
        )
        return 1
    weekly = catalog.weekly
    rules = catalog.scam_rules
    scam = (
        f", scam rules ({len(rules.asks)} asks, {len(rules.pretexts)} pretexts, "
        f"{len(rules.pressure)} kinds of pressure)"
        if rules
        else ""
    )
    national = (
        f", the national-platform guide ({len(catalog.national.steps)} steps)"
        if catalog.national
        else ""
    )
    print(
        f"{len(catalog.lessons)} lessons, {len(catalog.faq)} FAQ entries, "
        f"{len(weekly.messages)} weekly messages, {len(weekly.event)} 10/10 messages{scam}"
        f"{national}: all valid."
    )
    return 0


def _print_coverage(catalog: Catalog) -> None:
    """Which areas of the digital skills framework (lessons/framework.yaml) have a lesson."""
    from bot.content.quality import framework_coverage

    coverage = framework_coverage(catalog)
    if coverage is None:
        print("Framework coverage: no framework.yaml in this folder.")
        return
    print(f"Framework coverage: {len(coverage.covered)}/{len(coverage.areas)} areas covered")
    missing = "; ".join(f"{area.code} {area.name.vi}" for area in coverage.missing)
    print(f"Areas with no lesson: {missing or 'none'}")
    if coverage.lessons_without_area:
        print(f"Lessons naming no area: {', '.join(coverage.lessons_without_area)}")
    if catalog.framework is not None and not catalog.framework.complete:
        print(
            "Note: framework.yaml lists only the areas confirmed so far, "
            "not the whole framework (see its note)."
        )
