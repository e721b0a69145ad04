"""Read what a person typed against the choices they were just shown (pure).

Elderly learners answer a menu by typing: "1", "1.", "số 2", "hai", "dong y", "ko",
"tiep", "thon 1", or the words of a quiz answer without accents. Each is read here, on
every channel, against the choices last shown; only text that fits no choice goes on to
the flow, the scam check or the answer search.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.content.textfold import fold
from bot.core.messages import Choice


def phrases(text: str) -> frozenset[str]:
    """ "a|b c|d" → {"a", "b c", "d"}: word lists written compactly."""
    return frozenset(text.split("|"))


# Words that pick a choice by what it means rather than by its label (folded, vi and en).
MEANINGS: dict[str, frozenset[str]] = {
    "yes": phrases(
        "co|dong y|toi dong y|dy|ok|oke|okay|u|uh|um|vang|da|duoc|dc|chac chan|yes|y|agree"
        "|i agree|sure|co a|vang a|da co|dong y a|dung roi|gui|gui di|send"
    ),
    "no": phrases(
        "khong|ko|k|kg|kh|hong|hok|khong a|khong dong y|toi khong dong y|thoi|chua|no|n"
        "|nope|not now|khong can|ko can|k can|huy|cancel|no thanks|khong gui"
    ),
    "next": phrases(
        "tiep|tiep tuc|tiep theo|xem tiep|di tiep|sang trang|next|continue|tiep di|hoc tiep"
        "|ok tiep|ok|oke|roi|xong"
    ),
    "back": phrases("lui|lui lai|quay lai|tro lai|truoc|back|previous|prev"),
    "menu": phrases("menu|trang chinh|man hinh chinh|home|ve menu|main menu"),
    "cancel": phrases("huy|huy bo|thoi|dung lai|cancel|stop|bo qua|khong gui"),
}
# Words that make a sentence negative, so "toi khong dong y" is a no.
_NEGATIONS = phrases("khong|ko|k|kg|kh|hong|hok|chua|no|not|dont|never")
# Filler around a choice: "toi chon so 2 a", "chon nguoi dan nhe".
_FILLER = phrases("toi|chon|lay|cho|xin|muon|la|a|nhe|nha|oi|di|em|con|bac|chau|minh|thi|cai")
_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
    "tam": 8, "chin": 9, "muoi": 10,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
    "first": 1, "second": 2, "third": 3, "fourth": 4,
}  # fmt: skip
_NUMBER_PREFIX = r"(?:(?:so|cau|chon|muc|phuong an|dap an|lua chon|nut|option|number|no|thu)\s+)?"
_DIGITS = re.compile(rf"^{_NUMBER_PREFIX}(\d{{1,3}})$")
_WORD_NUMBER = re.compile(rf"^{_NUMBER_PREFIX}([a-z]+)$")


@dataclass(frozen=True)
class Picked:
    index: int


@dataclass(frozen=True)
class OutOfRange:
    number: int


@dataclass(frozen=True)
class NoMatch:
    pass


Reading = Picked | OutOfRange | NoMatch


def normalise(text: str) -> str:
    """Folded text with full-width and other compatibility digits made plain ("２" → "2")."""
    return fold(unicodedata.normalize("NFKC", text))


def read(text: str, choices: tuple[Choice, ...] | list[Choice]) -> Reading:
    """Which choice the typed text means, a number that is not on the menu, or neither."""
    typed = normalise(text)
    if not typed or not choices:
        return NoMatch()
    digits = _DIGITS.match(typed)
    if digits:
        return _numbered(int(digits.group(1)), len(choices))
    labels = [fold(choice.label) for choice in choices]
    exact = [i for i, label in enumerate(labels) if label and label == typed]
    if len(exact) == 1:
        return Picked(exact[0])
    by_meaning = _by_meaning(typed, choices)
    if by_meaning is not None:
        return Picked(by_meaning)
    by_words = _by_words(typed, labels)
    if by_words is not None:
        return Picked(by_words)
    spelled = _WORD_NUMBER.match(typed)  # "hai", "so ba": after the labels, so "Xóm Nam" wins
    if spelled and spelled.group(1) in _NUMBER_WORDS:
        return _numbered(_NUMBER_WORDS[spelled.group(1)], len(choices))
    return NoMatch()


def _numbered(number: int, count: int) -> Reading:
    return Picked(number - 1) if 1 <= number <= count else OutOfRange(number)


def _by_meaning(typed: str, choices: tuple[Choice, ...] | list[Choice]) -> int | None:
    """A word that means yes, no, next, back... and exactly one choice that means it."""
    meanings = {choice.means for choice in choices if choice.means}
    if not meanings:
        return None
    stripped = " ".join(word for word in typed.split() if word not in _FILLER) or typed
    wanted = [m for m in meanings if typed in MEANINGS.get(m, ()) or stripped in MEANINGS[m]]
    if not wanted and {"yes", "no"} <= meanings:
        # A sentence rather than a word: any negation makes it a no ("toi khong dong y"),
        # else a yes-word in it makes it a yes ("dong y roi a").
        words = set(typed.split())
        if words & _NEGATIONS:
            wanted = ["no"]
        elif any(phrase in f" {typed} " for phrase in (" dong y ", " co ", " vang ", " ok ")):
            wanted = ["yes"]
    if len(wanted) != 1:
        return None
    found = [i for i, choice in enumerate(choices) if choice.means == wanted[0]]
    return found[0] if len(found) == 1 else None


def _close(word: str, other: str) -> bool:
    """Equal, or one typo apart in a long word ("vnied" for "vneid")."""
    if word == other:
        return True
    if min(len(word), len(other)) < 5 or abs(len(word) - len(other)) > 1:
        return False
    return _one_edit(word, other)


def _one_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(short == long_[:i] + long_[i + 1 :] for i in range(len(long_)))


def _by_words(typed: str, labels: list[str]) -> int | None:
    """The one choice whose words contain every typed word (or which the typed words
    contain, give or take two extra words): "thon 1" is "Thôn 1", never "Thôn 10"."""
    words = [word for word in typed.split() if word not in _FILLER] or typed.split()
    if all(len(word) < 2 and not word.isdigit() for word in words):
        return None
    contained: list[int] = []
    containing: list[int] = []
    for index, label in enumerate(labels):
        label_words = label.split()
        if not label_words:
            continue
        if all(any(_close(word, own) for own in label_words) for word in words):
            contained.append(index)
        elif all(own in words for own in label_words) and len(words) - len(label_words) <= 2:
            containing.append(index)
    if len(contained) == 1:
        return contained[0]
    if not contained and len(containing) == 1:
        return containing[0]
    return None
