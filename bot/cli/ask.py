"""`hocvuso ask` and `hocvuso check`: the chat's search and scam check on the terminal.

With ``-`` instead of the text, each reads one input per line from stdin and prints one
JSON object per line, so an integrator or an evaluation pays the start-up once. The JSON of
each is built in one function (``ask_json``, ``check_json``): change the fields there.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from bot.config import ConfigError, Settings

if TYPE_CHECKING:
    from bot.content.search import Hit, SearchIndex
    from bot.core.scamcheck import ScamChecker, Verdict

BATCH = "-"


def ask_json(question: str, hits: list[Hit], sure: bool, lang: str) -> dict[str, Any]:
    """What `hocvuso ask --json` and `hocvuso ask -` print for one question. With no
    confident match, ``matches`` is empty: the chat would say it does not know."""
    from bot.content.search import is_english

    answer_lang = "en" if is_english(question) else lang
    return {
        "input": question,
        "question": question,
        "confident": sure,
        "lang": answer_lang,
        "matches": [
            {
                "kind": hit.doc.kind, "id": hit.doc.id, "lesson": hit.doc.lesson_id,
                "title": hit.doc.title.get(answer_lang), "score": hit.score,
            }
            for hit in (hits if sure else [])
        ],
        "candidates": [
            {"lesson": hit.doc.lesson_id, "id": hit.doc.id, "score": hit.score} for hit in hits
        ],
    }  # fmt: skip


def check_json(message: str, verdict: Verdict, lang: str) -> dict[str, Any]:
    """What `hocvuso check --json` and `hocvuso check -` print for one message."""
    return {
        "input": message,
        "level": verdict.level,
        "score": verdict.score,
        "asks": list(verdict.asks),
        "pretexts": list(verdict.pretexts),
        "pressure": list(verdict.pressure),
        "about_scams": verdict.about_scams,
        "reasons": [
            {"rule": f.rule, "kind": f.kind, "reason": f.reason(lang), "detail": f.detail}
            for f in verdict.findings
        ],
        "official_links": list(verdict.official_links),
    }


def _stdin_lines() -> Iterator[str]:
    """Standard input line by line as UTF-8 (bad bytes replaced, never a crash)."""
    for raw in sys.stdin.buffer:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def _print_json_lines(answer: Callable[[str], dict[str, Any]]) -> int:
    """One compact JSON object per input line, in order, flushed as it goes (so a
    program can feed lines one at a time and read each answer)."""
    out = sys.stdout.buffer
    for line in _stdin_lines():
        out.write(json.dumps(answer(line), ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()
    return 0


def _index(settings: Settings) -> SearchIndex:
    from bot.cli.common import catalog
    from bot.content.search import SearchIndex

    return SearchIndex.build(catalog(settings))


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """The same search the chat uses, with the scores, for authors tuning the FAQ."""
    from bot.content.search import confident

    index = _index(settings)

    def answer(question: str) -> dict[str, Any]:
        hits = index.search(question, limit=args.limit) if question.strip() else []
        return ask_json(question, hits, confident(hits), args.lang)

    if args.question == BATCH:
        return _print_json_lines(answer)
    hits = index.search(args.question, limit=args.limit)
    sure = confident(hits)
    if args.json:
        print(json.dumps(ask_json(args.question, hits, sure, args.lang), ensure_ascii=False,
                         indent=2))  # fmt: skip
        return 0
    if not hits:
        print("No match.")
    for hit in hits:
        print(f"{hit.score:5.2f}  {hit.doc.lesson_id:<20} {hit.doc.title.get(args.lang)}")
    print("confident" if sure else "not confident: the bot would offer the lessons instead")
    return 0


def _checker(settings: Settings) -> ScamChecker:
    """Only the scam rules are read (not every lesson): the check starts in a fraction of a
    second."""
    from bot.content import ContentError
    from bot.content.scam_rules import SCAM_RULES_FILE, load_scam_rules
    from bot.core.scamcheck import ScamChecker
    from bot.resources import data_dir

    path = (settings.lessons_dir or data_dir("lessons")) / SCAM_RULES_FILE
    if not path.is_file():
        raise ConfigError(f"{path} is missing; the checker has no rules.")
    try:
        return ScamChecker(load_scam_rules(path))
    except ContentError as exc:
        raise ConfigError(" ".join(str(exc).split())) from None


def cmd_check(settings: Settings, args: argparse.Namespace) -> int:
    """The chat's scam check on the terminal: level, score and reasons."""
    checker = _checker(settings)
    if args.message == BATCH:
        return _print_json_lines(lambda text: check_json(text, checker.check(text), args.lang))
    verdict = checker.check(args.message)
    if args.json:
        print(json.dumps(check_json(args.message, verdict, args.lang), ensure_ascii=False,
                         indent=2))  # fmt: skip
        return 0
    print(f"risk: {verdict.level} (score {verdict.score})")
    for finding in verdict.findings:
        detail = f" [{finding.detail}]" if finding.detail else ""
        print(f"- {finding.reason(args.lang)}{detail}")
    print(checker.advice(verdict.level, args.lang))
    return 0
