"""Answer free-text questions from the FAQ and the lesson cards.

Citizens type the way they speak, often without diacritics and with shorthand ("ck nham
stk thi sao"). Both the content and the question are folded (bot.content.textfold) and
shorthand is spelled out, then SQLite FTS5 ranks documents with bm25, weighting FAQ
questions and keywords above answers. The index lives in an in-memory database built once
at start-up; a query takes a fraction of a millisecond.

bm25 always returns something, so ``confident`` says whether the best hit really answers
the question: most of the question's meaningful words must appear in it, and at least two
of them side by side (Vietnamese meaning lives in word pairs: "mat khau", "bao hiem").
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import sqlite3
import threading
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.content.loader import Catalog
from bot.content.textfold import fold

# Shorthand and spellings people type, on folded text (keys and values folded).
ABBREVIATIONS = {
    "bhxh": "bao hiem xa hoi",
    "bhyt": "bao hiem y te",
    "bhtn": "bao hiem that nghiep",
    "cccd": "can cuoc cong dan",
    "cmnd": "can cuoc",
    "cmt": "can cuoc",
    "ck": "chuyen khoan",
    "stk": "so tai khoan",
    "tk": "tai khoan",
    "mk": "mat khau",
    "pass": "mat khau",
    "password": "mat khau",
    "pw": "mat khau",
    "dvc": "dich vu cong",
    "dvcqg": "dich vu cong quoc gia",
    "vn eid": "vneid",
    "v neid": "vneid",
    "vneid app": "vneid",
    "vss id": "vssid",
    "k": "khong",
    "ko": "khong",
    "kh": "khong",
    "khg": "khong",
    "kg": "khong",
    "hok": "khong",
    "hong": "khong",
    "dc": "duoc",
    "dt": "dien thoai",
    "dthoai": "dien thoai",
    "sdt": "so dien thoai",
    "nh": "ngan hang",
    "app": "ung dung",
    "apps": "ung dung",
    "chplay": "ch play",
    "gg play": "ch play",
    "google play": "ch play",
    "play store": "ch play",
    "appstore": "app store",
    "sms": "tin nhan",
    "tn": "tin nhan",
    "dk": "dang ky",
    "dky": "dang ky",
    "dn": "dang nhap",
    "login": "dang nhap",
    "j": "gi",
    "ntn": "nhu the nao",
    "ktra": "kiem tra",
    "bv": "benh vien",
    "ubnd": "uy ban nhan dan",
    "gplx": "giay phep lai xe",
    "bik": "biet",
    "bit": "biet",
    "lm": "lam",
    "ng": "nguoi",
    "vs": "voi",
    "fb": "facebook",
    "qr code": "ma qr",
}
# Question words that carry no meaning for the search (removed from the query only).
STOP_PHRASES = (
    "lam the nao",
    "nhu the nao",
    "the nao",
    "lam sao",
    "ra sao",
    "o dau",
    "cho toi hoi",
    "cho minh hoi",
    "cho em hoi",
    "cho chau hoi",
    "cho con hoi",
    "cho hoi",
    "xin hoi",
    "muon hoi",
    "phai lam gi",
    "co duoc khong",
    "duoc khong",
    "co phai khong",
    "bay gio",
    "nhu nao",
)
# Folded Vietnamese pronouns and particles, and English question words. Not "the" (thẻ),
# "can" (căn), "an" (an toàn), "to" (tổ), "do", "vay" (vay tiền) or "muon" (mượn): folded,
# they are meaningful Vietnamese words too.
_STOP_WORD_LIST = """
toi minh em anh chi bac ong ba co chu cua thi va voi oi a nhe nha nhi ha giup
phai duoc nay sao nao roi da se how does did i my me is are what where should it of for
this that you your
"""
STOP_WORDS = frozenset(_STOP_WORD_LIST.split())
# Weights of the indexed columns for bm25: FAQ question and keywords, lesson title, body.
COLUMN_WEIGHTS = (4.0, 1.5, 1.0)
# confident(): share of the question's meaning (IDF-weighted words) the best hit must hold.
MIN_COVERAGE = 0.5
PREFIX_MIN = 5  # query words this long also match longer words ("vneid" → "vneids")

_ABBREVIATION = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?!\w)"
)
_STOP = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in STOP_PHRASES) + r")(?!\w)")


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
class Hit:
    doc: Doc
    score: float  # bm25 relevance, higher is better
    coverage: float  # 0..1: IDF-weighted share of the query words found in the document
    pairs: int  # query word pairs found side by side in the document
    terms: int  # meaningful words in the query


def normalise(text: str) -> str:
    """Folded text with shorthand spelled out: "CK nhầm STK" → "chuyen khoan nham so tai khoan"."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(0)], fold(text))


def query_terms(query: str) -> list[str]:
    """The meaningful words of a question, in order, without question words."""
    text = _STOP.sub(" ", normalise(query))
    return [word for word in text.split() if word not in STOP_WORDS]


def confident(hits: list[Hit], min_coverage: float = MIN_COVERAGE) -> bool:
    """Whether the best hit answers the question, rather than sharing a stray word with it."""
    if not hits:
        return False
    best = hits[0]
    return best.coverage >= min_coverage and (best.pairs >= 1 or best.terms == 1)


@dataclass(frozen=True)
class _Terms:
    words: tuple[str, ...]  # sorted, for prefix look-ups
    pairs: frozenset[tuple[str, str]]

    def has(self, word: str) -> bool:
        index = bisect.bisect_left(self.words, word)
        if index < len(self.words) and self.words[index] == word:
            return True
        return (
            len(word) >= PREFIX_MIN
            and index < len(self.words)
            and self.words[index].startswith(word)
        )


def _pairs(text: str) -> set[tuple[str, str]]:
    words = text.split()
    return set(itertools.pairwise(words))


class SearchIndex:
    """FAQ items and lesson cards in an in-memory FTS5 table. Build once, search often."""

    def __init__(self, docs: list[Doc], fields: list[tuple[list[str], ...]]) -> None:
        """``fields``: per document, the head, title and body columns as lists of texts."""
        self.docs = docs
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute("CREATE VIRTUAL TABLE docs USING fts5(head, title, body)")
        rows = []
        self._terms: list[_Terms] = []
        frequency: dict[str, int] = {}
        for index, columns in enumerate(fields):
            parts = [normalise(text) for column in columns for text in column]
            rows.append((index, *(" ".join(normalise(t) for t in column) for column in columns)))
            words = sorted({word for part in parts for word in part.split()})
            pairs = set().union(*(_pairs(part) for part in parts))
            self._terms.append(_Terms(tuple(words), frozenset(pairs)))
            for word in words:
                frequency[word] = frequency.get(word, 0) + 1
        self._db.executemany(
            "INSERT INTO docs (rowid, head, title, body) VALUES (?, ?, ?, ?)", rows
        )
        total = len(fields)
        self._idf = {w: math.log(1 + (total - n + 0.5) / (n + 0.5)) for w, n in frequency.items()}
        self._unknown_idf = math.log(1 + (total + 0.5) / 0.5)

    @classmethod
    def build(cls, catalog: Catalog) -> SearchIndex:
        """Index every FAQ item and every lesson card of the catalog, in both languages."""
        docs: list[Doc] = []
        fields: list[tuple[list[str], ...]] = []
        titles = {lesson.id: lesson.title for lesson in catalog.lessons}
        for item in catalog.faq:
            docs.append(Doc("faq", item.id, item.lesson, item.question, item.answer))
            title = titles.get(item.lesson)
            fields.append(
                (
                    [item.question.vi, item.question.en, *item.keywords],
                    [title.vi, title.en] if title else [],
                    [item.answer.vi, item.answer.en],
                )
            )
        for lesson in catalog.lessons:
            for number, card in enumerate(lesson.cards):
                docs.append(
                    Doc("card", f"{lesson.id}:{number}", lesson.id, lesson.title, card.text)
                )
                fields.append(
                    ([], [lesson.title.vi, lesson.title.en], [card.text.vi, card.text.en])
                )
        return cls(docs, fields)

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        """The best documents for a question, best first; empty when nothing matches."""
        ordered = query_terms(query)
        terms = list(dict.fromkeys(ordered))
        if not terms or limit < 1:
            return []
        # Any word may match (OR); side-by-side pairs are phrases, so they rank higher.
        pairs = list(dict.fromkeys(itertools.pairwise(ordered)))
        words = [f'"{t}"*' if len(t) >= PREFIX_MIN else f'"{t}"' for t in terms]
        expression = " OR ".join(words + [f'"{a} {b}"' for a, b in pairs])
        with self._lock:
            rows = self._db.execute(
                "SELECT rowid, bm25(docs, ?, ?, ?) AS rank FROM docs WHERE docs MATCH ?"
                " ORDER BY rank LIMIT ?",
                (*COLUMN_WEIGHTS, expression, limit),
            ).fetchall()
        weights = [self._idf.get(term, self._unknown_idf) for term in terms]
        total = sum(weights)
        hits = []
        for rowid, rank in rows:
            known = self._terms[rowid]
            found = sum(w for term, w in zip(terms, weights, strict=True) if known.has(term))
            shared = sum(1 for pair in pairs if pair in known.pairs)
            coverage = found / total if total else 0.0
            hits.append(Hit(self.docs[rowid], -rank, coverage, shared, len(terms)))
        return hits

    def close(self) -> None:
        self._db.close()
