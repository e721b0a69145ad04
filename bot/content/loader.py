"""Read lessons/, validate every file, and return a Catalog or every problem found.

Start-up and ``hocvuso lessons check`` share this code, so an author sees exactly the
errors that would stop the bot: file, field and reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.schema import Faq, FaqItem, Lesson, WeeklyFile

FAQ_FILE = "faq.yaml"
WEEKLY_DIR = "weekly"


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


class ContentError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(f"{len(problems)} problem(s) in the lessons: {shown}{more}")


@dataclass
class Catalog:
    root: Path
    lessons: list[Lesson] = field(default_factory=list)
    faq: list[FaqItem] = field(default_factory=list)
    weekly: WeeklyFile = field(default_factory=WeeklyFile)

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


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _validate(path: Path, rel: str, model: type[BaseModel], problems: list[Problem]) -> Any:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problems.append(Problem(rel, where, f"not valid YAML ({getattr(exc, 'problem', exc)})"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(rel, "(file)", "must be a mapping of fields"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            reason = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                reason = "unknown field"
            elif error["type"] == "missing":
                reason = "required field is missing"
            problems.append(Problem(rel, _field_path(error["loc"]), reason))
        return None


def load_catalog(root: Path) -> Catalog:
    """Load everything under ``root`` or raise ContentError listing every problem."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise ContentError([Problem(str(root), "(folder)", "lesson folder does not exist")])
    lessons: list[Lesson] = []
    files: dict[str, str] = {}
    for path in sorted(root.glob("*/*.yaml")):
        rel = str(path.relative_to(root))
        if rel.startswith(f"{WEEKLY_DIR}/"):
            continue
        lesson = _validate(path, rel, Lesson, problems)
        if lesson is None:
            continue
        if lesson.id in files:
            problems.append(
                Problem(rel, "id", f"{lesson.id!r} is already used by {files[lesson.id]}")
            )
            continue
        files[lesson.id] = rel
        for index, card in enumerate(lesson.cards):
            if card.image and not (root / card.image).is_file():
                problems.append(Problem(rel, f"cards[{index}].image", f"{card.image} not found"))
        lessons.append(lesson)
    if not lessons and not problems:
        problems.append(Problem(str(root), "(folder)", "no lesson files (*/*.yaml)"))

    faq: list[FaqItem] = []
    if (root / FAQ_FILE).exists():
        parsed = _validate(root / FAQ_FILE, FAQ_FILE, Faq, problems)
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
    for path in sorted((root / WEEKLY_DIR).glob("*.yaml")):
        rel = str(path.relative_to(root))
        parsed = _validate(path, rel, WeeklyFile, problems)
        if parsed is None:
            continue
        for index, message in enumerate(parsed.messages):
            if message.lesson and message.lesson not in files:
                problems.append(
                    Problem(rel, f"messages[{index}].lesson", f"no lesson {message.lesson!r}")
                )
        weekly = WeeklyFile(
            messages=weekly.messages + parsed.messages,
            event=weekly.event + parsed.event,
            sources=weekly.sources + parsed.sources,
        )
    if problems:
        raise ContentError(problems)
    return Catalog(root=root, lessons=lessons, faq=faq, weekly=weekly)
