"""Small-cell suppression for the cells of one segment key (why: docs/suppression.md).

Approach: primary plus secondary *suppression* (not merging into "øvrige"). Merging changes the rows a
committee sees from report to report and mixes benefit groups whose results mean different things;
hiding keeps every row in place and the hidden remainder is still the total minus the visible rows.

The rule, for cells that together make up the segment's total (pass a cell for responses with an unknown
value too, so the cells add up to the total that is printed):

1. Primary: a cell with 1 ≤ n < min_size shows "<5" and no numbers. A cell with n = 0 is shown as 0: it
   describes nobody, and showing it keeps reports readable when many groups are empty.
2. Secondary: if any cell is primary-suppressed, the smallest remaining cells (ties: input order) are
   hidden too, shown as "–", until all of these hold for the hidden cells:
   a. at least two cells are hidden;
   b. the hidden cells hold at least min_size responses together;
   c. no hidden cell's n follows from the total, the visible cells and what the marks say: "<5" means
      1..4, "–" means at least 5 and (smallest first) no more than the smallest visible cell (less than
      it if that cell comes first: ties are taken in input order).
3. If that hides every cell with responses, the breakdown is withheld: every cell, including empty ones,
   shows "–", and reports should show no rows for the segment at all.

What a reader can still learn is the hidden cells' sums (total minus visible). By (a)–(b) those sums
describe at least min_size responses in at least two groups — accepted practice; in particular, if no one
in the hidden groups is satisfied the reader learns that of the group as a whole, not of any one cell.
Callers must also suppress the segment's total itself when it is below min_size.

Limits — what the rule does not cover, so report builders must not rely on it for these:
- one table at a time: a reader who can subtract two published tables (overlapping periods such as
  YTD-October and YTD-November, or the same responses broken down by unit and by unit × benefit) can
  isolate cells this function never saw together;
- a reader who replays this exact algorithm on every candidate (knowing it stopped as soon as (a)–(c)
  held) can sometimes narrow a hidden group further than (c) assumes. (c) is the standard bounds
  attack: total, visible cells, and the ranges the marks and the smallest-first order imply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from analytics.stats import Share, share_of

DEFAULT_MIN_CELL_SIZE = 5
HIDDEN_MARK = "–"


def suppression_rule(min_size: int = DEFAULT_MIN_CELL_SIZE) -> dict[str, str]:
    """The rule in words, Danish and English, as exports print it (with the actual ``min_size``)."""
    m = min_size
    mark = HIDDEN_MARK
    return {
        "da": (
            f"Grupper med færre end {m} svar vises som '<{m}' uden andel; grupper uden svar vises som 0. "
            f"Kan en skjult gruppe regnes ud fra totalen, skjules også de mindste andre grupper "
            f"('{mark}'), indtil mindst to grupper med tilsammen mindst {m} svar er skjult, og ingen "
            f"skjult gruppes antal kan udledes af totalen og de viste tal. Ville det skjule alle grupper, "
            f"vises opdelingen ikke."
        ),
        "en": (
            f"Groups with fewer than {m} responses show '<{m}' and no share; groups without responses "
            f"show 0. If a hidden group could be worked out from the total, the smallest other groups are "
            f"hidden too ('{mark}') until at least two groups with at least {m} responses together are "
            f"hidden and no hidden group's count follows from the total and the numbers shown. If that "
            f"would hide every group, the breakdown is not shown."
        ),
    }


SUPPRESSION_RULE: dict[str, str] = suppression_rule(DEFAULT_MIN_CELL_SIZE)


@dataclass(frozen=True)
class Cell:
    """One group of a segment: e.g. key "benefit", value "kontanthjaelp", 12 responses, 9 satisfied.

    ``extra`` carries further counts of the same responses (e.g. per answer option); they are hidden
    together with ``n`` and ``satisfied``.
    """

    key: str
    value: str
    n: int
    satisfied: int = 0
    extra: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 0:
            raise ValueError(f"{self.key}={self.value}: n must be a whole number ≥ 0, got {self.n!r}")
        if not 0 <= self.satisfied <= self.n:
            raise ValueError(
                f"{self.key}={self.value}: satisfied must be between 0 and n={self.n}, got {self.satisfied}"
            )


@dataclass(frozen=True)
class SuppressedCell:
    """A cell as it may be published. A hidden cell carries no numbers at all, so none can leak."""

    key: str
    value: str
    n: int | None
    satisfied: int | None
    extra: Mapping[str, int] | None
    suppressed: bool
    reason: str | None  # "small" | "secondary" | "withheld" | None
    display_n: str

    @property
    def share(self) -> Share | None:
        """The share with its interval, or None for a hidden or empty cell."""
        if self.n is None or self.satisfied is None or self.n == 0:
            return None
        return share_of(self.satisfied, self.n)


def suppress(cells: Sequence[Cell], min_size: int = DEFAULT_MIN_CELL_SIZE) -> list[SuppressedCell]:
    """Apply the module's rule to the cells of one segment key, keeping their order."""
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 1:
        raise ValueError(f"min_size must be a whole number ≥ 1, got {min_size!r}")
    _check_one_segment(cells)

    reasons: dict[int, str] = {i: "small" for i, c in enumerate(cells) if 0 < c.n < min_size}
    if reasons:
        by_size = sorted((i for i, c in enumerate(cells) if c.n >= min_size), key=lambda i: (cells[i].n, i))
        for i in by_size:
            if _is_safe(cells, reasons, min_size):
                break
            reasons[i] = "secondary"
        if all(i in reasons for i, c in enumerate(cells) if c.n > 0):
            reasons = {i: "withheld" for i in range(len(cells))}

    return [_publish(cell, reasons.get(i), min_size) for i, cell in enumerate(cells)]


def breakdown_withheld(published: Sequence[SuppressedCell]) -> bool:
    """True when :func:`suppress` withheld the whole breakdown: show no rows for this segment."""
    return any(c.reason == "withheld" for c in published)


def _check_one_segment(cells: Sequence[Cell]) -> None:
    keys = {c.key for c in cells}
    if len(keys) > 1:
        raise ValueError(f"suppress() takes the cells of one segment key, got {sorted(keys)}")
    values = [c.value for c in cells]
    if len(set(values)) != len(values):
        raise ValueError(f"segment values must be unique, got {values}")


def _is_safe(cells: Sequence[Cell], reasons: Mapping[int, str], min_size: int) -> bool:
    """Conditions (a)–(c) of the module docstring for the hidden cells ``reasons``."""
    hidden = [cells[i].n for i in reasons]
    total_hidden = sum(hidden)
    if len(hidden) < 2 or total_hidden < min_size:
        return False
    visible = [(j, c.n) for j, c in enumerate(cells) if j not in reasons and c.n > 0]
    # The range each hidden cell can take given only what is published. Smallest-first with ties in
    # input order tells a reader that a "–" cell is no larger than any visible cell, and smaller than a
    # visible cell listed before it.
    bounds = []
    for i, reason in reasons.items():
        if reason == "small":
            bounds.append((1, min_size - 1))
        else:
            caps = [n if j > i else n - 1 for j, n in visible]
            bounds.append((min_size, min(caps, default=total_hidden)))
    low_sum = sum(lo for lo, _ in bounds)
    high_sum = sum(hi for _, hi in bounds)
    for lo, hi in bounds:
        can_be_low = max(lo, total_hidden - (high_sum - hi))
        can_be_high = min(hi, total_hidden - (low_sum - lo))
        if can_be_low >= can_be_high:
            return False
    return True


def _publish(cell: Cell, reason: str | None, min_size: int) -> SuppressedCell:
    if reason is None:
        return SuppressedCell(
            key=cell.key,
            value=cell.value,
            n=cell.n,
            satisfied=cell.satisfied,
            extra=dict(cell.extra),
            suppressed=False,
            reason=None,
            display_n=str(cell.n),
        )
    return SuppressedCell(
        key=cell.key,
        value=cell.value,
        n=None,
        satisfied=None,
        extra=None,
        suppressed=True,
        reason=reason,
        display_n=f"<{min_size}" if reason == "small" else HIDDEN_MARK,
    )
