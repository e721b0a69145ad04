"""Fold text for matching: lower case, no diacritics, đ → d, punctuation as spaces.

Citizens often type without diacritics ("quen mat khau"), so everything that matches typed
text against content compares folded forms: the search, the scam rules and the channels'
numbered choices all use this one function.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w\s]")


def fold(text: str) -> str:
    """Lower case without diacritics, so "Tiep" matches "Tiếp"; đ becomes d."""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare).split())
