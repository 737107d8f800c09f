"""Reporting periods: every accepted form, previous periods, Copenhagen midnight in UTC."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.periods import Period, PeriodError, local_date, parse_period, periods_between

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026"),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30), "2026-H1"),
        ("2026-h2", date(2026, 7, 1), date(2026, 12, 31), "2026-H2"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "2026-Q1"),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30), "2026-Q2"),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "2026-Q3"),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "2026-Q4"),
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31), "2026-03"),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "2028-02"),
        ("2026-YTD", date(2026, 1, 1), TODAY, "2026-YTD"),
        ("2025-ytd", date(2025, 1, 1), date(2025, 11, 26), "2025-YTD"),
        ("2026-01-01:2026-06-30", date(2026, 1, 1), date(2026, 6, 30), "2026-01-01:2026-06-30"),
        (" 2026-02-10 : 2026-02-10 ", date(2026, 2, 10), date(2026, 2, 10), "2026-02-10:2026-02-10"),
    ],
)
def test_every_form_parses(text, start, end, label):
    period = parse_period(text, TODAY)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "26",
        "2026-Q5",
        "2026-H3",
        "2026-13",
        "2026-00",
        "2026-02-30:2026-03-01",
        "2026-06-30:2026-01-01",
        "last year",
        "2027-YTD",
        "2026-1",
        "２０２６",
        "0999",
    ],
)
def test_bad_periods_get_a_clear_error(text):
    with pytest.raises(PeriodError) as excinfo:
        parse_period(text, TODAY)
    message = str(excinfo.value)
    assert text.strip() in message or "future" in message


def test_error_lists_the_accepted_forms():
    with pytest.raises(PeriodError, match=r"2026-Q1 … 2026-Q4.*2026-YTD.*2026-01-01:2026-06-30"):
        parse_period("Q1 2026", TODAY)


def test_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)


def test_ytd_of_a_past_leap_day_is_clamped_in_a_common_year():
    ytd = parse_period("2028-YTD", date(2028, 2, 29))
    assert ytd.end == date(2028, 2, 29)
    assert ytd.previous().end == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("text", "previous"),
    [
        ("2026", ("2025", date(2025, 1, 1), date(2025, 12, 31))),
        ("2026-H1", ("2025-H2", date(2025, 7, 1), date(2025, 12, 31))),
        ("2026-H2", ("2026-H1", date(2026, 1, 1), date(2026, 6, 30))),
        ("2026-Q1", ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31))),
        ("2026-Q3", ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30))),
        ("2026-03", ("2026-02", date(2026, 2, 1), date(2026, 2, 28))),
        ("2026-01", ("2025-12", date(2025, 12, 1), date(2025, 12, 31))),
        ("2026-YTD", ("2025-YTD", date(2025, 1, 1), date(2025, 11, 26))),
        ("2026-03-01:2026-03-10", ("2026-02-19:2026-02-28", date(2026, 2, 19), date(2026, 2, 28))),
    ],
)
def test_previous_period(text, previous):
    prev = parse_period(text, TODAY).previous()
    assert (prev.label, prev.start, prev.end) == previous


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(0, 800))
def test_previous_of_a_range_has_the_same_length_and_touches_it(start, length):
    period = Period("x", start, start + timedelta(days=length))
    prev = period.previous()
    assert prev.days == period.days
    assert prev.end + timedelta(days=1) == period.start


def test_days_and_contains():
    q1 = parse_period("2026-Q1", TODAY)
    assert q1.days == 90
    assert q1.contains(date(2026, 3, 31)) and q1.contains(date(2026, 1, 1))
    assert not q1.contains(date(2026, 4, 1))
    assert parse_period("2028", TODAY).days == 366


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(PeriodError):
        Period("x", date(2026, 2, 1), date(2026, 1, 31))


def test_utc_bounds_are_copenhagen_midnight():
    winter_start, summer_end = parse_period("2026-H1", TODAY).utc_bounds()
    assert winter_start == datetime(2025, 12, 31, 23, 0, tzinfo=UTC)  # CET, UTC+1
    assert summer_end == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)  # CEST, UTC+2
    assert winter_start.utcoffset() == timedelta(0)


@pytest.mark.parametrize(("day", "hours"), [("2026-03-29", 23), ("2026-10-25", 25), ("2026-06-15", 24)])
def test_dst_change_days_have_23_or_25_hours(day, hours):
    start, end = parse_period(f"{day}:{day}", TODAY).utc_bounds()
    assert end - start == timedelta(hours=hours)


def test_answer_just_before_utc_midnight_on_new_years_eve_belongs_to_the_new_year():
    answered = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert local_date(answered) == date(2027, 1, 1)
    assert parse_period("2027", TODAY).contains(local_date(answered))
    start, _ = parse_period("2027", TODAY).utc_bounds()
    _, end_2026 = parse_period("2026", TODAY).utc_bounds()
    assert start <= answered and not answered < start
    assert answered >= end_2026


def test_summer_answer_at_22_30_utc_on_30_june_is_already_july():
    answered = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)
    assert local_date(answered) == date(2026, 7, 1)
    for text in ("2026-H2", "2026-Q3", "2026-07"):
        start, end = parse_period(text, TODAY).utc_bounds()
        assert start <= answered < end
    start, end = parse_period("2026-H1", TODAY).utc_bounds()
    assert not start <= answered < end


def test_local_date_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2026, 1, 1, 12, 0))


@given(st.datetimes(datetime(2000, 1, 1), datetime(2090, 1, 1), timezones=st.just(UTC)))
def test_utc_bounds_and_local_date_agree(moment):
    day = local_date(moment)
    start, end = Period("d", day, day).utc_bounds()
    assert start <= moment < end


def test_periods_between_months_cover_whole_months():
    months = periods_between(date(2025, 11, 15), date(2026, 2, 3), "month")
    assert [p.label for p in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months[-1].end == date(2026, 2, 28)


def test_periods_between_quarters_and_years():
    quarters = periods_between(date(2025, 12, 31), date(2026, 4, 1), "quarter")
    assert [p.label for p in quarters] == ["2025-Q4", "2026-Q1", "2026-Q2"]
    years = periods_between(date(2024, 6, 1), date(2026, 1, 1), "year")
    assert [p.label for p in years] == ["2024", "2025", "2026"]


def test_periods_between_refuses_bad_input():
    with pytest.raises(PeriodError, match="grain"):
        periods_between(date(2026, 1, 1), date(2026, 2, 1), "week")
    with pytest.raises(PeriodError, match="after"):
        periods_between(date(2026, 2, 1), date(2026, 1, 1))
