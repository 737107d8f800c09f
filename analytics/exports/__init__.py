"""Report files for staff and the committee: xlsx, csv (Danish Excel) and one self-contained html page.

Every exporter renders a :class:`analytics.report.Report`, in which small cells are already hidden;
none of them reads the database, so none can leak a pseudonym, a token or a hidden count.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from analytics.report import Report
from db.private_files import make_private

FORMATS = ("xlsx", "csv", "html")


def write_report(reports: Sequence[Report], fmt: str, path: Path) -> int:
    """Write ``reports`` (the first is the main one) as ``fmt`` to ``path`` (owner-only); return the rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    make_private(path)
    if fmt == "xlsx":
        from analytics.exports.xlsx import write_xlsx

        return write_xlsx(reports, path)
    if fmt == "csv":
        from analytics.exports.csv import write_csv

        return write_csv(reports, path)
    if fmt == "html":
        from analytics.exports.html import write_html

        return write_html(reports, path)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
