"""The committee paper as PDF: the html page (``exports/html.py``) printed on A4 by WeasyPrint.

The page's print styles do the layout (page numbers and the footer in the page margins, no heading left at
a page foot, no table row split); the charts are inline SVG, so they stay vector graphics in the PDF. The
file is tagged for PDF/UA-1 (structure, language, title), so screen readers can read it.

WeasyPrint needs Pango and HarfBuzz from the system (Debian: ``libpango-1.0-0 libpangoft2-1.0-0
libharfbuzz-subset0``), and fonts for every script the language names use: ``fonts-dejavu-core`` (Latin,
Cyrillic, Arabic) and ``fonts-sil-abyssinica`` (Tigrinya); ``.ci/run`` installs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from analytics.exports import Imprint
from analytics.exports.html import data_rows, render_html
from analytics.report import Report

PDF_VARIANT = "pdf/ua-1"


def render_pdf(reports: Sequence[Report], imprint: Imprint | None = None) -> bytes:
    from weasyprint import HTML

    html = HTML(string=render_html(reports, imprint))
    return html.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, uncompressed_pdf=False)


def write_pdf(reports: Sequence[Report], path: Path, imprint: Imprint | None = None) -> int:
    path.write_bytes(render_pdf(reports, imprint))
    return data_rows(reports)
