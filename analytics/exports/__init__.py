"""Report files for staff and the committee: xlsx, csv (Danish Excel), one self-contained html page and the
PDF committee paper made from that page.

Every exporter renders a :class:`analytics.report.Report`, in which small cells are already hidden;
none of them reads the database, so none can leak a pseudonym, a token or a hidden count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from analytics.report import Report
from db.private_files import make_private

FORMATS = ("xlsx", "csv", "html", "pdf")
DEFAULT_ORGANISATION = "Jobcentret"


@dataclass(frozen=True)
class Imprint:
    """Who made a file and when: the organisation and the local time printed in headers and footers."""

    organisation: str = DEFAULT_ORGANISATION
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))  # aware
    tz: str = "Europe/Copenhagen"

    @property
    def stamp(self) -> str:
        """The local time of making, e.g. "01-03-2027 06:00"."""
        return self.generated.astimezone(ZoneInfo(self.tz)).strftime("%d-%m-%Y %H:%M")


def write_report(reports: Sequence[Report], fmt: str, path: Path, *, imprint: Imprint | None = None) -> int:
    """Write ``reports`` (the first is the main one) as ``fmt`` to ``path`` (owner-only); return the rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    imprint = imprint or Imprint()
    make_private(path)
    if fmt == "xlsx":
        from analytics.exports.xlsx import write_xlsx

        return write_xlsx(reports, path, imprint)
    if fmt == "csv":
        from analytics.exports.csv import write_csv

        return write_csv(reports, path)
    if fmt == "html":
        from analytics.exports.html import write_html

        return write_html(reports, path, imprint)
    if fmt == "pdf":
        from analytics.exports.pdf import write_pdf

        return write_pdf(reports, path, imprint)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
