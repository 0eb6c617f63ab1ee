"""Finding publication dates in free text: ISO, slashed, 年月日 and English month-name forms."""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month_name>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

NUMERIC_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")
CJK_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号號]")
MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE
)
DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE
)
DATE_PATTERNS = (NUMERIC_DATE, CJK_DATE, MONTH_DAY_YEAR, DAY_MONTH_YEAR)

# What may sit next to a date on a date-only line: times, weekdays, time zones.
TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
WEEKDAY = re.compile(
    r"星期[一二三四五六日天]|周[一二三四五六日]|週[一二三四五六日]|禮拜[一二三四五六日天]|礼拜[一二三四五六日天]"
    r"|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\b\.?",
    re.IGNORECASE,
)
TIME_ZONE = re.compile(r"\b(?:UTC|GMT|CST|EST|EDT|PST|PDT|ET|PT|BST|HKT)(?:[+-]\d{1,2}(?::?\d{2})?)?\b")
DATE_FILLER = re.compile(r"[\s\W_]+")


def find_date(text: str) -> dt.date | None:
    """The earliest-placed valid date in ``text``, or None."""
    found = [(match.start(), date) for match, date in dates_in(text)]
    return min(found)[1] if found else None


def is_date_only(line: str) -> bool:
    """True if the line holds a date (maybe with time, weekday, zone) and nothing else."""
    matches = [match for match, _ in dates_in(line)]
    if not matches:
        return False
    rest = line
    for match in sorted(matches, key=lambda m: m.start(), reverse=True):
        rest = rest[: match.start()] + " " + rest[match.end():]
    for pattern in (TIME_OF_DAY, WEEKDAY, TIME_ZONE):
        rest = pattern.sub(" ", rest)
    return not DATE_FILLER.sub("", rest)


def dates_in(text: str):
    """Each date-shaped match in ``text`` that is a real calendar date, with that date."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            date = _to_date(match)
            if date:
                yield match, date


def _to_date(match: re.Match) -> dt.date | None:
    parts = match.groupdict()
    month = MONTHS[parts["month_name"].lower()] if parts.get("month_name") else int(parts["month"])
    try:
        return dt.date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None
