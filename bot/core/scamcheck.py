"""Is this message or link a scam? A pure, rule-based checker that reasons about what the
message asks for, not only about phrases.

A scam wants the reader to do something (an *ask*: transfer money, pay a fee first, read
out a code, install an app, tap a link to log in, move to another chat app), gives a reason
to do it (a *pretext*: the police, the bank, a relative in trouble, a prize, a job, a
wrong transfer...) and hurries them (*pressure*: urgency, threats, secrecy, too-good
offers). The verdict comes from how these combine, and from the links:

- high: a request for a code, password, card or ID document; an app to install from a
  link; a link that imitates a brand, an authority or ``gov.vn``; an unknown link together
  with a pretext; money asked for with a pretext and pressure;
- medium: any ask with a pretext or pressure; an unknown link; a pretext with a threat;
- low: none of these, and then no reason is shown (never "low" beside a warning).

A text that talks ABOUT scams (news, warnings: "... không bao giờ yêu cầu ...", "cảnh báo
thủ đoạn ...") is recognised by its markers; requests in it that are negated or quoted do
not count, and its level drops. The cues are data (lessons/scam_rules.yaml) that staff can
extend. No I/O, no translations, no network; a check takes well under a millisecond.
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
    from bot.content.scam_rules import Cue, LinkRule, ScamRules
    from bot.content.schema import Text

Level = Literal["high", "medium", "low"]
LEVELS: tuple[Level, ...] = ("low", "medium", "high")


@dataclass(frozen=True)
class Finding:
    """One warning sign: what it is, why it matters in both languages, and what matched."""

    rule: str
    reason_vi: str
    reason_en: str
    kind: str  # "link", "ask", "pretext" or "pressure"
    detail: str = ""  # the domain a link check flagged

    def reason(self, lang: str) -> str:
        return self.reason_en if lang == "en" else self.reason_vi


@dataclass(frozen=True)
class Verdict:
    level: Level
    findings: tuple[Finding, ...] = ()
    official_links: tuple[str, ...] = ()  # hosts recognised as official, for reassurance
    asks: tuple[str, ...] = ()  # ask groups found: "credential", "money", ...
    pretexts: tuple[str, ...] = ()
    pressure: tuple[str, ...] = ()
    about_scams: int = 0  # markers of a text that talks about scams (news, warnings)

    @property
    def score(self) -> int:
        """0, 1 or 2 for low, medium, high (kept for callers that sort by risk)."""
        return LEVELS.index(self.level)


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
# A phone's call-forwarding or USSD code to dial ("**21*0129...#"): it hands over the line.
_DIAL_CODE = re.compile(r"[*#]{1,2}\d{2,3}\*[\d*]*#?")
# A bank's balance notice credits an amount: "+500,000VND", "+ 1.200.000 đ".
_CREDIT = re.compile(r"(?<![\w+])\+ ?\d{1,3}(?:[.,]\d{3})+ ?(?:VND|VNĐ|đ|d)\b", re.IGNORECASE)
# A Telegram handle or link: a move to a chat the platform does not watch.
_HANDLE = re.compile(r"(?<![\w.])@[A-Za-z][\w]{3,}")
# Quoted speech: in a text about scams, what the crooks say is quoted, not asked.
_QUOTED = re.compile(r"[\"“”«»](.{3,300}?)[\"“”«»]|'([^']{8,300})'")

# Letters from other alphabets that look like Latin ones (a small, common subset).
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕһӏԁԛԝνοαικρτυχεьвт",
    "aeopcyxijshldqwvoaikptuxebbt",
)
_DIGIT_LOOKS = (str.maketrans("013457", "oleast"), str.maketrans("1", "i"))
# State and company sites imitated with a hyphen or an extra ending: "gov-vn.com",
# "dichvucong-gov.vn.net", "mbbank-capnhat.com-vn.xyz".
_IMITATION = re.compile(
    r"(?:^|[.-])(?:gov|com|org|edu)(?:-vn|\.vn(?=[.-]))|-(?:gov|com|org|edu)\.vn$|govvn"
)

# Sentences end at . ! ? ; … followed by a space, or at a new line. Clauses (for
# negations only) also end at commas, colons and dashes.
_SENTENCES = re.compile(r"[.!?;…]+(?=\s|$)|\n+")
_CLAUSES = re.compile(r"[,:]+(?=\s|$)|\s[-–—]\s|[()\"“”]")
_JOIN = " | "
# A request reported as done ("vua chuyen", "da gui"), or a word that only looks like a
# verb once folded ("giao dich chuyen tien", "lenh chuyen", "hop dong" is a contract), is
# not a request.
_DONE = frozenset({"vua", "da", "dich", "lenh", "hop", "tien", "se", "duoc"})


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


@dataclass(frozen=True)
class _Cue:
    rule: Cue
    group: str  # the ask group, the pretext or pressure id
    pattern: re.Pattern[str] | None  # None: found by code (a link to tap, a dial code)
    requires: re.Pattern[str] | None


@dataclass(frozen=True)
class _Text:
    """The message folded: sentences joined by " | ", where each clause starts, and the
    same text without quoted speech (used when the message talks about scams)."""

    folded: str
    starts: list[int]
    unquoted: str
    unquoted_starts: list[int]


# Markers of a text about scams adding up to this make it a warning or news, not a scam.
ABOUT_SCAMS = 2
# Links that make a message high on their own.
_DANGEROUS_LINKS = frozenset({"lookalike", "imitation", "punycode", "mixed_script", "apk", "ip"})


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
        self._brands = self._words_in_host(rules.brand_words)
        self._bait = self._words_in_host(rules.bait_words)
        self._asks = tuple(self._prepare(cue, cue.group) for cue in rules.asks)
        self._pretexts = tuple(self._prepare(cue, cue.id) for cue in rules.pretexts)
        self._pressure = tuple(self._prepare(cue, cue.id) for cue in rules.pressure)
        self._about = tuple(
            (_compile([rules.expand(p) for p in m.patterns]), m.weight) for m in rules.about_scams
        )

    @staticmethod
    def _words_in_host(words: list[str]) -> tuple[tuple[str, ...], re.Pattern[str] | None]:
        """Words of 5 letters or more match anywhere in a host; shorter ones only at the
        start of one of its parts ("acb.vn-ul.top", "evn-hanoi.com", not "sevn.com")."""
        long_words = tuple(w for w in words if len(w) >= 5)
        short = [w for w in words if len(w) < 5]
        pattern = (
            re.compile(r"(?:^|[.-])(?:" + "|".join(map(re.escape, short)) + ")") if short else None
        )
        return long_words, pattern

    def _prepare(self, cue: Cue, group: str) -> _Cue:
        expand = self.rules.expand
        requires = _compile([expand(p) for p in cue.requires]) if cue.requires else None
        pattern = _compile([expand(p) for p in cue.patterns]) if cue.patterns else None
        return _Cue(rule=cue, group=group, pattern=pattern, requires=requires)

    # --- public ------------------------------------------------------------------------

    def check(self, text: str) -> Verdict:
        """Rate a pasted message (or a bare link) as high, medium or low risk."""
        link_findings, official = self._check_links(text)
        prepared = self._prepare_text(text)
        about = sum(weight for marker, weight in self._about if marker.search(prepared.folded))
        if official and not link_findings:
            about += 1  # it points to an official site and to nothing else
        if _CREDIT.search(text):
            about += 1  # a balance notice: "+500,000VND"
        talks_about_scams = about >= ABOUT_SCAMS
        # In a text about scams, what the crooks are quoted saying is not asked of anyone.
        body, starts = (
            (prepared.unquoted, prepared.unquoted_starts)
            if talks_about_scams
            else (prepared.folded, prepared.starts)
        )
        asks = [cue for cue in self._asks if self._hits(cue, body, starts, negatable=True)]
        if _DIAL_CODE.search(text):
            asks += [cue for cue in self._asks if cue.rule.id == "dial-code"]
        if _HANDLE.search(text):
            asks += [cue for cue in self._asks if cue.rule.id == "move-chat"]
        pretexts = [cue for cue in self._pretexts if self._hits(cue, prepared.folded, starts)]
        pressure = [
            cue
            for cue in self._pressure
            if self._hits(cue, prepared.folded, starts, negatable=True)
        ]
        kinds = {finding.rule for finding in link_findings}
        tappable = bool(kinds)
        if tappable and not talks_about_scams:  # a link to tap is itself a request
            asks += [cue for cue in self._asks if cue.rule.id == "tap-link"]
        groups = {cue.group for cue in asks}
        level = self._level(
            groups=groups,
            strong={cue.group for cue in pretexts if not cue.rule.weak},
            weak={cue.group for cue in pretexts if cue.rule.weak},
            pressure={cue.group for cue in pressure},
            links=kinds,
        )
        if talks_about_scams and not kinds & _DANGEROUS_LINKS:
            level = LEVELS[max(0, LEVELS.index(level) - 2)]
        findings: tuple[Finding, ...] = ()
        if level != "low":  # a reason is only ever shown with a warning level
            findings = (
                *link_findings,
                *self._findings(asks, "ask"),
                *self._findings(pretexts, "pretext"),
                *self._findings(pressure, "pressure"),
            )
        return Verdict(
            level=level,
            findings=findings,
            official_links=official,
            asks=tuple(sorted(groups)),
            pretexts=tuple(sorted({cue.group for cue in pretexts})),
            pressure=tuple(sorted({cue.group for cue in pressure})),
            about_scams=about,
        )

    def advice(self, level: Level, lang: str) -> str:
        """What to do for this level, in ``lang`` ("vi" or "en")."""
        advice: Text = getattr(self.rules.advice, level)
        return advice.get(lang)

    def always(self, lang: str) -> str:
        """The one rule that always holds, whatever the verdict."""
        return self.rules.advice.always.get(lang)

    def report(self, lang: str) -> str:
        """Where to report a scam, in ``lang``."""
        return self.rules.report.get(lang)

    # --- the verdict -------------------------------------------------------------------

    @staticmethod
    def _level(
        *,
        groups: set[str],
        strong: set[str],
        weak: set[str],
        pressure: set[str],
        links: set[str],
    ) -> Level:
        """How the signs combine (see the module docstring). A weak pretext (a school, a
        bank, a telco named) counts only beside pressure or a strong pretext."""
        money = bool(groups & {"money", "fee"})
        # A fee first, a move to another app, a link, a call: asks a genuine notice of a
        # school, bank or telco does not make, so there even a weak pretext counts.
        weak_counts = strong or pressure or groups & {"fee", "move", "login", "call", "personal"}
        pretexts = strong | weak if weak_counts else strong
        if links & _DANGEROUS_LINKS or groups & {"credential", "install"}:
            return "high"
        if links and (strong | weak or money or "login" in groups):
            return "high"
        if money and pretexts and (pressure or len(strong) >= 2):
            return "high"
        if groups and (pretexts or pressure):
            return "medium"
        if links:
            return "medium"
        if strong and (pressure >= {"threat", "urgency"} or "secrecy" in pressure):
            return "medium"
        return "low"

    @staticmethod
    def _findings(cues: list[_Cue], kind: str) -> list[Finding]:
        seen: dict[str, Finding] = {}
        for cue in cues:
            rule = cue.rule
            if rule.id not in seen:
                seen[rule.id] = Finding(rule.id, rule.reason.vi, rule.reason.en, kind)
        return list(seen.values())

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
        """Findings for every suspicious link (each check once) and the official hosts."""
        flagged: dict[str, Finding] = {}
        official: list[str] = []
        rules = self.rules.links

        def flag(name: str, rule: LinkRule, host: str) -> None:
            if name not in flagged:
                flagged[name] = Finding(name, rule.reason.vi, rule.reason.en, "link", host)

        for link in self._links(text):
            host = link.host
            if host.rsplit(".", 1)[-1] == "apk":  # a file name such as "VNeID_2025.apk"
                flag("apk", rules.apk, host)
                continue
            if self.is_official(host):
                if host not in official:
                    official.append(host)
                continue
            before = len(flagged)
            if any(label.startswith("xn--") for label in host.split(".")):
                flag("punycode", rules.punycode, host)
            if len(_scripts(host)) > 1:
                flag("mixed_script", rules.mixed_script, host)
            if _IMITATION.search(_skeleton(host)):
                flag("imitation", rules.imitation, host)
            if self._names(host, self._brands) or (
                link.userinfo and self._names(link.userinfo, self._brands)
            ):
                flag("lookalike", rules.lookalike, host)
            if ".apk" in link.path or "apk" in host.split(".")[:-1]:
                flag("apk", rules.apk, host)
            if any(host == s or host.endswith("." + s) for s in self._shorteners):
                flag("shortener", rules.shortener, host)
            if _IPV4.match(host):
                flag("ip", rules.ip_host, host)
            if host.rsplit(".", 1)[-1] in self._risky or self._names(host, self._bait):
                flag("risky_tld", rules.risky_tld, host)
            if len(flagged) == before:
                flag("unknown", rules.unknown, host)
        return list(flagged.values()), tuple(official)

    @staticmethod
    def _names(host: str, words: tuple[tuple[str, ...], re.Pattern[str] | None]) -> bool:
        long_words, short = words
        base = _skeleton(_decode_punycode(host))
        variants = {base, base.replace("rn", "m")} | {base.translate(t) for t in _DIGIT_LOOKS}
        for variant in variants:
            compact = variant.replace("-", "")
            if any(word in compact for word in long_words):
                return True
            if short is not None and short.search(variant):
                return True
        return False

    # --- words -------------------------------------------------------------------------

    @staticmethod
    def _join(text: str) -> tuple[str, list[int]]:
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

    def _prepare_text(self, text: str) -> _Text:
        folded, starts = self._join(text)
        unquoted, unquoted_starts = self._join(_QUOTED.sub(" . ", text))
        return _Text(folded, starts, unquoted, unquoted_starts)

    def _hits(self, cue: _Cue, folded: str, starts: list[int], *, negatable: bool = False) -> bool:
        if cue.pattern is None:
            return False
        if cue.requires is not None and not cue.requires.search(folded):
            return False
        for match in cue.pattern.finditer(folded):
            if not negatable or not self._negated(folded, starts, match.start(), match.end()):
                return True
        return False

    def _negated(self, folded: str, starts: list[int], position: int, end: int) -> bool:
        """A negation just before the request, in the same clause ("khong doc ma otp"), or
        the request reported as done ("vua chuyen", "chuyen vao tai khoan em roi").

        "neu khong" (if not) and "khong thi" (otherwise) introduce threats, not negations:
        "neu khong se bi khoa" is still a threat.
        """
        if folded[position:].split(" ", 1)[0] in self._negations:
            return False  # the pattern itself starts with the negation ("khong cho muon")
        index = bisect.bisect_right(starts, position) - 1 if starts else 0
        clause = starts[index] if starts else 0
        clause_end = starts[index + 1] if starts and index + 1 < len(starts) else len(folded)
        words = folded[clause:position].split()
        if words and words[-1] in _DONE:
            return True
        rest = folded[end:clause_end].split("|", 1)[0].split()
        if "roi" in rest[:8] or "xong" in rest[:8]:
            return True
        for index in range(max(0, len(words) - self._window), len(words)):
            if words[index] not in self._negations:
                continue
            after = words[index + 1] if index + 1 < len(words) else ""
            if (index and words[index - 1] == "neu") or after == "thi":
                continue
            return True
        return False
