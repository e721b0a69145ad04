"""Content schemas: what a lesson, a FAQ entry and a weekly message file must hold.

Each text carries its languages side by side (``{vi: ..., en: ...}``) so that the
structure, the order of cards and the right answers are written once and cannot drift
apart between languages.
"""

from __future__ import annotations

import re
import string
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

LANGUAGES = ("vi", "en")

# Budgets. Telegram caps a message at 4096 characters and a button's callback data at
# 64 bytes; a card must also fit one small phone screen, which is far less.
CARD_MAX = 500
QUESTION_MAX = 300
OPTION_MAX = 60
REASON_MAX = 220
TITLE_MAX = 60
SUMMARY_MAX = 200
FAQ_QUESTION_MAX = 160
FAQ_ANSWER_MAX = 700
WEEKLY_MAX = 599
# Ids travel in button payloads ("ans:<id>:<q>:<o>"), which Telegram caps at 64 bytes.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,40}$"

# Authoring rules that `hocvuso lessons check` enforces (bot/content/quality.py) on top of
# the hard limits above. They do not stop start-up: a commune's own lesson that breaks one
# still runs, but the shipped curriculum must meet them.
CARDS_MAX = 7  # one sitting on a small phone
CARD_WORDS_LIMIT = 60  # a card has fewer words than this, in each language
OPTIONS_MIN = 3  # with two options, guessing passes half the quiz

# Words that betray an unfinished text.
PLACEHOLDERS = re.compile(r"\b(TODO|TBD|FIXME|XXX|lorem ipsum)\b|\?\?\?", re.IGNORECASE)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in every language; the length budget is each field's own (see below)."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


def _text_type(max_len: int) -> type[Text]:
    """A per-language text with a length budget, checked for each language."""

    class _Text(Text):
        @field_validator("vi", "en")
        @classmethod
        def _check(cls, value: str) -> str:
            value = value.strip()
            if not value:
                raise ValueError("is empty")
            if len(value) > max_len:
                raise ValueError(f"is too long ({len(value)} > {max_len} characters)")
            if PLACEHOLDERS.search(value):
                raise ValueError("contains placeholder text")
            return value

        @model_validator(mode="after")
        def _translated(self) -> _Text:
            if len(self.vi) > 25 and self.vi == self.en:
                raise ValueError("en is a copy of vi; translate it")
            return self

    _Text.__name__ = f"Text{max_len}"
    return _Text


if TYPE_CHECKING:  # to a type checker every budget is a Text
    CardText: TypeAlias = Text
    QuestionText: TypeAlias = Text
    OptionText: TypeAlias = Text
    ReasonText: TypeAlias = Text
    TitleText: TypeAlias = Text
    SummaryText: TypeAlias = Text
    FaqQuestionText: TypeAlias = Text
    FaqAnswerText: TypeAlias = Text
    WeeklyText: TypeAlias = Text
else:
    CardText = _text_type(CARD_MAX)
    QuestionText = _text_type(QUESTION_MAX)
    OptionText = _text_type(OPTION_MAX)
    ReasonText = _text_type(REASON_MAX)
    TitleText = _text_type(TITLE_MAX)
    SummaryText = _text_type(SUMMARY_MAX)
    FaqQuestionText = _text_type(FAQ_QUESTION_MAX)
    FaqAnswerText = _text_type(FAQ_ANSWER_MAX)
    WeeklyText = _text_type(WEEKLY_MAX)


class Source(_Strict):
    url: HttpUrl
    title: str = Field(min_length=3, max_length=200)


class Card(_Strict):
    text: CardText
    image: str | None = Field(default=None, pattern=r"^img/[a-z0-9_-]+\.(png|jpg)$")


class Option(_Strict):
    text: OptionText
    correct: bool = False


class Question(_Strict):
    question: QuestionText
    options: Annotated[list[Option], Field(min_length=2, max_length=4)]
    reason: ReasonText

    @field_validator("options")
    @classmethod
    def _one_correct(cls, options: list[Option]) -> list[Option]:
        right = sum(option.correct for option in options)
        if right != 1:
            raise ValueError(f"needs exactly one option with 'correct: true' (found {right})")
        return options

    @property
    def correct_index(self) -> int:
        return next(i for i, option in enumerate(self.options) if option.correct)


AreaId = Annotated[str, Field(pattern=ID_PATTERN)]


class Lesson(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    version: int = Field(ge=1)
    order: int = Field(ge=1, description="Position in the recommended order.")
    minutes: int = Field(ge=1, le=30, description="Estimated minutes to finish.")
    title: TitleText
    summary: SummaryText
    pass_mark: int = Field(ge=50, le=100, description="Percent of questions to get right.")
    core: bool = Field(default=False, description="Part of the core path the plan's targets count.")
    skills: list[AreaId] = Field(
        description="Ids of the digital skill framework areas the lesson covers (framework.yaml)."
    )
    cards: Annotated[list[Card], Field(min_length=1, max_length=8)]
    quiz: Annotated[list[Question], Field(min_length=1, max_length=6)]
    sources: Annotated[list[Source], Field(min_length=1)]

    @field_validator("skills")
    @classmethod
    def _skills_once(cls, skills: list[str]) -> list[str]:
        if len(set(skills)) != len(skills):
            raise ValueError("names an area twice")
        return skills

    def passed(self, correct: int) -> bool:
        return correct * 100 >= self.pass_mark * len(self.quiz)


class FaqItem(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    lesson: str = Field(pattern=ID_PATTERN)
    question: FaqQuestionText
    answer: FaqAnswerText
    keywords: list[str] = Field(default_factory=list)


class Faq(_Strict):
    items: list[FaqItem]
    sources: Annotated[list[Source], Field(min_length=1)]


EVENT_FIELDS = {"place", "time", "date"}


class WeeklyMessage(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    topic: Literal[
        "vneid",
        "payments",
        "scams",
        "vssid",
        "public-services",
        "health",
        "market",
        "phone",
        "platform",
        "banking",
        "social",
        "feedback",
        "selling",
        "after-scam",
    ]
    lesson: str | None = Field(default=None, pattern=ID_PATTERN)
    text: WeeklyText


class EventMessage(_Strict):
    """A 10/10 countdown message; may use {date}, {time} and {place}."""

    when: Literal["week_before", "day_before", "day_of"]
    text: WeeklyText

    @model_validator(mode="after")
    def _known_fields(self) -> EventMessage:
        for lang in LANGUAGES:
            names = {
                name for _, name, _, _ in string.Formatter().parse(self.text.get(lang)) if name
            }
            unknown = names - EVENT_FIELDS
            if unknown:
                raise ValueError(f"text.{lang} uses unknown fields {sorted(unknown)}")
        return self


class WeeklyFile(_Strict):
    messages: list[WeeklyMessage] = Field(default_factory=list)
    event: list[EventMessage] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)


class FrameworkArea(_Strict):
    """One area of the national basic digital skills framework, as the source names it."""

    id: str = Field(pattern=ID_PATTERN)
    code: str = Field(min_length=1, max_length=10, description="The number the source gives it.")
    name: SummaryText
    source: Source


class Framework(_Strict):
    """lessons/framework.yaml: the skill areas lessons map to, each with where it was read.

    ``complete`` is false while the file holds only the areas that could be confirmed, so
    coverage is never reported as the whole framework's when it is not.
    """

    name: SummaryText
    source: Source
    complete: bool
    note: str = Field(default="", max_length=1000)
    areas: Annotated[list[FrameworkArea], Field(min_length=1)]

    @field_validator("areas")
    @classmethod
    def _unique_ids(cls, areas: list[FrameworkArea]) -> list[FrameworkArea]:
        ids = [area.id for area in areas]
        twice = sorted({area_id for area_id in ids if ids.count(area_id) > 1})
        if twice:
            raise ValueError(f"area ids used twice: {twice}")
        return areas


class AskExample(_Strict):
    """A question as a person really typed it, and the lessons that answer it."""

    text: str = Field(min_length=2, max_length=400)
    lessons: Annotated[list[str], Field(min_length=1, max_length=3)]


class AskExamples(_Strict):
    """Questions that route the answer search to the right lesson (see lessons/README)."""

    note: str = ""
    examples: list[AskExample] = Field(default_factory=list)


NATIONAL_HOST = "binhdanhocvuso.gov.vn"


class NationalStep(_Strict):
    text: CardText


class NationalGuide(_Strict):
    """lessons/national.yaml: the short guided step to the national platform, offered after
    the core path. Facts only with a source; the button opens ``url``."""

    url: HttpUrl
    steps: Annotated[list[NationalStep], Field(min_length=1, max_length=5)]
    sources: Annotated[list[Source], Field(min_length=1)]

    @field_validator("url")
    @classmethod
    def _official(cls, url: HttpUrl) -> HttpUrl:
        if url.scheme != "https" or url.host != NATIONAL_HOST:
            raise ValueError(f"must be an https address on {NATIONAL_HOST}")
        return url
