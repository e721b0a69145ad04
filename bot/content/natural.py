"""Natural order for names people read in lists: "Thôn 2" before "Thôn 10"."""

from __future__ import annotations

import re

from bot.content.textfold import fold

_NUMBER = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key: digit runs compare as numbers, the rest without accents or case.

    Accents still break ties, so "Thôn Đông" and "Thôn Dong" keep a stable order.
    """
    parts: list[tuple[int, int | str]] = []
    for index, piece in enumerate(_NUMBER.split(fold(name))):
        if index % 2:
            parts.append((0, int(piece)))
        elif piece:
            parts.append((1, piece))
    parts.append((-1, name))  # a shorter name first: "Thôn 2" before "Thôn 2A"
    return tuple(parts)
