"""UI strings through gettext, in the language of the learner being served.

The locale lives in a ContextVar set for each inbound event, so concurrent learners do
not see each other's language. Catalogs are read from the ``.po`` files and compiled in
memory, so a newcomer has no compile step.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from functools import cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.dates import get_day_names
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.numbers import format_percent as _babel_percent
from babel.support import Translations

from bot.resources import data_dir

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
_current: ContextVar[str] = ContextVar("hocvuso_locale", default=DEFAULT_LANGUAGE)


def pick_language(code: str | None) -> str:
    """The app's language code mapped to one we speak; Vietnamese unless it is English."""
    if code and code.lower().split("-")[0].split("_")[0] == "en":
        return "en"
    return DEFAULT_LANGUAGE


@cache
def translations(lang: str) -> Translations:
    path = data_dir("locales") / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


@contextmanager
def use_locale(lang: str) -> Iterator[None]:
    token = _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def current_language() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Marks a string for extraction where it is translated later (at use)."""
    return message


def format_number(value: float) -> str:
    return format_decimal(value, locale=Locale.parse(_current.get()))


def format_percent(value: float) -> str:
    """0.123 → "12%" (vi) / "12%" (en), with the language's digit grouping."""
    return _babel_percent(value, locale=Locale.parse(_current.get()))


def format_alternatives(items: list[str]) -> str:
    """ "1, 2 hoặc 3" / "1, 2, or 3" in the current language."""
    return format_list(items, style="or", locale=Locale.parse(_current.get()))


def format_day(value: date) -> str:
    return _babel_date(value, format="long", locale=Locale.parse(_current.get()))


def format_time(value: datetime | time) -> str:
    """A time of day as people read it, e.g. "07:30"."""
    return _babel_time(value, format="short", locale=Locale.parse(_current.get()))


def format_weekday(day: int) -> str:
    """0 → "Thứ Hai" / "Monday"."""
    return str(get_day_names("wide", locale=Locale.parse(_current.get()))[day])
