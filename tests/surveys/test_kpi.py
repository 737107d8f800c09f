"""The KPI rule: share answering 4 or 5 of those answering 1–5; "ved ikke" is left out."""

import json

import pytest

from surveys import KPI_DEFINITION, SATISFIED_VALUES, counts_for_kpi, get_survey, is_satisfied, tally


@pytest.mark.parametrize("value, satisfied, counted", [
    (1, False, True), (2, False, True), (3, False, True), (4, True, True), (5, True, True),
    (None, False, False), (0, False, False), (6, False, False), (10, False, False), (True, False, False),
])  # fmt: skip
def test_rule(value, satisfied, counted):
    assert is_satisfied(value) is satisfied
    assert counts_for_kpi(value) is counted


def test_dont_know_is_left_out_of_the_denominator():
    # 25 of 30 satisfied, plus five "ved ikke": still 25/30, the example in docs/measurement.md
    values = [5] * 15 + [4] * 10 + [3, 2, 1, 1, 2] + [None] * 5
    assert tally(values) == (25, 30)


def test_tally_of_nothing():
    assert tally([]) == (0, 0)


def test_satisfied_values_are_the_satisfied_labels_of_the_headline():
    for key in ("citizen", "employer"):
        headline = get_survey(key).headline
        satisfied = [o for o in headline.options if is_satisfied(o.value)]
        assert [o.value for o in satisfied] == list(SATISFIED_VALUES)
        assert all("tilfreds" in o.label["da"].lower() and "utilfreds" not in o.label["da"] for o in satisfied)
        excluded = [o.id for o in headline.options if not counts_for_kpi(o.value)]
        assert excluded == ["dk"]


def test_definition_is_exportable_and_says_what_it_counts():
    exported = json.loads(json.dumps(KPI_DEFINITION))
    assert exported["version"] == "csat-top2-v1"
    assert exported["goal"] == 0.80
    assert exported["satisfied_values"] == [4, 5]
    assert exported["scale"]["values"] == [1, 2, 3, 4, 5]
    assert "4 eller 5" in exported["definition"]["da"] and "ved ikke" in exported["definition"]["da"]
    assert "4 or 5" in exported["definition"]["en"] and "don't know" in exported["definition"]["en"]
