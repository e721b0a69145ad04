"""Answer free-text questions from the FAQ and the lesson cards.

Citizens type the way they speak: without accents or with them, with shorthand ("ck nham
stk thi sao"), dialect ("vneid cai o mo rua"), typos ("vnied"), as long voice-typed
run-ons, sometimes in English. The search therefore:

- uses the accents when the question has them ("mất" is not "mật") and weighs both
  readings when it has none ("mat khau" finds "mật khẩu" through the word pair);
- spells out shorthand, teen code and dialect words and drops words that carry no
  meaning for the search (pronouns, particles, question words);
- forgives one typo in a word of five letters or more that the content does not know;
- answers an English question in English;
- ranks lessons rather than single texts: a lesson's score is its best text plus a little
  of its second, so several middling matches in one lesson beat one stray word elsewhere.

Every hit carries a confidence between 0 and 1: the share of the question's meaning
(IDF-weighted words, word pairs counting double) found in the text. Below
``MIN_CONFIDENCE`` the search returns no matches and the chat says it does not know. The
index is built once at start-up; a question takes about a millisecond.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal, Protocol

from bot.content.loader import Catalog
from bot.content.textfold import fold

# Shorthand, teen code, dialect and spellings people type, on folded text. A value may be
# several words; an empty value drops the word.
ABBREVIATIONS = {
    "bhxh": "bao hiem xa hoi", "bhyt": "bao hiem y te", "bhtn": "bao hiem that nghiep",
    "cccd": "can cuoc", "cmnd": "can cuoc", "cmt": "can cuoc", "ck": "chuyen khoan",
    "stk": "so tai khoan", "tk": "tai khoan", "mk": "mat khau", "pass": "mat khau",
    "password": "mat khau", "pw": "mat khau", "dvc": "dich vu cong",
    "dvcqg": "dich vu cong quoc gia", "vn eid": "vneid", "v neid": "vneid",
    "vss id": "vssid", "vssd": "vssid", "dc": "duoc", "dt": "dien thoai",
    "dthoai": "dien thoai", "sdt": "so dien thoai", "nh": "ngan hang",
    "nhnn": "ngan hang nha nuoc", "app": "ung dung", "apps": "ung dung", "ap": "ung dung",
    "chplay": "ch play", "gg play": "ch play", "google play": "ch play",
    "play store": "ch play", "appstore": "app store", "sms": "tin nhan", "tn": "tin nhan",
    "dk": "dang ky", "dky": "dang ky", "dn": "dang nhap", "login": "dang nhap",
    "ntn": "nhu the nao", "ktra": "kiem tra", "bv": "benh vien", "ubnd": "uy ban",
    "gplx": "giay phep lai xe", "bik": "biet", "bit": "biet", "lm": "lam", "ng": "nguoi",
    "vs": "voi", "fb": "facebook", "face": "facebook", "phay buc": "facebook",
    "phay": "facebook", "qr code": "ma qr", "xai": "dung", "sai": "dung",
    "hack": "hack chiem", "bi hack": "bi chiem hack", "wifi": "wi fi", "wi-fi": "wi fi",
    "mang 4g": "du lieu di dong", "4g": "du lieu di dong 4g", "hinh": "anh",
    "tai khoan nh": "tai khoan ngan hang", "otp": "ma otp", "link": "duong link",
    "livestream": "livestream truc tiep", "zalop": "zalo", "dalo": "zalo",
    "vnied": "vneid", "vneld": "vneid", "vn id": "vneid", "binhdanhocvuso": "binh dan hoc vu so",
    "hocvuso": "hoc vu so", "hocvu": "hoc vu", "dich vu cong quoc gia": "dich vu cong",
    "coi": "xem", "ngo": "xem", "dien thoai thong minh": "dien thoai", "smartphone": "dien thoai",
    "phone": "dien thoai", "bank": "ngan hang", "banking": "ngan hang",
}  # fmt: skip
# Words dropped from the question: pronouns, particles, question words, dialect fillers.
# Not "the" (thẻ), "can" (căn), "an" (an toàn), "to" (tổ), "do", "vay" (vay tiền) or
# "muon" (mượn) in the middle of a question: folded, they are meaningful words too.
_STOP_WORD_LIST = """
toi minh em anh chi bac ong ba co chu cua thi va voi oi a nhe nha nhi ha giup phai duoc
nay sao nao roi da se la gi j khong ko k kg khg hok hong hem hen hoi cho con chau no ho
nguoi ta ma thang dua may tui tao may bay gio gio ne nghe noi rang rua ri chi
hoai hen nhen
lam nhu o dau khi nen muon biet cach vao ra len xuong qua duoc dc hay cu van cung lai
het moi tu trong tren duoi de vi neu ma nhung cac mot hai ve di toi chua that
"""
STOP_WORDS = frozenset(_STOP_WORD_LIST.split())
# English questions keep their own words; these carry no meaning for the search.
ENGLISH_STOP_WORDS = frozenset(
    [
        "how",
        "does",
        "did",
        "do",
        "i",
        "my",
        "me",
        "is",
        "are",
        "was",
        "what",
        "where",
        "should",
        "it",
        "of",
        "for",
        "this",
        "that",
        "you",
        "your",
        "and",
        "or",
        "with",
        "when",
        "why",
        "who",
        "which",
        "get",
        "got",
        "has",
        "have",
        "please",
        "someone",
        "tell",
        "the",
        "a",
        "an",
        "to",
        "in",
        "on",
        "at",
        "by",
        "can",
        "could",
        "would",
        "will",
        "be",
        "am",
        "if",
        "so",
        "about",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "us",
        "from",
        "as",
        "not",
        "no",
        "yes",
        "just",
        "now",
        "any",
        "some",
    ]
)
# English words that mark a question as English (with at least two of them).
_ENGLISH = frozenset(
    [
        "how",
        "what",
        "where",
        "when",
        "why",
        "which",
        "who",
        "could",
        "should",
        "does",
        "did",
        "is",
        "are",
        "was",
        "my",
        "your",
        "of",
        "for",
        "with",
        "me",
        "it",
        "this",
        "that",
        "someone",
        "please",
        "help",
    ]
)
# Words that end a Vietnamese question without meaning: "la gi vay", "o mo rua".
_TAIL_WORDS = frozenset(
    ["vay", "rua", "ri", "mo", "ha", "a", "nhe", "nha", "khong", "ko", "hong", "hem", "chua", "the"]
)
# Field weights: the FAQ question and its keywords, the lesson title, the text itself.
HEAD, TITLE, BODY = 2.0, 1.2, 1.0
PAIR_WEIGHT = 1.0  # a word pair found side by side counts this much of its two words
# A first hit below this confidence is not shown: the chat says it does not know instead.
# Chosen with scripts/fit_ask.py so that, across writers, no more than about 5 questions in
# 100 get a confident wrong answer and 9 in 10 out-of-scope questions get none.
MIN_CONFIDENCE = 0.70
NEIGHBOURS = 5  # example questions that vote for their lessons
EXAMPLE_WEIGHT = 0.75  # their vote against the texts' (both scaled to the best lesson)
COVERAGE_BOOST = 2.0  # how much more a text counts when it holds all of the question
# Intercept and weights of Signs (coverage, example, margin, texts_agree, examples_agree,
# unknown, length), fitted across writers by scripts/fit_ask.py.
CALIBRATION = (-3.31, 0.77, 2.85, 2.62, 0.74, -0.69, -1.54, 0.74)
TYPO_MIN = 3  # words this long may be one typo away from a word of the content
# A folded Vietnamese syllable: onset, vowels, final consonant. A word that is one is left
# alone ("ngoai" is a word, not a typo of "ngoi"); one that is not may be a typo ("vnied").
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(uye|uya|oai|oay|oeo|uoi|uou|ieu|yeu|uay|uai|ay|au|ai|ao|eo|eu|ia|ie|iu|oa|oe|oi|"
    r"ua|ue|ui|uo|uu|uy|ye|ya|[aeiouy])"
    r"(ng|nh|ch|[cmnpt])?$"
)

_TOKEN = re.compile(r"\w+", re.UNICODE)
_ABBREVIATION = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?!\w)"
)


class Text(Protocol):
    """A text in both languages (the content schema's bilingual texts)."""

    vi: str
    en: str

    def get(self, lang: str) -> str: ...


@dataclass(frozen=True)
class Doc:
    kind: Literal["faq", "card"]
    id: str  # FAQ id, or "<lesson id>:<card index>"
    lesson_id: str
    title: Text  # the FAQ question, or the lesson title for a card
    text: Text  # the FAQ answer, or the card text


@dataclass(frozen=True)
class Signs:
    """What the confidence in the first lesson rests on."""

    coverage: float  # share of the question (IDF-weighted words and pairs) in its best text
    example: float  # closeness of the nearest example questions that were this lesson
    margin: float  # how far the first lesson leads the second (0..1)
    texts_agree: float  # 1 when the texts alone would rank it first
    examples_agree: float  # 1 when the examples alone would
    unknown: float  # share of the question's words the content has never used
    length: float  # log of the number of meaningful words

    def confidence(self) -> float:
        """A logistic model of "the first lesson is right", fitted across writers by
        scripts/fit_ask.py (CALIBRATION below)."""
        values = (
            self.coverage, self.example, self.margin, self.texts_agree, self.examples_agree,
            self.unknown, self.length,
        )  # fmt: skip
        z = CALIBRATION[0] + sum(w * v for w, v in zip(CALIBRATION[1:], values, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Hit:
    doc: Doc
    score: float  # 0..1: for the first hit, the confidence that its lesson is right
    rank: float  # the weighted score that orders the lessons
    signs: Signs | None = None


@dataclass(frozen=True)
class Answer:
    """The hits, best first, one per lesson; ``confident`` when the first may be shown."""

    hits: list[Hit]
    confident: bool
    lang: str  # "en" for a question asked in English, else "vi"


@dataclass(frozen=True)
class _Term:
    folded: str
    accented: str | None  # the word as typed, when it carries Vietnamese marks
    weight: float  # inverse document frequency


@dataclass
class _Fields:
    """One document's words: folded by field weight, as written, and folded pairs."""

    folded: dict[str, float] = field(default_factory=dict)
    accented: set[str] = field(default_factory=set)
    pairs: set[tuple[str, str]] = field(default_factory=set)


def _words(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text.lower()).replace("_", " "))


def normalise(text: str) -> str:
    """Folded text with shorthand spelled out: "CK nhầm STK" → "chuyen khoan nham so tai khoan"."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(0)], fold(text))


# Words in Vietnamese questions that are not Vietnamese syllables.
_BORROWED = frozenset(
    [
        "vneid",
        "vssid",
        "otp",
        "qr",
        "zalo",
        "app",
        "apk",
        "link",
        "wifi",
        "sms",
        "facebook",
        "fb",
        "youtube",
        "tiktok",
        "shopee",
        "lazada",
        "momo",
        "atm",
        "sim",
        "online",
        "internet",
        "email",
        "gmail",
        "google",
        "play",
        "store",
        "iphone",
        "samsung",
        "oppo",
        "livestream",
        "video",
        "camera",
        "pin",
        "code",
        "pass",
        "ok",
        "hello",
        "vietcombank",
        "vcb",
        "agribank",
        "bidv",
        "mbbank",
        "mb",
        "techcombank",
        "vietinbank",
        "sacombank",
        "tpbank",
        "vpbank",
        "acb",
        "msb",
        "viettel",
        "vinaphone",
        "mobifone",
        "vnpt",
        "evn",
        "grab",
    ]
)


def is_english(text: str) -> bool:
    """No Vietnamese marks, and English words, or mostly words no Vietnamese syllable is."""
    if any(ch != fold(ch) and ch.isalpha() for ch in text.lower()):
        return False
    words = fold(text).split()
    if sum(word in _ENGLISH for word in words) >= 2:
        return True
    foreign = [
        word
        for word in words
        if len(word) > 1 and not word.isdigit() and word not in _BORROWED
        and word not in ABBREVIATIONS and not _SYLLABLE.match(word)
    ]  # fmt: skip
    return len(foreign) >= 2 and len(foreign) >= 0.4 * len(words)


def _deletes(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and (a[diffs[0]], a[diffs[1]]) == (b[diffs[1]], b[diffs[0]])
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(short == long_[:i] + long_[i + 1 :] for i in range(len(long_)))


class SearchIndex:
    """FAQ items and lesson cards, searched in memory. Build once, search often."""

    def __init__(
        self,
        docs: list[Doc],
        fields: list[tuple[list[str], ...]],
        examples: list[tuple[str, tuple[str, ...]]] = (),  # type: ignore[assignment]
    ) -> None:
        """``fields``: per document, the head, title and body columns as lists of texts;
        ``examples``: questions people asked, with the lessons that answer them."""
        self.docs = docs
        self._fields: list[_Fields] = []
        frequency: dict[str, int] = {}
        for columns in fields:
            indexed = _Fields()
            for weight, column in zip((HEAD, TITLE, BODY), columns, strict=True):
                for text in column:
                    folded = normalise(text).split()
                    for word in folded:
                        indexed.folded[word] = max(indexed.folded.get(word, 0.0), weight)
                    indexed.pairs.update(itertools.pairwise(folded))
                    indexed.accented.update(_words(text))
            self._fields.append(indexed)
            for word in indexed.folded:
                frequency[word] = frequency.get(word, 0) + 1
        total = len(fields)
        self._idf = {w: math.log(1 + (total - n + 0.5) / (n + 0.5)) for w, n in frequency.items()}
        self._unknown_idf = math.log(1 + (total + 0.5) / 0.5)
        self._pairs = set().union(*(indexed.pairs for indexed in self._fields))
        self._first_doc: dict[str, int] = {}
        for index, doc in enumerate(docs):
            self._first_doc.setdefault(doc.lesson_id, index)
        # Symmetric deletes: a word and every word one letter shorter point to the content's
        # words, so a typo's neighbours are found by lookup instead of scanning the content.
        self._neighbours: dict[str, set[str]] = {}
        for word in frequency:
            if len(word) >= TYPO_MIN - 1:
                for key in _deletes(word):
                    self._neighbours.setdefault(key, set()).add(word)
        self._index_examples(list(examples))

    def _index_examples(self, examples: list[tuple[str, tuple[str, ...]]]) -> None:
        featured = [(_features(self.terms(text)), lessons) for text, lessons in examples]
        counts: dict[str, int] = {}
        for features, _lessons in featured:
            for feature in features:
                counts[feature] = counts.get(feature, 0) + 1
        total = len(featured)
        self._example_idf = {f: math.log((total + 1) / (n + 0.5)) for f, n in counts.items()}
        self._example_features = [
            (
                features,
                math.sqrt(sum(self._example_idf[f] ** 2 for f in features)) or 1.0,
                lessons,
            )
            for features, lessons in featured
            if features
        ]

    @classmethod
    def build(cls, catalog: Catalog) -> SearchIndex:
        """Index every FAQ item and every lesson card of the catalog, in both languages."""
        docs: list[Doc] = []
        fields: list[tuple[list[str], ...]] = []
        # A lesson's title and summary go with each of its texts: they name its topic.
        topics = {
            lesson.id: [lesson.title.vi, lesson.title.en, lesson.summary.vi, lesson.summary.en]
            for lesson in catalog.lessons
        }
        for item in catalog.faq:
            docs.append(Doc("faq", item.id, item.lesson, item.question, item.answer))
            fields.append(
                (
                    [item.question.vi, item.question.en, *item.keywords],
                    topics.get(item.lesson, []),
                    [item.answer.vi, item.answer.en],
                )
            )
        for lesson in catalog.lessons:
            for number, card in enumerate(lesson.cards):
                docs.append(
                    Doc("card", f"{lesson.id}:{number}", lesson.id, lesson.title, card.text)
                )
                fields.append(([], topics[lesson.id], [card.text.vi, card.text.en]))
        examples = [(example.text, tuple(example.lessons)) for example in catalog.ask_examples]
        return cls(docs, fields, examples)

    # --- the question ------------------------------------------------------------------

    def terms(self, query: str) -> list[_Term]:
        """The meaningful words of a question, in order, spelled out and typo-corrected."""
        marked = {fold(word): word for word in _words(query) if word != fold(word)}
        english = is_english(query)
        words = normalise(query).split()
        while (
            len(words) > 1 and not english and (words[-1] in _TAIL_WORDS or words[-1] in STOP_WORDS)
        ):
            words.pop()
        stop = ENGLISH_STOP_WORDS if english else STOP_WORDS
        terms: list[_Term] = []
        previous = ""
        for word in words:
            if word in stop or (len(word) == 1 and not word.isdigit()):
                continue
            known = word if english else self._correct(word, previous)
            accented = marked.get(word) if known == word else None
            terms.append(_Term(known, accented, self._idf.get(known, self._unknown_idf)))
            previous = known
        return terms

    def _correct(self, word: str, previous: str) -> str:
        """The content's word one typo away ("vnied" → "vneid", "tai khoang" → "tai
        khoan"), else the word itself. A real syllable the content lacks is only changed
        when the change makes a word pair the content has."""
        if word in self._idf or len(word) < TYPO_MIN or word.isdigit():
            return word
        near = set().union(*(self._neighbours.get(key, set()) for key in _deletes(word)))
        candidates = sorted(w for w in near if _one_edit(word, w))
        if not candidates:
            return word
        pairs = [w for w in candidates if previous and (previous, w) in self._pairs]
        if pairs:
            return max(pairs, key=lambda w: -self._idf[w])
        if _SYLLABLE.match(word):
            return word
        return max(candidates, key=lambda w: -self._idf[w])

    # --- scoring -----------------------------------------------------------------------

    def _score(self, terms: list[_Term], doc: _Fields) -> tuple[float, float]:
        """(confidence 0..1, rank) of one document for the question's terms."""
        total = sum(term.weight for term in terms)
        found = 0.0
        rank = 0.0
        for term in terms:
            field_weight = doc.folded.get(term.folded, 0.0)
            if not field_weight:
                continue
            # Accents typed are meant: "mất" found only as "mất" counts fully.
            match = 1.0 if term.accented is None or term.accented in doc.accented else 0.35
            found += term.weight * match
            rank += term.weight * match * field_weight
        pair_total = 0.0
        pair_found = 0.0
        for a, b in itertools.pairwise(terms):
            weight = (a.weight + b.weight) / 2 * PAIR_WEIGHT
            pair_total += weight
            if (a.folded, b.folded) in doc.pairs:
                pair_found += weight
                rank += weight
        confidence = (found + pair_found) / (total + pair_total) if total else 0.0
        return confidence, rank

    def _examples(self, terms: list[_Term]) -> dict[str, float]:
        """Lesson → similarity of the closest example questions (cosine over IDF-weighted
        words and word pairs): how people who asked alike were answered."""
        query = _features(terms)
        if not query or not self._example_features:
            return {}
        weights = self._example_idf
        norm = math.sqrt(sum(weights.get(f, 0.0) ** 2 for f in query)) or 1.0
        similar = []
        for features, norm_example, lessons in self._example_features:
            shared = query & features
            if shared:
                cosine = sum(weights[f] ** 2 for f in shared) / (norm * norm_example)
                similar.append((cosine, lessons))
        similar.sort(key=lambda item: -item[0])
        by_lesson: dict[str, float] = {}
        for cosine, lessons in similar[:NEIGHBOURS]:
            for lesson in lessons:
                by_lesson[lesson] = by_lesson.get(lesson, 0.0) + cosine
        return by_lesson

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        """The best text of each of the best lessons, best first; [] when nothing fits.

        Lessons are ranked by their texts (the best one plus a quarter of the second, more
        when one holds nearly all the question) and by the example questions closest to
        this one; each hit is the lesson's best text. The first hit's score is the
        calibrated confidence that its lesson is right; the others' is their coverage."""
        terms = self.terms(query)
        if not terms or limit < 1:
            return []
        best: dict[str, list[tuple[float, float, int]]] = {}
        for index, doc in enumerate(self._fields):
            coverage, rank = self._score(terms, doc)
            if rank > 0:
                best.setdefault(self.docs[index].lesson_id, []).append((rank, coverage, index))
        texts: dict[str, float] = {}
        for lesson, entries in best.items():
            entries.sort(reverse=True)
            texts[lesson] = entries[0][0] + 0.25 * (entries[1][0] if len(entries) > 1 else 0.0)
            # A text that holds nearly all of the question (an FAQ asked as written) counts more.
            texts[lesson] *= 1.0 + COVERAGE_BOOST * max(entry[1] for entry in entries) ** 2
        examples = self._examples(terms)
        top_text = max(texts.values(), default=0.0) or 1.0
        top_example = max(examples.values(), default=0.0) or 1.0
        lessons = {
            lesson: texts.get(lesson, 0.0) / top_text
            + EXAMPLE_WEIGHT * examples.get(lesson, 0.0) / top_example
            for lesson in texts.keys() | examples.keys()
        }
        ranked = sorted(lessons, key=lambda lesson: -lessons[lesson])
        if not ranked:
            return []
        first = ranked[0]
        second = lessons[ranked[1]] if len(ranked) > 1 else 0.0
        signs = Signs(
            coverage=best[first][0][1] if first in best else 0.0,
            example=examples.get(first, 0.0),
            margin=(lessons[first] - second) / lessons[first] if lessons[first] else 0.0,
            texts_agree=float(bool(texts) and max(texts, key=texts.__getitem__) == first),
            examples_agree=float(
                bool(examples) and max(examples, key=examples.__getitem__) == first
            ),
            unknown=sum(term.folded not in self._idf for term in terms) / len(terms),
            length=math.log(len(terms)),
        )
        hits = []
        for position, lesson in enumerate(ranked[:limit]):
            entries = best.get(lesson) or []
            index = entries[0][2] if entries else self._first_doc[lesson]
            score = signs.confidence() if position == 0 else (entries[0][1] if entries else 0.0)
            hits.append(Hit(self.docs[index], round(score, 3), round(lessons[lesson], 3), signs))
        return hits

    def answer(self, query: str, limit: int = 3) -> Answer:
        hits = self.search(query, limit=limit)
        lang = "en" if is_english(query) else "vi"
        return Answer(hits, confident(hits), lang)

    def close(self) -> None:
        """Nothing to release: the index lives in plain Python objects."""


def _features(terms: list[_Term]) -> set[str]:
    words = [term.folded for term in terms]
    return set(words) | {f"{a}_{b}" for a, b in itertools.pairwise(words)}


def confident(hits: list[Hit], min_confidence: float = MIN_CONFIDENCE) -> bool:
    """Whether the best hit answers the question, rather than sharing a stray word with it."""
    return bool(hits) and hits[0].score >= min_confidence
