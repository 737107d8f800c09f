"""Shares, intervals, goal status, change, NPS and item means against known values."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.stats import (
    GoalStatus,
    difference_interval,
    goal_status,
    mean_and_distribution,
    nps,
    share_of,
    wilson_interval,
    z_value,
)


def test_z_for_95_percent_is_the_familiar_1_96():
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_value(0.90) == pytest.approx(1.644854, abs=1e-6)


@pytest.mark.parametrize("confidence", [0.0, 1.0, -0.5, 95])
def test_confidence_outside_0_1_is_refused(confidence):
    with pytest.raises(ValueError, match="confidence"):
        wilson_interval(5, 10, confidence)


# The examples in docs/measurement.md.
@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [(25, 30, 0.664, 0.927), (80, 100, 0.711, 0.867)],
)
def test_wilson_matches_the_design_examples(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert (round(lo, 3), round(hi, 3)) == (low, high)


def test_share_of_25_of_30():
    share = share_of(25, 30)
    assert round(share.share, 3) == 0.833
    assert (round(share.ci_low, 3), round(share.ci_high, 3)) == (0.664, 0.927)
    assert (share.satisfied, share.n) == (25, 30)


# Newcombe (1998a, Stat Med 17:857), Table I, method 3 (Wilson score without continuity correction).
@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_matches_newcombe_table_i(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_no_one_satisfied_gives_lower_bound_exactly_zero():
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0
    assert hi == pytest.approx(0.2775, abs=1e-4)


def test_everyone_satisfied_gives_upper_bound_exactly_one():
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0
    assert lo == pytest.approx(0.7225, abs=1e-4)


def test_wider_confidence_gives_wider_interval():
    lo95, hi95 = wilson_interval(40, 50, 0.95)
    lo99, hi99 = wilson_interval(40, 50, 0.99)
    assert lo99 < lo95 and hi99 > hi95


@pytest.mark.parametrize(("k", "n"), [(0, 0), (1, 0), (-1, 5), (6, 5)])
def test_impossible_counts_are_refused(k, n):
    with pytest.raises(ValueError):
        wilson_interval(k, n)


def test_empty_group_message_says_to_suppress_first():
    with pytest.raises(ValueError, match="suppress"):
        share_of(0, 0)


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_share_and_stays_in_0_1(kn):
    k, n = kn
    lo, hi = wilson_interval(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0
    assert lo < hi


# Goal status: the interval against 0.80.
@pytest.mark.parametrize(
    ("low", "high", "status"),
    [
        (0.80, 0.90, GoalStatus.MET),  # lower bound exactly at the target counts as met
        (0.81, 0.95, GoalStatus.MET),
        (0.7999, 0.90, GoalStatus.NOT_YET_SHOWN),
        (0.70, 0.80, GoalStatus.NOT_YET_SHOWN),  # upper bound exactly at the target: not missed
        (0.60, 0.7999, GoalStatus.MISSED),
    ],
)
def test_goal_status_boundaries(low, high, status):
    assert goal_status(low, high) == status


def test_goal_status_of_design_examples():
    # 25/30 = 83% but the interval reaches down to 66%: the data do not yet show 80%.
    assert share_of(25, 30).goal_status() is GoalStatus.NOT_YET_SHOWN
    assert share_of(190, 200).goal_status() is GoalStatus.MET
    assert share_of(50, 100).goal_status() is GoalStatus.MISSED


def test_goal_status_other_target():
    assert goal_status(0.72, 0.85, target=0.70) is GoalStatus.MET


def test_goal_status_values_and_labels():
    assert GoalStatus.NOT_YET_SHOWN == "not_yet_shown"
    assert [s.label("da") for s in GoalStatus] == ["opfyldt", "ikke opfyldt", "endnu ikke påvist"]
    assert [s.label("en") for s in GoalStatus] == ["met", "missed", "not yet shown"]
    assert GoalStatus.MET.label("uk") == "opfyldt"  # unknown language falls back to Danish


def test_goal_status_refuses_a_reversed_interval():
    with pytest.raises(ValueError):
        goal_status(0.9, 0.8)


# Newcombe (1998b, Stat Med 17:873), Table II, method 10 (score interval, no continuity correction).
@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2", "diff", "low", "high"),
    [
        (56, 70, 48, 80, 0.2000, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.6000, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.5714, 0.0582, 0.8062),
        (5, 56, 0, 29, 0.0893, -0.0381, 0.1926),
        (0, 10, 0, 20, 0.0, -0.1611, 0.2775),
        (0, 10, 0, 10, 0.0, -0.2775, 0.2775),
        (10, 10, 0, 20, 1.0, 0.6791, 1.0000),
        (10, 10, 0, 10, 1.0, 0.6075, 1.0000),
    ],
)
def test_newcombe_method_10_matches_table_ii(k1, n1, k2, n2, diff, low, high):
    change = difference_interval(k1, n1, k2, n2)
    assert change.diff == pytest.approx(diff, abs=1e-4)
    assert change.ci_low == pytest.approx(low, abs=1e-4)
    assert change.ci_high == pytest.approx(high, abs=1e-4)
    assert change.method == "Newcombe hybrid score (method 10)"


def _newcombe_by_hand(k1, n1, k2, n2):
    # Independent restatement: Wilson bounds as the roots of (p - x)^2 = z^2 x (1 - x) / n.
    z = 1.959963984540054

    def roots(k, n):
        p = k / n
        a = 1 + z * z / n
        b = -(2 * p + z * z / n)
        c = p * p
        d = math.sqrt(b * b - 4 * a * c)
        return (-b - d) / (2 * a), (-b + d) / (2 * a)

    (l1, u1), (l2, u2) = roots(k1, n1), roots(k2, n2)
    p1, p2 = k1 / n1, k2 / n2
    return p1 - p2 - math.hypot(p1 - l1, u2 - p2), p1 - p2 + math.hypot(u1 - p1, p2 - l2)


@given(
    st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
)
def test_newcombe_agrees_with_quadratic_form(a, b):
    change = difference_interval(*a, *b)
    low, high = _newcombe_by_hand(*a, *b)
    assert change.ci_low == pytest.approx(max(-1.0, low), abs=1e-9)
    assert change.ci_high == pytest.approx(min(1.0, high), abs=1e-9)
    assert change.ci_low <= change.diff <= change.ci_high


def test_change_significance():
    assert difference_interval(56, 70, 48, 80).significant  # 0.0524..0.3339 excludes 0
    assert not difference_interval(5, 56, 0, 29).significant  # -0.0381..0.1926 includes 0
    fall = difference_interval(48, 80, 56, 70)
    assert fall.diff == pytest.approx(-0.2) and fall.significant


def test_change_refuses_an_empty_period():
    with pytest.raises(ValueError):
        difference_interval(5, 10, 0, 0)


def test_nps_counts_promoters_passives_detractors():
    result = nps({10: 4, 9: 3, 8: 1, 7: 1, 6: 1, 0: 1})
    assert (result.promoters, result.passives, result.detractors, result.n) == (7, 2, 2, 11)
    assert result.score == pytest.approx(100 * 5 / 11)


def test_nps_extremes():
    assert nps({10: 3}).score == 100.0
    assert nps({6: 2, 0: 1}).score == -100.0
    assert nps({7: 5, 8: 5}).score == 0.0


@pytest.mark.parametrize("counts", [{11: 1}, {-1: 1}, {5: -1}, {"9": 1}, {}, {9: 0}])
def test_nps_refuses_bad_or_empty_input(counts):
    with pytest.raises(ValueError):
        nps(counts)


def test_mean_and_distribution():
    mean, counts = mean_and_distribution({5: 2, 4: 1, 1: 1})
    assert mean == pytest.approx((10 + 4 + 1) / 4)
    assert list(counts.items()) == [(1, 1), (4, 1), (5, 2)]


def test_distribution_lists_every_scale_value():
    result = mean_and_distribution({4: 3, 5: 1}, scale=range(1, 6))
    assert result.counts == {1: 0, 2: 0, 3: 0, 4: 3, 5: 1}
    assert result.mean == pytest.approx(4.25)


def test_distribution_refuses_values_off_the_scale_and_empty_items():
    with pytest.raises(ValueError, match="outside the scale"):
        mean_and_distribution({6: 1}, scale=range(1, 6))
    with pytest.raises(ValueError, match="no answers"):
        mean_and_distribution({3: 0})


@pytest.mark.parametrize(("score", "shown"), [(9.09, 9), (12.5, 13), (-12.5, -13), (-0.4, 0), (100.0, 100)])
def test_the_published_nps_is_a_whole_number_halves_away_from_zero(score, shown):
    from analytics.stats import published_nps

    assert published_nps(score) == shown
