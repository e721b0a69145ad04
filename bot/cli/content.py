"""`hocvuso lessons check`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.common import catalog
from bot.config import ConfigError, Settings
from bot.content import Catalog, ContentError, load_catalog
from bot.content.search import SearchIndex, confident
from bot.core.scamcheck import ScamChecker
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
    scam = f", scam rules ({len(rules.phrases)} phrase rules)" if rules else ""
    print(
        f"{len(catalog.lessons)} lessons, {len(catalog.faq)} FAQ entries, "
        f"{len(weekly.messages)} weekly messages, {len(weekly.event)} 10/10 messages{scam}: "
        "all valid."
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


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """The same search the chat uses, with the scores, for authors tuning the FAQ."""
    content = catalog(settings)
    index = SearchIndex.build(content)
    hits = index.search(args.question, limit=args.limit)
    sure = confident(hits)
    if args.json:
        print(json.dumps({
            "question": args.question,
            "confident": sure,
            "matches": [
                {
                    "kind": hit.doc.kind, "id": hit.doc.id, "lesson": hit.doc.lesson_id,
                    "title": hit.doc.title.get(args.lang), "score": round(hit.score, 3),
                    "coverage": round(hit.coverage, 3),
                }
                for hit in hits
            ],
        }, ensure_ascii=False, indent=2))  # fmt: skip
        return 0
    if not hits:
        print("No match.")
    for hit in hits:
        print(
            f"{hit.score:8.3f}  {hit.coverage:4.2f}  {hit.doc.lesson_id:<20} "
            f"{hit.doc.title.get(args.lang)}"
        )
    print("confident" if sure else "not confident: the bot would offer the lessons instead")
    return 0


def cmd_check(settings: Settings, args: argparse.Namespace) -> int:
    """The chat's scam check on the terminal: level, score and reasons."""
    content = catalog(settings)
    if content.scam_rules is None:
        raise ConfigError("lessons/scam_rules.yaml is missing; the checker has no rules.")
    checker = ScamChecker(content.scam_rules)
    verdict = checker.check(args.message)
    if args.json:
        print(json.dumps({
            "level": verdict.level,
            "score": verdict.score,
            "reasons": [
                {"rule": f.rule, "reason": f.reason(args.lang), "detail": f.detail}
                for f in verdict.findings
            ],
            "official_links": list(verdict.official_links),
        }, ensure_ascii=False, indent=2))  # fmt: skip
        return 0
    print(f"risk: {verdict.level} (score {verdict.score})")
    for finding in verdict.findings:
        detail = f" [{finding.detail}]" if finding.detail else ""
        print(f"- {finding.reason(args.lang)}{detail}")
    print(checker.advice(verdict.level, args.lang))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lessons = sub.add_parser("lessons", help="lesson content tools")
    lessons_sub = lessons.add_subparsers(dest="lessons_command", required=True, metavar="ACTION")
    check = lessons_sub.add_parser("check", help="validate every lesson file, FAQ and message")
    check.add_argument("--dir", help="lesson folder (default: the shipped lessons/)")
    check.set_defaults(func=cmd_lessons_check)
    ask = sub.add_parser("ask", help="answer a question from the FAQ and lessons, with scores")
    ask.add_argument("question")
    ask.add_argument("--limit", type=int, default=3)
    ask.add_argument("--lang", choices=["vi", "en"], default="vi")
    ask.add_argument("--json", action="store_true", help="machine-readable output")
    ask.set_defaults(func=cmd_ask)
    scam = sub.add_parser("check", help="is this message or link a scam? level and reasons")
    scam.add_argument("message")
    scam.add_argument("--lang", choices=["vi", "en"], default="vi")
    scam.add_argument("--json", action="store_true", help="machine-readable output")
    scam.set_defaults(func=cmd_check)
