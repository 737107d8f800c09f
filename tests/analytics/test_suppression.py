"""Small-cell suppression: hidden cells stay hidden, even from someone who subtracts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.suppression import (
    SUPPRESSION_RULE,
    Cell,
    breakdown_withheld,
    suppress,
    suppression_rule,
)

MIN = 5


def cells(*ns, satisfied=None):
    satisfied = satisfied or [n // 2 for n in ns]
    return [Cell("benefit", f"g{i}", n, s) for i, (n, s) in enumerate(zip(ns, satisfied, strict=True))]


def shown(published):
    return [c.display_n for c in published]


def test_a_cell_of_4_is_hidden_and_cannot_be_recovered_from_the_total():
    groups = [
        Cell("benefit", "a-dagpenge", 20, 15),
        Cell("benefit", "kontanthjaelp", 4, 1),
        Cell("benefit", "sygedagpenge", 12, 9),
    ]
    total_n, total_satisfied = 36, 25
    published = suppress(groups)

    assert shown(published) == ["20", "<5", "–"]
    kontant, syge = published[1], published[2]
    assert (kontant.reason, syge.reason) == ("small", "secondary")
    assert kontant.n is kontant.satisfied is kontant.share is None
    assert syge.n is syge.satisfied is syge.share is None
    # All a reader can subtract is the hidden pair together: 16 responses, 10 satisfied.
    visible = [c for c in published if not c.suppressed]
    assert total_n - sum(c.n for c in visible) == 16
    assert total_satisfied - sum(c.satisfied for c in visible) == 10
    assert published[0].share.share == pytest.approx(0.75)


def test_nothing_is_hidden_when_every_group_is_large_enough():
    published = suppress(cells(5, 30, 12))
    assert shown(published) == ["5", "30", "12"]
    assert not any(c.suppressed for c in published)
    assert [c.n for c in published] == [5, 30, 12]


def test_empty_groups_show_0_and_do_not_hide_anything():
    published = suppress(cells(0, 30, 0, 12))
    assert shown(published) == ["0", "30", "0", "12"]
    assert published[0].share is None


def test_two_small_groups_that_together_reach_5_protect_each_other():
    published = suppress(cells(3, 4, 50, 60))
    assert shown(published) == ["<5", "<5", "50", "60"]


def test_small_groups_below_5_together_also_hide_the_smallest_other_group():
    published = suppress(cells(1, 2, 40, 30))
    assert shown(published) == ["<5", "<5", "40", "–"]
    assert published[3].reason == "secondary"


def test_a_hidden_group_pinned_by_the_next_visible_group_hides_that_one_too():
    # Hiding 4 and the first 5 would leave a visible 5: the hidden "–" could only be 5, so the
    # "<5" would be 9 - 5 = 4. Both 5s are hidden instead.
    published = suppress(cells(4, 5, 5, 100))
    assert shown(published) == ["<5", "–", "–", "100"]


def test_breakdown_is_withheld_when_every_group_would_be_hidden():
    published = suppress(cells(3, 9, 0))
    assert breakdown_withheld(published)
    assert shown(published) == ["–", "–", "–"]
    assert all(c.suppressed and c.n is None and c.satisfied is None for c in published)


def test_breakdown_is_not_withheld_normally():
    assert not breakdown_withheld(suppress(cells(4, 1, 30, 40)))


def test_min_size_is_configurable_and_shown_in_the_mark():
    published = suppress(cells(7, 9, 20, 30), min_size=10)
    assert shown(published) == ["<10", "<10", "20", "30"]


def test_extra_counts_are_hidden_with_the_cell():
    groups = [
        Cell("unit", "unge", 3, 2, {"invited": 10}),
        Cell("unit", "voksne", 6, 5, {"invited": 9}),
        Cell("unit", "job", 40, 30, {"invited": 80}),
    ]
    published = suppress(groups)
    assert published[0].extra is None and published[1].extra is None
    assert published[2].extra == {"invited": 80}


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ([Cell("benefit", "a", 5), Cell("unit", "b", 5)], "one segment key"),
        ([Cell("benefit", "a", 5), Cell("benefit", "a", 6)], "unique"),
    ],
)
def test_mixed_or_duplicate_groups_are_refused(groups, message):
    with pytest.raises(ValueError, match=message):
        suppress(groups)


def test_impossible_cells_are_refused():
    with pytest.raises(ValueError, match="satisfied"):
        Cell("benefit", "a", 3, 4)
    with pytest.raises(ValueError, match="n must be"):
        Cell("benefit", "a", -1)
    with pytest.raises(ValueError, match="min_size"):
        suppress(cells(3), min_size=0)


def test_rule_text_is_there_in_both_languages_with_the_threshold():
    assert set(SUPPRESSION_RULE) == {"da", "en"}
    assert "'<5'" in SUPPRESSION_RULE["da"] and "'<5'" in SUPPRESSION_RULE["en"]
    assert "'<10'" in suppression_rule(10)["en"]


# --- The property: whatever the cells, a reader with the total cannot work out a hidden group. ---


def _reachable_sums(ranges):
    reach = {0}
    for low, high in ranges:
        reach = {r + v for r in reach for v in range(low, high + 1)}
    return reach


def _what_a_reader_can_deduce(published, total_n, min_size):
    """For each hidden cell: every n consistent with what is printed.

    The reader knows the total, every visible cell, that "<m" means 1..m-1, and that "–" means at least
    m but (smallest first, ties in order) no more than any visible cell — less than one listed before.
    Brute force over those facts, independent of the implementation's interval arithmetic.
    """
    visible = [(j, c.n) for j, c in enumerate(published) if not c.suppressed and c.n > 0]
    hidden = [i for i, c in enumerate(published) if c.suppressed]
    hidden_total = total_n - sum(n for _, n in visible)
    ranges = {}
    for i in hidden:
        if published[i].display_n == f"<{min_size}":
            ranges[i] = (1, min_size - 1)
        else:
            caps = [n if j > i else n - 1 for j, n in visible]
            ranges[i] = (min_size, min(caps, default=hidden_total))
    possible = {}
    for i in hidden:
        others = _reachable_sums([ranges[j] for j in hidden if j != i])
        possible[i] = {v for v in range(ranges[i][0], ranges[i][1] + 1) if hidden_total - v in others}
    return possible, hidden_total


group_sizes = st.one_of(st.integers(0, 6), st.integers(0, 40), st.sampled_from([0, 1, 4, 5, 6]))


@st.composite
def segments(draw):
    ns = draw(st.lists(group_sizes, min_size=1, max_size=8))
    satisfied = [draw(st.integers(0, n)) for n in ns]
    min_size = draw(st.sampled_from([5, 5, 5, 3, 10]))
    return cells(*ns, satisfied=satisfied), min_size


@settings(max_examples=400, deadline=None)
@given(segments())
def test_no_hidden_group_can_be_recovered(segment):
    groups, min_size = segment
    published = suppress(groups, min_size)
    total_n = sum(c.n for c in groups)
    total_satisfied = sum(c.satisfied for c in groups)

    # Nothing hidden carries a number; everything visible is exact.
    for cell, pub in zip(groups, published, strict=True):
        if pub.suppressed:
            assert pub.n is None and pub.satisfied is None and pub.extra is None
            assert pub.display_n in (f"<{min_size}", "–")
        else:
            assert (pub.n, pub.satisfied, pub.display_n) == (cell.n, cell.satisfied, str(cell.n))
        # Every small non-empty group is hidden.
        if 0 < cell.n < min_size:
            assert pub.suppressed

    if breakdown_withheld(published):
        assert all(p.suppressed and p.display_n == "–" for p in published)
        return
    hidden = [i for i, p in enumerate(published) if p.suppressed]
    if not hidden:
        return

    # Subtracting the visible cells from the total gives only a sum over two or more groups of at
    # least min_size responses.
    hidden_n = total_n - sum(p.n for p in published if not p.suppressed)
    assert len(hidden) >= 2 and hidden_n >= min_size

    # Not even the bounds the marks give away pin down a hidden group's n.
    possible, hidden_total = _what_a_reader_can_deduce(published, total_n, min_size)
    assert hidden_total == hidden_n
    for i in hidden:
        assert groups[i].n in possible[i]
        assert len(possible[i]) >= 2, f"group {i} is recoverable: n = {possible[i]}"

    # Nor its satisfied count. For a hidden group of n the reader cannot rule out, any s with
    # 0 <= s <= n and 0 <= hidden_satisfied - s <= hidden_n - n fits (the other hidden groups can
    # share the rest). Only "nobody in the hidden groups is satisfied" pins every group (to 0) — a fact
    # about the hidden groups together, at least min_size responses, not about one group.
    hidden_satisfied = total_satisfied - sum(p.satisfied for p in published if not p.suppressed)
    if hidden_satisfied == 0:
        return
    for i in hidden:
        satisfied_values = {s for n in possible[i] for s in range(n + 1) if 0 <= hidden_satisfied - s <= hidden_n - n}
        assert groups[i].satisfied in satisfied_values
        assert len(satisfied_values) >= 2, f"group {i} satisfied count is recoverable: {satisfied_values}"
