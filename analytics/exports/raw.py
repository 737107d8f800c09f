"""The raw export: one row per response for staff analysis, streamed to csv or xlsx.

Columns: response id, survey version, status, completion date (local), one column per segment key,
one per question (the answer value, or "dk"/"na"/"skip"), the free text (scrubbed before storage).
Never a respondent id, a pseudonym or a token: the query does not even select them.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from analytics.exports.cells import neutral_row
from analytics.layout import SurveyLayout
from analytics.periods import local_date
from db.private_files import make_private
from db.repo.raw_responses import RawResponse


def header(layout: SurveyLayout) -> list[str]:
    return ["svar_id", "version", "status", "gennemfoert_dato", *layout.segments, *(i.id for i in layout.items)]


def _row(layout: SurveyLayout, response: RawResponse, tz: str) -> list[Any]:
    completed = local_date(response.completed_at, tz).isoformat() if response.completed_at else None
    row: list[Any] = [response.id, response.version, response.status, completed]
    row += [response.segments.get(key) for key in layout.segments]
    for item in layout.items:
        option, value, text = response.answers.get(item.id, (None, None, None))
        if item.kind == "text":
            row.append(text or None)
        else:
            row.append(value if value is not None else option)
    return row


async def write_raw(layout: SurveyLayout, responses: AsyncIterator[RawResponse], fmt: str, path: Path, tz: str) -> int:
    """Write the streamed responses (owner-only); returns how many were written. Memory stays flat."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"the raw export is csv or xlsx, not {fmt!r}")
    make_private(path)
    if fmt == "csv":
        count = 0
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(header(layout))
            async for response in responses:
                writer.writerow(["" if v is None else v for v in neutral_row(_row(layout, response, tz))])
                count += 1
        return count
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Svar")
        sheet.append(header(layout))
        count = 0
        async for response in responses:
            sheet.append(neutral_row(_row(layout, response, tz)))
            count += 1
        book.save(path)
        return count
    raise ValueError(f"the raw export is csv or xlsx, not {fmt!r}")
