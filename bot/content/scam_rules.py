"""Schema and loader for lessons/scam_rules.yaml: the scam checker's rules as data.

Commune staff extend the lists (official domains, brand words, phrases) without touching
code, so the file is validated as strictly as a lesson and every mistake is reported as a
Problem naming the field, the same way `hocvuso lessons check` reports lesson errors.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.content.problems import ContentError, Problem, validate_file
from bot.content.schema import CardText, ReasonText, Source

SCAM_RULES_FILE = "scam_rules.yaml"

_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$")
# Patterns run on folded text (see bot.content.textfold): lower case ASCII words and digits.
_FOLDED_PATTERN = re.compile(r"^[\x20-\x7e]+$")


def _domain(value: str) -> str:
    value = value.strip()
    if not _DOMAIN.match(value):
        raise ValueError(f"{value!r} is not a lower-case domain name like 'vneid.gov.vn'")
    return value


def _pattern(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("is empty")
    if not _FOLDED_PATTERN.match(value) or value != value.lower():
        raise ValueError(
            f"{value!r} must be lower case without diacritics (it is matched against folded text)"
        )
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ValueError(f"{value!r} is not a valid regular expression ({exc})") from None
    if compiled.match(""):
        raise ValueError(f"{value!r} matches empty text")
    return value


Domain = Annotated[str, AfterValidator(_domain)]
Pattern = Annotated[str, AfterValidator(_pattern)]
BrandWord = Annotated[str, Field(pattern=r"^[a-z0-9]{2,30}$")]
Tld = Annotated[str, Field(pattern=r"^[a-z]{2,24}$")]
Word = Annotated[str, Field(pattern=r"^[a-z0-9]{1,20}$")]
Weight = Annotated[int, Field(ge=1, le=5)]


def _unique(values: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is listed twice")
        seen.add(value)
    return values


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    """Scores at or above which a message is rated medium or high."""

    medium: int = Field(ge=1)
    high: int = Field(ge=2)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.high <= self.medium:
            raise ValueError("high must be greater than medium")
        return self


class LinkRule(_Strict):
    weight: Weight
    reason: ReasonText  # type: ignore[valid-type]


class LinkRules(_Strict):
    """One weight and reason per built-in link check (the checks themselves are code)."""

    lookalike: LinkRule
    punycode: LinkRule
    mixed_script: LinkRule
    apk: LinkRule
    shortener: LinkRule
    ip_host: LinkRule
    risky_tld: LinkRule


class PhraseRule(_Strict):
    """A group of patterns for one warning sign; it counts once however often it matches.

    ``requires``: when given, the rule counts only if one of these also matches somewhere
    in the message (e.g. "cap cuu" only together with a request for money).
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")
    weight: Weight
    reason: ReasonText  # type: ignore[valid-type]
    patterns: Annotated[list[Pattern], Field(min_length=1)]
    requires: list[Pattern] = Field(default_factory=list)


class Advice(_Strict):
    high: CardText  # type: ignore[valid-type]
    medium: CardText  # type: ignore[valid-type]
    low: CardText  # type: ignore[valid-type]


class ScamRules(_Strict):
    thresholds: Thresholds
    official_domains: Annotated[list[Domain], Field(min_length=1)]
    brand_words: list[BrandWord] = Field(default_factory=list)
    shorteners: list[Domain] = Field(default_factory=list)
    risky_tlds: list[Tld] = Field(default_factory=list)
    negations: list[Word] = Field(default_factory=list)
    negation_window: int = Field(default=3, ge=1, le=6)
    links: LinkRules
    phrases: Annotated[list[PhraseRule], Field(min_length=1)]
    safe_signs: list[PhraseRule] = Field(default_factory=list)
    advice: Advice
    report: CardText  # type: ignore[valid-type]
    sources: Annotated[list[Source], Field(min_length=1)]

    @field_validator("official_domains", "shorteners")
    @classmethod
    def _unique_domains(cls, values: list[str]) -> list[str]:
        return _unique(values, "domain")

    @field_validator("brand_words", "risky_tlds", "negations")
    @classmethod
    def _unique_words(cls, values: list[str]) -> list[str]:
        return _unique(values, "word")

    @field_validator("phrases")
    @classmethod
    def _unique_phrase_ids(cls, rules: list[PhraseRule]) -> list[PhraseRule]:
        _unique([rule.id for rule in rules], "id")
        return rules

    @field_validator("safe_signs")
    @classmethod
    def _unique_sign_ids(cls, rules: list[PhraseRule], info: ValidationInfo) -> list[PhraseRule]:
        taken = {rule.id for rule in info.data.get("phrases", [])}
        _unique([rule.id for rule in rules], "id")
        for rule in rules:
            if rule.id in taken:
                raise ValueError(f"id {rule.id!r} is already used in phrases")
        return rules


def load_scam_rules(path: Path) -> ScamRules:
    """Read and validate the rules file or raise ContentError listing every problem."""
    problems: list[Problem] = []
    if not path.exists():
        raise ContentError([Problem(path.name, "(file)", "file does not exist")])
    rules = validate_file(path, path.name, ScamRules, problems)
    if problems or rules is None:
        raise ContentError(problems)
    return rules
