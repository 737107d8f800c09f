"""A per-address request budget for the respondent pages: a fixed window, in memory, bounded in size.

Generous on purpose: a job centre's guest network puts many people behind one address, and a survey
takes about twenty requests. It stops a script hammering the pages, not a waiting room.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimit:
    def __init__(
        self,
        limit: int = 600,
        window: float = 600.0,
        max_addresses: int = 20_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_addresses = max_addresses
        self._clock = clock
        self._counts: dict[str, tuple[float, int]] = {}

    def allow(self, address: str) -> bool:
        """Count one request from ``address``; False once it has used up the window's budget."""
        now = self._clock()
        started, count = self._counts.get(address, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        if address not in self._counts and len(self._counts) >= self.max_addresses:
            self._forget_old(now)
        self._counts[address] = (started, count + 1)
        return count < self.limit

    def _forget_old(self, now: float) -> None:
        for address in [a for a, (started, _) in self._counts.items() if now - started >= self.window]:
            del self._counts[address]
        while len(self._counts) >= self.max_addresses:
            self._counts.pop(next(iter(self._counts)))
