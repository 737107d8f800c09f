"""Invitation links just created, kept in memory for a short while so they can be downloaded and printed.

The database stores only keyed hashes of tokens, so a link exists in clear only here: for one hour, for the
login session that created it, and never on disk. After a restart or an hour they are gone for good.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

TTL_SECONDS = 3600
MAX_BATCHES = 100


@dataclass(frozen=True)
class IssuedLink:
    link: str
    expires_at: datetime | None
    max_uses: int | None


@dataclass(frozen=True)
class IssuedBatch:
    batch_id: int
    owner: str  # keyed hash of the creating session
    survey_key: str
    segments: dict[str, str]
    links: tuple[IssuedLink, ...]
    created: float


class IssuedLinks:
    """A small time-limited store of new links, keyed by batch and owned by one session."""

    def __init__(self, ttl: float = TTL_SECONDS, clock=time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._batches: dict[int, IssuedBatch] = {}

    def put(
        self, batch_id: int, owner: str, survey_key: str, segments: dict[str, str], links: list[IssuedLink]
    ) -> None:
        self._expire()
        while len(self._batches) >= MAX_BATCHES:
            self._batches.pop(next(iter(self._batches)))
        self._batches[batch_id] = IssuedBatch(batch_id, owner, survey_key, dict(segments), tuple(links), self._clock())

    def get(self, batch_id: int, owner: str) -> IssuedBatch | None:
        self._expire()
        found = self._batches.get(batch_id)
        return found if found is not None and found.owner == owner else None

    def _expire(self) -> None:
        cutoff = self._clock() - self._ttl
        for key in [k for k, b in self._batches.items() if b.created < cutoff]:
            del self._batches[key]
