"""Is this message or link a scam? A pure, rule-based checker.

The rules are data (lessons/scam_rules.yaml, schema bot.content.scam_rules) so commune
staff can add a new trick the week it appears. This module only applies them: no I/O, no
translations, no network. It returns findings with both languages so the caller renders
them in the learner's language. Rules compile once; a check takes well under a millisecond.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bot.content.textfold import fold

if TYPE_CHECKING:
    from bot.content.scam_rules import LinkRule, PhraseRule, ScamRules

Level = Literal["high", "medium", "low"]


@dataclass(frozen=True)
class Finding:
    """One warning sign: the rule id, why it matters in both languages, and what matched."""

    rule: str
    reason_vi: str
    reason_en: str
    weight: int
    detail: str = ""  # the domain a link rule flagged; empty for phrase rules

    def reason(self, lang: str) -> str:
        return self.reason_en if lang == "en" else self.reason_vi


@dataclass(frozen=True)
class Verdict:
    level: Level
    score: int
    findings: tuple[Finding, ...] = ()
    official_links: tuple[str, ...] = ()  # hosts recognised as official, for reassurance


# Links with a scheme or "www." always count; a bare "name.tld" counts only when the last
# part is a real top-level domain, so "TP.HCM" or "5.000.000" are not taken for links.
_URL = re.compile(
    r"(?:(?:https?|hxxps?)://|www\.)[^\s<>\"'()\[\]{}]+"
    r"|(?<![\w@./-])(?:[\w-]+\.)+[\w-]{2,}(?::\d{1,5})?(?:/[^\s<>\"'()\[\]{}]*)?",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^(?:https?|hxxps?)://", re.IGNORECASE)
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_TLD_LIST = """
vn com net org info biz io co me app dev xyz top vip site online shop store club live
life link click asia icu cc tk ml ga cf gq pw ws ly gd at id gy im to ru cn us uk pro
fun cloud space website tech work buzz sbs cfd bond today support help services digital
world news one tv mobi bank cyou rest lat kr jp sg th la kh hk tw eu de fr in ph my ai
ink wang win bet vin best fit run host press center email group
"""
_KNOWN_TLDS = frozenset(_TLD_LIST.split())
_TRAILING = ".,;:!?…'\")]}>"

# Letters from other alphabets that look like Latin ones (a small, common subset).
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕһӏԁԛԝνοαικρτυχεьвт",
    "aeopcyxijshldqwvoaikptuxebbt",
)
_DIGIT_LOOKS = (str.maketrans("013457", "oleast"), str.maketrans("1", "i"))

# Sentences end at . ! ? ; … followed by a space, or at a new line. Clauses (for
# negations only) also end at commas, colons and dashes.
_SENTENCES = re.compile(r"[.!?;…]+(?=\s|$)|\n+")
_CLAUSES = re.compile(r"[,:]+(?=\s|$)|\s[-–—]\s|[()\"“”]")
_JOIN = " | "


@dataclass(frozen=True)
class _Phrase:
    rule: PhraseRule
    pattern: re.Pattern[str]
    requires: re.Pattern[str] | None


def _compile(patterns: list[str]) -> re.Pattern[str]:
    body = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def _skeleton(host: str) -> str:
    """The host as it looks to the eye: no accents, look-alike letters mapped to Latin."""
    text = unicodedata.normalize("NFKD", host.lower())
    bare = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("đ", "d")
    return bare.translate(_CONFUSABLES)


def _scripts(host: str) -> set[str]:
    """Alphabets of the letters in ``host`` ("LATIN", "CYRILLIC", "GREEK", …)."""
    names = set()
    for ch in host:
        if ch.isalpha():
            name = unicodedata.name(ch, "UNKNOWN")
            names.add(name.split(" ", 1)[0])
    return names


def _decode_punycode(host: str) -> str:
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError, ValueError):
                label = label[4:].encode("ascii").decode("punycode")
        labels.append(label)
    return ".".join(labels)


@dataclass(frozen=True)
class _Link:
    host: str
    userinfo: str
    path: str
    bare: bool  # written without scheme or "www."


def _parse(raw: str) -> _Link | None:
    text = raw.rstrip(_TRAILING)
    bare = not _SCHEME.match(text) and not text.lower().startswith("www.")
    text = _SCHEME.sub("", text)
    cut = min((i for i in (text.find(c) for c in "/?#") if i >= 0), default=len(text))
    authority, path = text[:cut], text[cut:]
    userinfo, _at, hostport = authority.rpartition("@")
    host = hostport.split(":", 1)[0].lower().strip(".")
    if "." not in host:
        return None
    return _Link(host=host, userinfo=userinfo.lower(), path=path.lower(), bare=bare)


class ScamChecker:
    """Applies ScamRules to a message. Build once at start-up; ``check`` is cheap."""

    def __init__(self, rules: ScamRules) -> None:
        self.rules = rules
        self._official = frozenset(rules.official_domains)
        self._shorteners = frozenset(rules.shorteners)
        self._risky = frozenset(rules.risky_tlds)
        self._tlds = _KNOWN_TLDS | self._risky
        self._negations = frozenset(rules.negations)
        self._window = rules.negation_window
        long_words = [w for w in rules.brand_words if len(w) >= 5]
        short_words = [w for w in rules.brand_words if len(w) < 5]
        self._long_brands = tuple(long_words)
        self._short_brands = (
            re.compile(r"(?:^|[.-])(?:" + "|".join(map(re.escape, short_words)) + ")")
            if short_words
            else None
        )
        self._phrases = tuple(self._prepare_rule(rule) for rule in rules.phrases)
        self._safe = tuple(self._prepare_rule(rule) for rule in rules.safe_signs)

    @staticmethod
    def _prepare_rule(rule: PhraseRule) -> _Phrase:
        requires = _compile(rule.requires) if rule.requires else None
        return _Phrase(rule=rule, pattern=_compile(rule.patterns), requires=requires)

    # --- public ------------------------------------------------------------------------

    def check(self, text: str) -> Verdict:
        """Rate a pasted message (or a bare link) as high, medium or low risk."""
        link_findings, official = self._check_links(text)
        folded, starts = self._prepare_text(text)
        matched = [p.rule for p in self._phrases if self._hits(p, folded, starts)]
        safe = sum(p.rule.weight for p in self._safe if self._hits(p, folded, starts))
        phrase_score = sum(rule.weight for rule in matched)
        if safe >= phrase_score:  # the text talks ABOUT these tricks, e.g. a police warning
            matched = []
        score = sum(f.weight for f in link_findings) + max(0, phrase_score - safe)
        phrase_findings = sorted(
            (self._finding(rule.id, rule) for rule in matched), key=lambda f: -f.weight
        )
        return Verdict(self._level(score), score, (*link_findings, *phrase_findings), official)

    def advice(self, level: Level, lang: str) -> str:
        """What to do for this level, in ``lang`` ("vi" or "en")."""
        return getattr(self.rules.advice, level).get(lang)

    def report(self, lang: str) -> str:
        """Where to report a scam, in ``lang``."""
        return self.rules.report.get(lang)

    # --- links -------------------------------------------------------------------------

    def is_official(self, host: str) -> bool:
        """True for an official domain or any subdomain of one (``*.gov.vn``)."""
        labels = host.lower().strip(".").split(".")
        return any(".".join(labels[i:]) in self._official for i in range(len(labels) - 1))

    def _links(self, text: str) -> list[_Link]:
        links = []
        for match in _URL.finditer(text):
            link = _parse(match.group(0))
            if link is None:
                continue
            last = link.host.rsplit(".", 1)[-1]
            if link.bare and not (
                _skeleton(last) in self._tlds
                or last.startswith("xn--")
                or last == "apk"
                or _IPV4.match(link.host)
            ):
                continue
            links.append(link)
        return links

    def _check_links(self, text: str) -> tuple[list[Finding], tuple[str, ...]]:
        """Findings for every suspicious link (each rule once) and the official hosts seen."""
        flagged: dict[str, Finding] = {}
        official: list[str] = []
        rules = self.rules.links

        def flag(name: str, rule: LinkRule, host: str) -> None:
            if name not in flagged:
                flagged[name] = self._finding(f"link-{name}", rule, host)

        for link in self._links(text):
            host = link.host
            if host.rsplit(".", 1)[-1] == "apk":  # a file name such as "VNeID_2025.apk"
                flag("apk", rules.apk, host)
                continue
            if self.is_official(host):
                if host not in official:
                    official.append(host)
                continue
            if any(label.startswith("xn--") for label in host.split(".")):
                flag("punycode", rules.punycode, host)
            if len(_scripts(host)) > 1:
                flag("mixed_script", rules.mixed_script, host)
            if self._has_brand(host) or (link.userinfo and self._has_brand(link.userinfo)):
                flag("lookalike", rules.lookalike, host)
            if link.path.split("?", 1)[0].split("#", 1)[0].endswith(".apk"):
                flag("apk", rules.apk, host)
            if any(host == s or host.endswith("." + s) for s in self._shorteners):
                flag("shortener", rules.shortener, host)
            if _IPV4.match(host):
                flag("ip_host", rules.ip_host, host)
            if host.rsplit(".", 1)[-1] in self._risky:
                flag("risky_tld", rules.risky_tld, host)
        return sorted(flagged.values(), key=lambda f: -f.weight), tuple(official)

    def _has_brand(self, host: str) -> bool:
        base = _skeleton(_decode_punycode(host))
        variants = {base, base.replace("rn", "m")} | {base.translate(t) for t in _DIGIT_LOOKS}
        for variant in variants:
            compact = variant.replace("-", "")
            if any(word in compact for word in self._long_brands):
                return True
            if self._short_brands is not None and self._short_brands.search(variant):
                return True
        return False

    # --- phrases -----------------------------------------------------------------------

    @staticmethod
    def _prepare_text(text: str) -> tuple[str, list[int]]:
        """Folded sentences joined by " | ", and where each clause starts in that string."""
        pieces: list[str] = []
        starts: list[int] = []
        length = 0
        for sentence in _SENTENCES.split(text):
            clauses = [c for c in (fold(part) for part in _CLAUSES.split(sentence)) if c]
            if not clauses:
                continue
            if pieces:
                pieces.append(_JOIN)
                length += len(_JOIN)
            for index, clause in enumerate(clauses):
                if index:
                    pieces.append(" ")
                    length += 1
                starts.append(length)
                pieces.append(clause)
                length += len(clause)
        return "".join(pieces), starts

    def _hits(self, phrase: _Phrase, folded: str, starts: list[int]) -> bool:
        if phrase.requires is not None and not phrase.requires.search(folded):
            return False
        return any(
            not self._negated(folded, starts, m.start()) for m in phrase.pattern.finditer(folded)
        )

    def _negated(self, folded: str, starts: list[int], position: int) -> bool:
        """A negation word just before the match, in the same clause ("khong doc ma otp").

        "neu khong" (if not) and "khong thi" (otherwise) introduce threats, not negations:
        "neu khong se bi khoa" is still a threat.
        """
        clause = starts[bisect.bisect_right(starts, position) - 1] if starts else 0
        words = folded[clause:position].split()
        for index in range(max(0, len(words) - self._window), len(words)):
            if words[index] not in self._negations:
                continue
            after = words[index + 1] if index + 1 < len(words) else ""
            if (index and words[index - 1] == "neu") or after == "thi":
                continue
            return True
        return False

    # --- verdict -----------------------------------------------------------------------

    def _level(self, score: int) -> Level:
        thresholds = self.rules.thresholds
        if score >= thresholds.high:
            return "high"
        return "medium" if score >= thresholds.medium else "low"

    @staticmethod
    def _finding(rule_id: str, rule: PhraseRule | LinkRule, detail: str = "") -> Finding:
        return Finding(rule_id, rule.reason.vi, rule.reason.en, rule.weight, detail)
