"""The KPI rule's values and definition (the database counts it: tests/analytics/test_aggregates.py)."""

import json

from surveys import KPI_DEFINITION, SATISFIED_VALUES, SCORED_VALUES, get_survey


def test_satisfied_values_are_the_satisfied_labels_of_the_headline():
    for key in ("citizen", "employer"):
        headline = get_survey(key).headline
        satisfied = [o for o in headline.options if o.value in SATISFIED_VALUES]
        assert [o.value for o in satisfied] == list(SATISFIED_VALUES)
        assert all("tilfreds" in o.label["da"].lower() and "utilfreds" not in o.label["da"] for o in satisfied)
        excluded = [o.id for o in headline.options if o.value not in SCORED_VALUES]
        assert excluded == ["dk"]


def test_definition_is_exportable_and_says_what_it_counts():
    exported = json.loads(json.dumps(KPI_DEFINITION))
    assert exported["version"] == "csat-top2-v1"
    assert exported["goal"] == 0.80
    assert exported["satisfied_values"] == [4, 5]
    assert exported["scale"]["values"] == [1, 2, 3, 4, 5]
    assert "4 eller 5" in exported["definition"]["da"] and "ved ikke" in exported["definition"]["da"]
    assert "4 or 5" in exported["definition"]["en"] and "don't know" in exported["definition"]["en"]
