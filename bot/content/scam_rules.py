"""Schema and loader for lessons/scam_rules.yaml: the scam checker's rules as data.

Commune staff extend the lists (official domains, brand words, the cues of what a message
asks for, who it pretends to be and how it presses) without touching code, so the file is
validated as strictly as a lesson and every mistake is reported as a Problem naming the
field, the same way `hocvuso lessons check` reports lesson errors.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

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
CueId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")]

# What a message asks the reader to do; "credential" and "install" alone make it high.
AskGroup = Literal[
    "credential", "install", "money", "fee", "login", "tap", "move", "call", "personal"
]


def _unique(values: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is listed twice")
        seen.add(value)
    return values


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LinkRule(_Strict):
    reason: ReasonText


class LinkRules(_Strict):
    """One reason per built-in link check (the checks themselves are code).

    ``lookalike``, ``imitation``, ``punycode``, ``mixed_script``, ``apk`` and ``ip_host``
    make a message high on their own; the others count as a link the message wants tapped.
    """

    lookalike: LinkRule
    imitation: LinkRule
    punycode: LinkRule
    mixed_script: LinkRule
    apk: LinkRule
    ip_host: LinkRule
    shortener: LinkRule
    risky_tld: LinkRule
    unknown: LinkRule


class Cue(_Strict):
    """One sign, found by any of its patterns (whole words, folded text).

    ``requires``: the cue counts only when one of these also matches somewhere in the
    message (e.g. "cap cuu" only together with money words)."""

    id: CueId
    reason: ReasonText
    patterns: Annotated[list[Pattern], Field(min_length=1)]
    requires: list[Pattern] = Field(default_factory=list)
    # A weak pretext (a school, a bank, a telco named) is also what genuine notices speak
    # of: it raises the level only together with pressure or a strong pretext.
    weak: bool = False


class AskCue(Cue):
    """``builtin``: found by code rather than patterns (a link to tap, a dial code)."""

    group: AskGroup
    patterns: list[Pattern] = Field(default_factory=list)
    builtin: bool = False

    @model_validator(mode="after")
    def _has_patterns(self) -> AskCue:
        if not self.builtin and not self.patterns:
            raise ValueError("needs patterns (or builtin: true for a check done in code)")
        return self


class Marker(_Strict):
    """Words of a text that talks ABOUT scams (news, warnings) or of a real code message."""

    id: CueId
    patterns: Annotated[list[Pattern], Field(min_length=1)]
    weight: int = Field(default=1, ge=1, le=3)


class Advice(_Strict):
    high: CardText
    medium: CardText
    low: CardText
    always: CardText


_MACRO = re.compile(r"\{([a-z_]+)\}")


class ScamRules(_Strict):
    # Named word groups a pattern may use as {name}: the verbs of paying, written once with
    # what tells them apart from look-alike words once accents are gone ("cong dong").
    macros: dict[Annotated[str, Field(pattern=r"^[a-z_]{2,20}$")], Pattern] = Field(
        default_factory=dict
    )
    official_domains: Annotated[list[Domain], Field(min_length=1)]
    brand_words: list[BrandWord] = Field(default_factory=list)
    bait_words: list[BrandWord] = Field(default_factory=list)
    shorteners: list[Domain] = Field(default_factory=list)
    risky_tlds: list[Tld] = Field(default_factory=list)
    negations: list[Word] = Field(default_factory=list)
    negation_window: int = Field(default=4, ge=1, le=8)
    links: LinkRules
    asks: Annotated[list[AskCue], Field(min_length=1)]
    pretexts: Annotated[list[Cue], Field(min_length=1)]
    pressure: Annotated[list[Cue], Field(min_length=1)]
    about_scams: list[Marker] = Field(default_factory=list)
    advice: Advice
    report: CardText
    sources: Annotated[list[Source], Field(min_length=1)]

    @field_validator("official_domains", "shorteners")
    @classmethod
    def _unique_domains(cls, values: list[str]) -> list[str]:
        return _unique(values, "domain")

    @field_validator("brand_words", "bait_words", "risky_tlds", "negations")
    @classmethod
    def _unique_words(cls, values: list[str]) -> list[str]:
        return _unique(values, "word")

    @field_validator("asks", "pretexts", "pressure", "about_scams")
    @classmethod
    def _unique_ids(cls, cues: list[Cue]) -> list[Cue]:
        _unique([cue.id for cue in cues], "id")
        return cues

    @model_validator(mode="after")
    def _known_macros(self) -> ScamRules:
        for group in (self.asks, self.pretexts, self.pressure, self.about_scams):
            for cue in group:
                for pattern in [*cue.patterns, *getattr(cue, "requires", [])]:
                    for name in _MACRO.findall(pattern):
                        if name not in self.macros:
                            raise ValueError(f"{cue.id}: unknown word group {{{name}}}")
        return self

    def expand(self, pattern: str) -> str:
        """The pattern with each {name} replaced by its word group."""
        return _MACRO.sub(lambda m: f"(?:{self.macros[m.group(1)]})", pattern)


def load_scam_rules(path: Path) -> ScamRules:
    """Read and validate the rules file or raise ContentError listing every problem."""
    problems: list[Problem] = []
    if not path.exists():
        raise ContentError([Problem(path.name, "(file)", "file does not exist")])
    rules = validate_file(path, path.name, ScamRules, problems)
    if problems or rules is None:
        raise ContentError(problems)
    return rules
