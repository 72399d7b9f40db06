from __future__ import annotations

import datetime as dt

import pytest

from pipeline.read.dates import coerce_date, format_long_date, parse_date_line


@pytest.mark.parametrize(
    ("line", "lang", "expected"),
    [
        ("March 31, 2025", "en", dt.date(2025, 3, 31)),
        ("31 March 2025", "en", dt.date(2025, 3, 31)),
        ("1. dubna 2025", "cs", dt.date(2025, 4, 1)),
        ("1. duben 2025", "cs", dt.date(2025, 4, 1)),
        ("1. 4. 2025", "cs", dt.date(2025, 4, 1)),
        ("2025-04-01", "cs", dt.date(2025, 4, 1)),
        ("12. März 2024", "de", dt.date(2024, 3, 12)),
    ],
)
def test_localized_dates_are_recognised(line: str, lang: str, expected: dt.date) -> None:
    assert parse_date_line(line, lang) == expected


@pytest.mark.parametrize(
    "line",
    ["Rejekts 2025 in London", "1. dubna 2025 jsem byl v Londýně", "February 30, 2025", "Recording", ""],
)
def test_other_lines_are_not_dates(line: str) -> None:
    assert parse_date_line(line, "cs") is None


def test_long_dates_follow_the_locale() -> None:
    day = dt.date(2025, 4, 1)
    assert format_long_date(day, "cs") == "1. dubna 2025"
    assert format_long_date(day, "en") == "April 1, 2025"


def test_front_matter_dates_are_coerced() -> None:
    assert coerce_date("2025-04-01") == dt.date(2025, 4, 1)
    assert coerce_date(dt.datetime(2025, 4, 1, 12, 0)) == dt.date(2025, 4, 1)
    assert coerce_date("soon") is None
