"""The analytics package as other parts of tilfreds use it."""

import subprocess
import sys

import analytics
from analytics.definitions import interval_method


def test_importing_analytics_does_not_load_pandas():
    # `tilfreds --help` imports the package; pandas would make it slow.
    code = "import sys, analytics; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_main_names_are_exported():
    for name in analytics.__all__:
        assert hasattr(analytics, name), name


def test_method_texts_name_the_methods_in_both_languages():
    da, en = interval_method("da"), interval_method("en")
    assert "Wilson" in da["share"] and "95% Wilson score interval" in en["share"]
    assert "Newcombe" in da["change"] and "method 10" in en["change"]
    assert set(da) == set(en) == {"share", "change", "goal"}
    assert interval_method("fr") == da
