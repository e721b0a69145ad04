"""Read lessons/, validate every file, and return a Catalog or every problem found.

Start-up and ``hocvuso lessons check`` share this code, so an author sees exactly the
errors that would stop the bot: file, field and reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.content.problems import ContentError, Problem, validate_file
from bot.content.scam_rules import SCAM_RULES_FILE, ScamRules
from bot.content.schema import (
    AskExample,
    AskExamples,
    Faq,
    FaqItem,
    Framework,
    Lesson,
    NationalGuide,
    WeeklyFile,
)

FAQ_FILE = "faq.yaml"
EXAMPLES_FILE = "ask_examples.yaml"
WEEKLY_DIR = "weekly"
FRAMEWORK_FILE = "framework.yaml"
NATIONAL_FILE = "national.yaml"


@dataclass
class Catalog:
    root: Path
    lessons: list[Lesson] = field(default_factory=list)
    faq: list[FaqItem] = field(default_factory=list)
    weekly: WeeklyFile = field(default_factory=WeeklyFile)
    scam_rules: ScamRules | None = None
    framework: Framework | None = None
    ask_examples: list[AskExample] = field(default_factory=list)
    national: NationalGuide | None = None  # the way to binhdanhocvuso.gov.vn (national.yaml)
    # Where each item came from, so authoring checks can name the file: lesson id -> file,
    # and each weekly file with what it holds.
    lesson_files: dict[str, str] = field(default_factory=dict)
    weekly_files: list[tuple[str, WeeklyFile]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lessons.sort(key=lambda lesson: (lesson.order, lesson.id))
        self._by_id = {lesson.id: lesson for lesson in self.lessons}

    def lesson(self, lesson_id: str) -> Lesson | None:
        return self._by_id.get(lesson_id)

    def next_lesson(self, lesson_id: str, done: set[str]) -> Lesson | None:
        """The first lesson after this one in the recommended order not yet completed."""
        ids = [lesson.id for lesson in self.lessons]
        start = ids.index(lesson_id) + 1 if lesson_id in ids else 0
        for lesson in self.lessons[start:] + self.lessons[:start]:
            if lesson.id not in done and lesson.id != lesson_id:
                return lesson
        return None

    def image_path(self, name: str | None) -> Path | None:
        return self.root / name if name else None


def load_catalog(root: Path) -> Catalog:
    """Load everything under ``root`` or raise ContentError listing every problem."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise ContentError([Problem(str(root), "(folder)", "lesson folder does not exist")])
    framework = None
    if (root / FRAMEWORK_FILE).exists():
        framework = validate_file(root / FRAMEWORK_FILE, FRAMEWORK_FILE, Framework, problems)
    area_ids = {area.id for area in framework.areas} if framework else None
    lessons: list[Lesson] = []
    files: dict[str, str] = {}
    for path in sorted(root.glob("*/*.yaml")):
        rel = str(path.relative_to(root))
        if rel.startswith(f"{WEEKLY_DIR}/"):
            continue
        lesson = validate_file(path, rel, Lesson, problems)
        if lesson is None:
            continue
        if lesson.id in files:
            problems.append(
                Problem(rel, "id", f"{lesson.id!r} is already used by {files[lesson.id]}")
            )
            continue
        files[lesson.id] = rel
        for index, area in enumerate(lesson.skills):
            if area_ids is not None and area not in area_ids:
                problems.append(
                    Problem(rel, f"skills[{index}]", f"no area {area!r} in {FRAMEWORK_FILE}")
                )
        for index, card in enumerate(lesson.cards):
            if card.image and not (root / card.image).is_file():
                problems.append(Problem(rel, f"cards[{index}].image", f"{card.image} not found"))
        lessons.append(lesson)
    if not lessons and not problems:
        problems.append(Problem(str(root), "(folder)", "no lesson files (*/*.yaml)"))

    faq: list[FaqItem] = []
    if (root / FAQ_FILE).exists():
        parsed = validate_file(root / FAQ_FILE, FAQ_FILE, Faq, problems)
        if parsed is not None:
            faq = parsed.items
            seen: set[str] = set()
            for index, item in enumerate(faq):
                if item.lesson not in files:
                    problems.append(
                        Problem(FAQ_FILE, f"items[{index}].lesson", f"no lesson {item.lesson!r}")
                    )
                if item.id in seen:
                    problems.append(Problem(FAQ_FILE, f"items[{index}].id", "used twice"))
                seen.add(item.id)

    weekly = WeeklyFile()
    weekly_files: list[tuple[str, WeeklyFile]] = []
    for path in sorted((root / WEEKLY_DIR).glob("*.yaml")):
        rel = str(path.relative_to(root))
        part = validate_file(path, rel, WeeklyFile, problems)
        if part is None:
            continue
        for index, message in enumerate(part.messages):
            if message.lesson and message.lesson not in files:
                problems.append(
                    Problem(rel, f"messages[{index}].lesson", f"no lesson {message.lesson!r}")
                )
        weekly_files.append((rel, part))
        weekly = WeeklyFile(
            messages=weekly.messages + part.messages,
            event=weekly.event + part.event,
            sources=weekly.sources + part.sources,
        )
    examples: list[AskExample] = []
    if (root / EXAMPLES_FILE).exists():
        parsed_examples = validate_file(root / EXAMPLES_FILE, EXAMPLES_FILE, AskExamples, problems)
        if parsed_examples is not None:
            examples = parsed_examples.examples
            for index, example in enumerate(examples):
                for lesson_id in example.lessons:
                    if lesson_id not in files:
                        where = f"examples[{index}].lessons"
                        problems.append(Problem(EXAMPLES_FILE, where, f"no lesson {lesson_id!r}"))
    national = None
    if (root / NATIONAL_FILE).exists():
        national = validate_file(root / NATIONAL_FILE, NATIONAL_FILE, NationalGuide, problems)
    scam_rules = None
    if (root / SCAM_RULES_FILE).exists():
        scam_rules = validate_file(root / SCAM_RULES_FILE, SCAM_RULES_FILE, ScamRules, problems)
    if problems:
        raise ContentError(problems)
    return Catalog(
        root=root,
        lessons=lessons,
        faq=faq,
        weekly=weekly,
        scam_rules=scam_rules,
        framework=framework,
        ask_examples=examples,
        national=national,
        lesson_files=files,
        weekly_files=weekly_files,
    )
