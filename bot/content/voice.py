"""The assistant's voice: the learner is "bác", the assistant is "tôi", never "bạn" or "bot".

Elderly learners read "bạn" as talking down to them (or as talking to someone else), and many
do not know the word "bot". Scam examples quote crooks word for word ("Chào bạn, tài khoản của
bạn bị khóa"), so text inside quotation marks, straight or curly, is not checked.

``find_voice_problems`` is pure and small on purpose: ``hocvuso lessons check``, the content
tests and the catalog test all use it.
"""

from __future__ import annotations

import re
import unicodedata

# "bạn" that is not a form of address: "bạn bè" (friends), "người bạn" (a friend),
# "bạn của bác" (your friend), "kết bạn" (make friends), "bạn hàng" (trading partner).
_NOT_ADDRESS_AFTER = frozenset({"bè", "thân", "hàng", "đời", "học", "cũ", "của", "gái", "trai"})
_NOT_ADDRESS_BEFORE = frozenset({"người", "kết", "hủy", "huỷ", "những"})

_WORD = re.compile(r"\w+")
_OPENING = {'"': '"', "“": "”"}


def unquoted(text: str) -> str:
    """The text with every quotation ("…" or “…”) replaced by a space.

    An opening mark with no closing mark quotes nothing: the rest of the text is checked.
    """
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        closing = _OPENING.get(char)
        if closing is not None:
            end = text.find(closing, index + 1)
            if end != -1:
                out.append(" ")
                index = end + 1
                continue
        out.append(char)
        index += 1
    return "".join(out)


def _context(words: list[str], index: int) -> str:
    return " ".join(words[max(0, index - 3) : index + 4])


def find_voice_problems(text: str) -> list[str]:
    """Why this learner-facing text breaks the voice; an empty list when it does not.

    Flags "bạn" used to address the learner and the word "bot" for the assistant, outside
    quotation marks. Matching is on lower case with diacritics kept: folded, "bạn" would
    also catch "bán" (sell) and "bot" would catch "bớt" (less).
    """
    plain = unicodedata.normalize("NFC", unquoted(text)).lower()
    words = _WORD.findall(plain)
    problems: list[str] = []
    for index, word in enumerate(words):
        if word == "bạn":
            after = words[index + 1] if index + 1 < len(words) else ""
            before = words[index - 1] if index > 0 else ""
            if after in _NOT_ADDRESS_AFTER or before in _NOT_ADDRESS_BEFORE:
                continue
            problems.append(
                f'addresses the learner as "bạn" ("{_context(words, index)}"); write "bác"'
            )
        elif word == "bot":
            problems.append(
                f'calls the assistant "bot" ("{_context(words, index)}"); it says "tôi" (I)'
            )
    return problems
