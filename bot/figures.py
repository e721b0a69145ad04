"""How report figures read, in the reader's language (Babel): shares, pace, dates.

Shares are rounded down, never up, so a figure never shows a target reached (or a bar
crossing the target line) before it is; under 10% they keep one decimal, so a village that
started does not read as 0%.
"""

from __future__ import annotations

import math
from datetime import date

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent

from bot.i18n import current_language

EPSILON = 1e-9  # 0.29 * 100 is 28.999…; do not let that read as 28%


def _locale() -> Locale:
    return Locale.parse(current_language())


def floored_share(share: float, *, decimal: bool = False) -> float:
    """The share as shown: down to 0.1 point under 10% (or always, with ``decimal``), to
    whole points above."""
    if share < 0.1 or decimal:
        return math.floor(share * 1000 + EPSILON) / 1000
    return math.floor(share * 100 + EPSILON) / 100


def format_share(share: float | None) -> str:
    """0.0456 → "4,5%", 0.456 → "45%" (vi); "–" when the adults are not known."""
    if share is None:
        return "–"
    if 0 < share < 0.001:
        return "<" + format_percent(0.001, "#,##0.0%", locale=_locale())
    pattern = "#,##0.#%" if share < 0.1 else "#,##0%"
    return format_percent(floored_share(share), pattern, locale=_locale())


def format_points(pace: float) -> str:
    """A weekly pace in percentage points with its sign: 0.012 → "+1,2" (vi)."""
    return format_decimal(round(pace * 100, 1) + 0.0, "+#,##0.0;-#,##0.0", locale=_locale())


def format_month(day: date) -> str:
    """Month and year, short: "3/2027"."""
    return format_skeleton("yM", day, locale=_locale())


def format_date(day: date) -> str:
    """A date in numbers as the reader writes it: "5/3/2027" (vi), "3/5/2027" (en)."""
    return format_skeleton("dMy", day, locale=_locale())


def format_day_month(day: date) -> str:
    """Day and month, for axis ticks: "24/11" (vi), "11/24" (en)."""
    return format_skeleton("dM", day, locale=_locale())
