"""The method texts every export prints beside its numbers (docs/measurement.md: the definition is versioned).

Bump ``METHOD_VERSION`` when any text here, or the computation it describes, changes.
"""

from __future__ import annotations

METHOD_VERSION = "1"

INTERVAL_METHOD: dict[str, dict[str, str]] = {
    "share": {
        "da": "95 % Wilson-scoreinterval (Wilson 1927; Brown, Cai & DasGupta 2001)",
        "en": "95% Wilson score interval (Wilson 1927; Brown, Cai & DasGupta 2001)",
    },
    "change": {
        "da": ("Ændring: Newcombes hybride scoreinterval for forskellen mellem to andele (metode 10, Newcombe 1998)"),
        "en": (
            "Change: Newcombe hybrid score interval for the difference of two proportions (method 10, Newcombe 1998)"
        ),
    },
    "goal": {
        "da": (
            "Målet er opfyldt, når intervallets nedre grænse er mindst målet; ikke opfyldt, når den øvre "
            "grænse er under målet; ellers endnu ikke påvist."
        ),
        "en": (
            "The goal is met when the interval's lower bound is at least the target; missed when the "
            "upper bound is below it; otherwise not yet shown."
        ),
    },
}


def interval_method(language: str = "da") -> dict[str, str]:
    """The method texts in one language (Danish unless ``language`` is "en"), keyed share/change/goal."""
    lang = language if language in ("da", "en") else "da"
    return {topic: texts[lang] for topic, texts in INTERVAL_METHOD.items()}
