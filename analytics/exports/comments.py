"""The comments of a selection as csv (Danish Excel) or xlsx: date, score, language, channel, themes, text.

Every text cell goes through :func:`analytics.exports.cells.neutralise`: a comment is typed by a respondent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.exports.cells import neutralise

COLUMNS = {
    "da": ["Dato", "Samlet vurdering", "Sprog", "Kanal", "Temaer", "Kommentar"],
    "en": ["Date", "Overall rating", "Language", "Channel", "Themes", "Comment"],
}


@dataclass(frozen=True)
class CommentLine:
    """One comment as a file shows it (the date already in local time, the themes as names)."""

    date: str
    score: str
    language: str
    channel: str
    themes: str
    text: str


def write_comments(lines: Sequence[CommentLine], fmt: str, path: Path, lang: str = "da") -> int:
    """Write the comments to ``path`` as ``fmt`` ("csv" or "xlsx"); returns the rows written."""
    records = [
        [neutralise(v) for v in (line.date, line.score, line.language, line.channel, line.themes, line.text)]
        for line in lines
    ]
    frame = pd.DataFrame.from_records(records, columns=COLUMNS[lang])
    if fmt == "csv":
        from analytics.exports.csv import CSV_OPTIONS

        frame.to_csv(path, **CSV_OPTIONS)
    else:
        frame.to_excel(path, index=False, sheet_name="Kommentarer" if lang == "da" else "Comments")
    return len(frame)
