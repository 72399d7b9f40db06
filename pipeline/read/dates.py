"""Localized dates: recognise a date line in any locale Babel knows, and format one.

Month names come from Babel's CLDR data (both the format and the stand-alone
forms, wide and abbreviated), so "March 31, 2025", "31 March 2025",
"1. dubna 2025" and "1. 4. 2025" are all understood without a hand-made list.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, get_month_names


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().rstrip(".")


@lru_cache(maxsize=32)
def month_lookup(lang: str) -> dict[str, int]:
    """Every month name and abbreviation of ``lang`` (and English) mapped to 1..12."""
    names: dict[str, int] = {}
    for code in dict.fromkeys((lang, "en")):
        try:
            locale = Locale.parse(code.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    names.setdefault(_fold(name), int(number))
    return names


_WORD = r"([^\W\d_]+\.?)"
_PATTERNS = (
    # March 31, 2025 / Mar 31 2025
    re.compile(rf"^{_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$"),
    # 31 March 2025 / 1. dubna 2025 / 31. März 2025
    re.compile(rf"^(\d{{1,2}})\.?\s+{_WORD}\s+(\d{{4}})$"),
    # 2025-04-01
    re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    # 1. 4. 2025 / 1.4.2025 (day first, as most of Europe writes it)
    re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$"),
)


def parse_date_line(line: str, lang: str) -> dt.date | None:
    """The date a line consists of, or None if the line is anything else."""
    text = " ".join(line.strip().split())
    if not text or len(text) > 40:
        return None
    months = month_lookup(lang)
    for index, pattern in enumerate(_PATTERNS):
        match = pattern.match(text)
        if not match:
            continue
        try:
            if index == 0:
                month = months.get(_fold(match.group(1)))
                if month:
                    return dt.date(int(match.group(3)), month, int(match.group(2)))
            elif index == 1:
                month = months.get(_fold(match.group(2)))
                if month:
                    return dt.date(int(match.group(3)), month, int(match.group(1)))
            elif index == 2:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            else:
                return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            return None
    return None


def format_long_date(value: dt.date, lang: str) -> str:
    """The date as a reader of ``lang`` expects it: "1. dubna 2025", "April 1, 2025"."""
    return format_date(value, format="long", locale=Locale.parse(lang.replace("-", "_")))


def coerce_date(value: object) -> dt.date | None:
    """A front-matter date value (YAML date, datetime or ISO string) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None
