"""Reporting periods: parsing, previous period, UTC bounds.

Membership is decided by the local date in Europe/Copenhagen: an answer given at 00:30 on 1 January
local time belongs to the new year even though it is still 31 December in UTC.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Europe/Copenhagen"

ACCEPTED_FORMS = (
    "2026 (year), 2026-H1 / 2026-H2 (half year), 2026-Q1 … 2026-Q4 (quarter), 2026-03 (month), "
    "2026-YTD (1 January to today; for a past year, to the same day), "
    "2026-01-01:2026-06-30 (dates, both included)"
)


class PeriodError(ValueError):
    """A period text that cannot be understood; the message lists the accepted forms."""


@dataclass(frozen=True)
class Period:
    """An inclusive span of local dates with the kind it was made as (for :meth:`previous`)."""

    label: str
    start: date
    end: date
    kind: str = "range"  # year | half | quarter | month | ytd | range

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError(f"period {self.label!r} starts ({self.start}) after it ends ({self.end})")

    @property
    def days(self) -> int:
        """Number of days, both ends included."""
        return (self.end - self.start).days + 1

    def contains(self, local_day: date) -> bool:
        """Whether the local date ``local_day`` lies in the period."""
        return self.start <= local_day <= self.end

    def utc_bounds(self, tz: str = DEFAULT_TZ) -> tuple[datetime, datetime]:
        """Local midnight at the start and after the end, as aware UTC datetimes.

        Use as ``start <= answered_at < end``. Across a DST change a day has 23 or 25 hours and the
        bounds follow the wall clock, not a fixed offset.
        """
        zone = ZoneInfo(tz)
        start = datetime.combine(self.start, time(0), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
        return start, end

    def previous(self) -> Period:
        """The period of the same kind and length just before this one.

        Year → year before; H1 → previous year's H2; Q1 → previous year's Q4; month → month before;
        YTD → the same span of the previous year (to 28 February when this one ends on 29 February);
        a date range → as many days ending the day before it starts.
        """
        year = self.start.year
        if self.kind == "year":
            return year_period(year - 1)
        if self.kind == "half":
            return half_period(year, 1) if self.start.month == 7 else half_period(year - 1, 2)
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return quarter_period(year - 1, 4) if quarter == 1 else quarter_period(year, quarter - 1)
        if self.kind == "month":
            if self.start.month == 1:
                return month_period(year - 1, 12)
            return month_period(year, self.start.month - 1)
        if self.kind == "ytd":
            return ytd_period(year - 1, self.end.month, self.end.day)
        end = self.start - timedelta(days=1)
        return range_period(end - timedelta(days=self.days - 1), end)


def year_period(year: int) -> Period:
    """The calendar year."""
    return Period(f"{year}", date(year, 1, 1), date(year, 12, 31), "year")


def half_period(year: int, half: int) -> Period:
    """H1 (January–June) or H2 (July–December)."""
    if half == 1:
        return Period(f"{year}-H1", date(year, 1, 1), date(year, 6, 30), "half")
    return Period(f"{year}-H2", date(year, 7, 1), date(year, 12, 31), "half")


def quarter_period(year: int, quarter: int) -> Period:
    """Quarter 1..4 of ``year``."""
    first = 3 * (quarter - 1) + 1
    last = first + 2
    end = date(year, last, calendar.monthrange(year, last)[1])
    return Period(f"{year}-Q{quarter}", date(year, first, 1), end, "quarter")


def month_period(year: int, month: int) -> Period:
    """One calendar month."""
    end = date(year, month, calendar.monthrange(year, month)[1])
    return Period(f"{year}-{month:02d}", date(year, month, 1), end, "month")


def ytd_period(year: int, month: int, day: int) -> Period:
    """1 January to month/day of ``year``; 29 February becomes 28 February in a common year."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return Period(f"{year}-YTD", date(year, 1, 1), date(year, month, day), "ytd")


def range_period(start: date, end: date) -> Period:
    """An explicit span of dates, both included."""
    return Period(f"{start.isoformat()}:{end.isoformat()}", start, end, "range")


_YEAR = re.compile(r"(\d{4})", re.ASCII)
_HALF = re.compile(r"(\d{4})-H([12])", re.IGNORECASE | re.ASCII)
_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE | re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_YTD = re.compile(r"(\d{4})-YTD", re.IGNORECASE | re.ASCII)
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*:\s*(\d{4}-\d{2}-\d{2})", re.ASCII)


def parse_period(text: str, today: date) -> Period:
    """Read a period as staff type it; see ``ACCEPTED_FORMS``. ``today`` is the local date (for YTD).

    A year-to-date of a past year runs to the same month and day as ``today``, so it compares like
    with like against this year's YTD. A YTD of a future year is an error.
    """
    cleaned = text.strip() if isinstance(text, str) else ""
    if m := _YEAR.fullmatch(cleaned):
        return year_period(_year(m.group(1), text))
    if m := _HALF.fullmatch(cleaned):
        return half_period(_year(m.group(1), text), int(m.group(2)))
    if m := _QUARTER.fullmatch(cleaned):
        return quarter_period(_year(m.group(1), text), int(m.group(2)))
    if m := _MONTH.fullmatch(cleaned):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"{text!r}: month must be 01..12. Accepted forms: {ACCEPTED_FORMS}")
        return month_period(_year(m.group(1), text), month)
    if m := _YTD.fullmatch(cleaned):
        year = _year(m.group(1), text)
        if year > today.year:
            raise PeriodError(f"{text!r}: year to date of a future year (today is {today.isoformat()})")
        return ytd_period(year, today.month, today.day)
    if m := _RANGE.fullmatch(cleaned):
        start, end = _date(m.group(1), text), _date(m.group(2), text)
        if start > end:
            raise PeriodError(f"{text!r}: the start date is after the end date")
        return range_period(start, end)
    raise PeriodError(f"cannot read the period {text!r}. Accepted forms: {ACCEPTED_FORMS}")


YEARS = (1900, 2100)  # periods outside these years are typing mistakes (and year 9999 has no next day)


def _year(digits: str, text: str) -> int:
    year = int(digits)
    if not YEARS[0] <= year <= YEARS[1]:
        raise PeriodError(
            f"{text!r}: year {year} is out of range ({YEARS[0]}–{YEARS[1]}). Accepted forms: {ACCEPTED_FORMS}"
        )
    return year


def _date(iso: str, text: str) -> date:
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        raise PeriodError(f"{text!r}: {iso} is not a real date. Accepted forms: {ACCEPTED_FORMS}") from None
    _year(str(day.year), text)
    return day


def local_date(dt_utc: datetime, tz: str = DEFAULT_TZ) -> date:
    """The local calendar date of an aware datetime. Naive datetimes are refused: their zone is a guess."""
    if dt_utc.tzinfo is None or dt_utc.utcoffset() is None:
        raise ValueError("local_date needs a timezone-aware datetime (store timestamps in UTC)")
    return dt_utc.astimezone(ZoneInfo(tz)).date()


def periods_between(start: date, end: date, grain: str = "month") -> list[Period]:
    """The whole months, quarters or years that overlap ``start``..``end``, oldest first (trend charts)."""
    if start > end:
        raise PeriodError(f"start {start} is after end {end}")
    if grain == "month":
        first = month_period(start.year, start.month)
    elif grain == "quarter":
        first = quarter_period(start.year, (start.month - 1) // 3 + 1)
    elif grain == "year":
        first = year_period(start.year)
    else:
        raise PeriodError(f"grain must be month, quarter or year, got {grain!r}")
    periods = [first]
    while periods[-1].end < end:
        periods.append(_following(periods[-1]))
    return periods


def _following(period: Period) -> Period:
    nxt = period.end + timedelta(days=1)
    if period.kind == "month":
        return month_period(nxt.year, nxt.month)
    if period.kind == "quarter":
        return quarter_period(nxt.year, (nxt.month - 1) // 3 + 1)
    return year_period(nxt.year)
