"""Reports kept between page loads, for as long as the data they were counted from stand.

Counting a report at national scale takes seconds; the staff pages ask for the same few reports again and
again. Each cached report remembers the data version it was counted at (``db/repo/data_version.py``: two
counters the database's own triggers bump). It is used again only while

- ``removed`` is unchanged: nothing was deleted, withdrawn, purged or revised since, so nothing that no
  longer exists feeds a number on the page; and
- ``added`` is unchanged, or the report is younger than ``fresh_for`` seconds: a new answer shows within
  that time (half a minute by default), while a busy bot does not make every page load count anew.

The version is read before the counting starts, so a change made during the counting makes the next load
count again. Each process keeps its own reports; the version lives in the database, so all agree.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from db.database import Database
from db.repo import data_version

FRESH_FOR = 30.0  # seconds a report may leave out answers added since it was counted
MAX_REPORTS = 256


@dataclass(frozen=True)
class _Kept:
    report: Any
    version: data_version.Version
    counted_at: float


class ReportCache:
    def __init__(
        self, *, fresh_for: float = FRESH_FOR, size: int = MAX_REPORTS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.fresh_for = fresh_for
        self.size = size
        self.clock = clock
        self._kept: OrderedDict[Hashable, _Kept] = OrderedDict()
        self.counted = 0  # how many reports were counted (not taken from the cache): for tests and benchmarks

    async def report(self, database: Database, key: Hashable, count: Callable[[], Awaitable[Any]]) -> Any:
        """The report for ``key``: the kept one while it is current, else ``await count()`` (then kept)."""
        async with database.sessions() as session:
            version = await data_version.current(session)
        kept = self._kept.get(key)
        if version is not None and kept is not None and self._current(kept, version):
            self._kept.move_to_end(key)
            return kept.report
        report = await count()
        self.counted += 1
        if version is not None:
            self._kept[key] = _Kept(report, version, self.clock())
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return report

    def _current(self, kept: _Kept, now: data_version.Version) -> bool:
        if kept.version.removed != now.removed:
            return False
        return kept.version.added == now.added or self.clock() - kept.counted_at < self.fresh_for
