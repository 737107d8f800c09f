"""Proportions, their intervals and the goal status: the pure statistics behind every report.

No I/O and no pandas: callers hand in counts and get numbers back.

Empty groups (n = 0) raise ``ValueError`` everywhere in this module. A share of nobody is undefined, and
a group that small is hidden by :mod:`analytics.suppression` before anyone asks for its share, so reaching
these functions with n = 0 is a bug in the caller that should be loud.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import NamedTuple

DEFAULT_CONFIDENCE = 0.95
DEFAULT_TARGET = 0.80

# Comparisons against the target tolerate float noise only, far below any displayed digit.
_EPS = 1e-12


def z_value(confidence: float = DEFAULT_CONFIDENCE) -> float:
    """The two-sided standard normal quantile for ``confidence`` (0.95 → 1.959964…)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), got {confidence!r}")
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def _check_counts(successes: int, n: int) -> None:
    if isinstance(successes, bool) or isinstance(n, bool):
        raise TypeError("counts must be integers, not booleans")
    if n <= 0:
        raise ValueError(f"n must be at least 1 (got {n}); suppress empty groups before computing a share")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n={n}, got {successes}")


def wilson_interval(successes: int, n: int, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """The Wilson score interval for the proportion ``successes / n``.

    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    JASA 22, 209–212. Recommended over the Wald interval for small n by Brown, Cai & DasGupta (2001),
    Interval estimation for a binomial proportion, Statistical Science 16, 101–133.

    Without continuity correction. 25 of 30 gives (0.664, 0.927); 0 of n starts at exactly 0.0 and
    n of n ends at exactly 1.0. Raises ``ValueError`` for n < 1 or successes outside 0..n.
    """
    _check_counts(successes, n)
    z = z_value(confidence)
    z2 = z * z
    p = successes / n
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom
    # At k = 0 and k = n the bound is 0 or 1 algebraically; pin it so floats do not say 1e-17.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Share:
    """A satisfaction share with its Wilson interval."""

    satisfied: int
    n: int
    share: float
    ci_low: float
    ci_high: float

    def goal_status(self, target: float = DEFAULT_TARGET) -> GoalStatus:
        """Whether this share proves, misses or does not yet show the goal ``target``."""
        return goal_status(self.ci_low, self.ci_high, target)


def share_of(satisfied: int, n: int, confidence: float = DEFAULT_CONFIDENCE) -> Share:
    """The share ``satisfied / n`` and its Wilson interval. Raises ``ValueError`` for n < 1."""
    low, high = wilson_interval(satisfied, n, confidence)
    return Share(satisfied=satisfied, n=n, share=satisfied / n, ci_low=low, ci_high=high)


class GoalStatus(enum.StrEnum):
    """Whether the data prove a goal such as "80% satisfied" (docs/measurement.md)."""

    MET = "met"
    MISSED = "missed"
    NOT_YET_SHOWN = "not_yet_shown"

    def label(self, language: str = "da") -> str:
        """The status in words for a report; Danish unless ``language`` is "en"."""
        labels = _GOAL_LABELS.get(language, _GOAL_LABELS["da"])
        return labels[self]


_GOAL_LABELS: dict[str, dict[GoalStatus, str]] = {
    "da": {
        GoalStatus.MET: "opfyldt",
        GoalStatus.MISSED: "ikke opfyldt",
        GoalStatus.NOT_YET_SHOWN: "endnu ikke påvist",
    },
    "en": {
        GoalStatus.MET: "met",
        GoalStatus.MISSED: "missed",
        GoalStatus.NOT_YET_SHOWN: "not yet shown",
    },
}


def goal_status(ci_low: float, ci_high: float, target: float = DEFAULT_TARGET) -> GoalStatus:
    """Compare an interval with the goal.

    ``met`` when the lower bound is at or above ``target`` (0.80 itself counts as met), ``missed`` when
    the upper bound is below it, ``not_yet_shown`` otherwise: the interval still contains the target.
    """
    if ci_low > ci_high:
        raise ValueError(f"ci_low {ci_low} is above ci_high {ci_high}")
    if ci_low >= target - _EPS:
        return GoalStatus.MET
    if ci_high < target - _EPS:
        return GoalStatus.MISSED
    return GoalStatus.NOT_YET_SHOWN


NEWCOMBE_METHOD = "Newcombe hybrid score (method 10)"


@dataclass(frozen=True)
class Change:
    """The change p1 − p2 between two shares (current minus previous) and its interval."""

    diff: float
    ci_low: float
    ci_high: float
    method: str = NEWCOMBE_METHOD

    @property
    def significant(self) -> bool:
        """True when the interval excludes 0: the data show a real rise or fall."""
        return self.ci_low > 0.0 or self.ci_high < 0.0


def difference_interval(k1: int, n1: int, k2: int, n2: int, confidence: float = DEFAULT_CONFIDENCE) -> Change:
    """The interval for p1 − p2 = k1/n1 − k2/n2 by Newcombe's hybrid score method.

    Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions:
    comparison of eleven methods. Statistics in Medicine 17, 873–890 — method 10, built from the two
    Wilson (1927) intervals (l1, u1) and (l2, u2):

        low  = (p1 − p2) − sqrt((p1 − l1)² + (u2 − p2)²)
        high = (p1 − p2) + sqrt((u1 − p1)² + (p2 − l2)²)

    Pass the current period as 1 and the previous period as 2, so a positive diff is a rise.
    Example from the paper's Table II: 56/70 − 48/80 = 0.2000, interval 0.0524 to 0.3339.
    """
    p1 = _share(k1, n1)
    p2 = _share(k2, n2)
    l1, u1 = wilson_interval(k1, n1, confidence)
    l2, u2 = wilson_interval(k2, n2, confidence)
    diff = p1 - p2
    low = diff - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Change(diff=diff, ci_low=max(-1.0, low), ci_high=min(1.0, high))


def _share(k: int, n: int) -> float:
    _check_counts(k, n)
    return k / n


@dataclass(frozen=True)
class NpsResult:
    """Net Promoter Score from 0–10 answers: % promoters (9–10) minus % detractors (0–6)."""

    promoters: int
    passives: int
    detractors: int
    n: int
    score: float


def nps(counts: Mapping[int, int]) -> NpsResult:
    """The NPS of counts per answer, e.g. ``{10: 4, 9: 3, 7: 2, 3: 1}`` → score 60.0 (−100..100).

    Keys must be the scale values 0..10 and counts non-negative. Raises ``ValueError`` when there are
    no answers at all.
    """
    promoters = passives = detractors = 0
    for value, count in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise ValueError(f"NPS answers are whole numbers 0..10, got {value!r}")
        _check_count(count, value)
        if value >= 9:
            promoters += count
        elif value >= 7:
            passives += count
        else:
            detractors += count
    n = promoters + passives + detractors
    if n == 0:
        raise ValueError("no answers: NPS is undefined for n = 0")
    score = 100.0 * (promoters - detractors) / n
    return NpsResult(promoters=promoters, passives=passives, detractors=detractors, n=n, score=score)


def published_nps(score: float) -> int:
    """The NPS as every output prints it: a whole number on −100..100, halves rounded away from zero.

    Rounded once, in the report, so the staff page, the workbook, the csv, the html and the JSON can never
    disagree (9.09 is 9 everywhere, not 9.1 in one file and 9 in another).
    """
    whole = math.floor(abs(score) + 0.5)
    return int(whole if score >= 0 else -whole)


def _check_count(count: int, value: object) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"count for answer {value!r} must be a whole number ≥ 0, got {count!r}")


class Distribution(NamedTuple):
    """Mean and answer counts of one numeric item; unpacks as ``mean, counts``."""

    mean: float
    counts: dict[int, int]


def mean_and_distribution(counts: Mapping[int, int], scale: range | None = None) -> Distribution:
    """The mean answer and the counts per answer value, sorted by value.

    ``counts`` holds numeric answers only: the caller drops "ved ikke"/"not relevant" first. Give
    ``scale`` (e.g. ``range(1, 6)``) to list every scale value, with 0 for values nobody chose, and to
    reject values outside it. Raises ``ValueError`` when there are no answers.
    """
    for value, count in counts.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"answer values must be whole numbers, got {value!r}")
        if scale is not None and value not in scale:
            raise ValueError(f"answer {value} is outside the scale {scale.start}..{scale.stop - 1}")
        _check_count(count, value)
    n = sum(counts.values())
    if n == 0:
        raise ValueError("no answers: the mean is undefined for n = 0")
    mean = sum(value * count for value, count in counts.items()) / n
    values = sorted(set(counts) | set(scale or ()))
    return Distribution(mean=mean, counts={value: counts.get(value, 0) for value in values})
