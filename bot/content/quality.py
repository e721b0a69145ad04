"""Authoring rules for the curriculum, checked by ``hocvuso lessons check`` and the tests.

The schema (bot/content/schema.py) holds what would break the bot; these rules hold what
makes a lesson fit its learners: short lessons, cards that fit a small screen, quizzes that
guessing cannot pass, no question asked twice, and one voice ("bác" and "tôi"). They do not
stop start-up, so a commune's own lesson still runs while its author fixes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.content.loader import FAQ_FILE, NATIONAL_FILE, Catalog
from bot.content.problems import Problem
from bot.content.scam_rules import SCAM_RULES_FILE
from bot.content.schema import (
    CARD_WORDS_LIMIT,
    CARDS_MAX,
    LANGUAGES,
    OPTIONS_MIN,
    FrameworkArea,
    Lesson,
)
from bot.content.textfold import fold
from bot.content.voice import find_voice_problems


def _texts(field: str, value: object) -> Iterator[tuple[str, str]]:
    for lang in LANGUAGES:
        yield f"{field}.{lang}", getattr(value, lang)


def _lesson_texts(lesson: Lesson) -> Iterator[tuple[str, str]]:
    yield from _texts("title", lesson.title)
    yield from _texts("summary", lesson.summary)
    for index, card in enumerate(lesson.cards):
        yield from _texts(f"cards[{index}].text", card.text)
    for index, question in enumerate(lesson.quiz):
        yield from _texts(f"quiz[{index}].question", question.question)
        for number, option in enumerate(question.options):
            yield from _texts(f"quiz[{index}].options[{number}].text", option.text)
        yield from _texts(f"quiz[{index}].reason", question.reason)


def learner_texts(catalog: Catalog) -> Iterator[tuple[str, str, str]]:
    """Every text a learner can see in the content, as (file, field, text), both languages."""
    for lesson in catalog.lessons:
        rel = catalog.lesson_files.get(lesson.id, lesson.id)
        for field, text in _lesson_texts(lesson):
            yield rel, field, text
    for index, item in enumerate(catalog.faq):
        for field, text in _texts(f"items[{index}].question", item.question):
            yield FAQ_FILE, field, text
        for field, text in _texts(f"items[{index}].answer", item.answer):
            yield FAQ_FILE, field, text
    for rel, weekly in catalog.weekly_files:
        for index, message in enumerate(weekly.messages):
            for field, text in _texts(f"messages[{index}].text", message.text):
                yield rel, field, text
        for index, event in enumerate(weekly.event):
            for field, text in _texts(f"event[{index}].text", event.text):
                yield rel, field, text
    rules = catalog.scam_rules
    if rules is not None:
        for name in type(rules.links).model_fields:
            for field, text in _texts(f"links.{name}.reason", getattr(rules.links, name).reason):
                yield SCAM_RULES_FILE, field, text
        for part in ("asks", "pretexts", "pressure"):
            for index, cue in enumerate(getattr(rules, part)):
                for field, text in _texts(f"{part}[{index}].reason", cue.reason):
                    yield SCAM_RULES_FILE, field, text
        for level in ("high", "medium", "low", "always"):
            for field, text in _texts(f"advice.{level}", getattr(rules.advice, level)):
                yield SCAM_RULES_FILE, field, text
        for field, text in _texts("report", rules.report):
            yield SCAM_RULES_FILE, field, text
    if catalog.national is not None:
        for index, step in enumerate(catalog.national.steps):
            for field, text in _texts(f"steps[{index}].text", step.text):
                yield NATIONAL_FILE, field, text


def _shape_problems(rel: str, lesson: Lesson) -> Iterator[Problem]:
    if len(lesson.cards) > CARDS_MAX:
        yield Problem(
            rel, "cards", f"{len(lesson.cards)} cards; at most {CARDS_MAX}: split the lesson"
        )
    for index, card in enumerate(lesson.cards):
        for lang in LANGUAGES:
            words = len(card.text.get(lang).split())
            if words >= CARD_WORDS_LIMIT:
                yield Problem(
                    rel,
                    f"cards[{index}].text.{lang}",
                    f"{words} words; a card must have fewer than {CARD_WORDS_LIMIT}",
                )
    for index, question in enumerate(lesson.quiz):
        if len(question.options) < OPTIONS_MIN:
            yield Problem(
                rel,
                f"quiz[{index}].options",
                f"{len(question.options)} options; at least {OPTIONS_MIN}, "
                "each a mistake a real person might make",
            )


def _repeated_questions(catalog: Catalog) -> Iterator[Problem]:
    seen: dict[tuple[str, str], str] = {}
    for lesson in catalog.lessons:
        rel = catalog.lesson_files.get(lesson.id, lesson.id)
        for index, question in enumerate(lesson.quiz):
            here = f"{rel} quiz[{index}]"
            for lang in LANGUAGES:
                key = (lang, fold(question.question.get(lang)))
                if key in seen:
                    yield Problem(
                        rel,
                        f"quiz[{index}].question.{lang}",
                        f"repeats the question of {seen[key]}; ask something new",
                    )
                    break
                seen[key] = here


def quality_problems(catalog: Catalog) -> list[Problem]:
    """Every authoring rule the catalog breaks, by file, field and reason."""
    problems: list[Problem] = []
    for lesson in catalog.lessons:
        problems.extend(_shape_problems(catalog.lesson_files.get(lesson.id, lesson.id), lesson))
    problems.extend(_repeated_questions(catalog))
    for rel, field, text in learner_texts(catalog):
        problems.extend(Problem(rel, field, reason) for reason in find_voice_problems(text))
    return problems


@dataclass(frozen=True)
class Coverage:
    areas: list[FrameworkArea]
    covered: list[FrameworkArea]
    missing: list[FrameworkArea]
    lessons_without_area: list[str]


def framework_coverage(catalog: Catalog) -> Coverage | None:
    """Which framework areas the lessons name; None when the folder has no framework file."""
    if catalog.framework is None:
        return None
    named = {area for lesson in catalog.lessons for area in lesson.skills}
    areas = list(catalog.framework.areas)
    return Coverage(
        areas=areas,
        covered=[area for area in areas if area.id in named],
        missing=[area for area in areas if area.id not in named],
        lessons_without_area=[lesson.id for lesson in catalog.lessons if not lesson.skills],
    )
