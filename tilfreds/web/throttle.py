"""Login throttling (OWASP ASVS 2.2.1): how many guesses an account and an address get.

Every attempt is recorded *before* its password is checked, in a transaction that serialises the
attempts of one account and of one address (``db.repo.staff.record_attempt``), so guesses sent at the
same moment are counted one after another and only the first ``LIMIT`` are ever checked.

- This account from this address: ``LIMIT`` attempts per window, then 429 until the window has passed.
- Any account from this address: the same, so one address cannot try many accounts.
- This account from anywhere: never refused, only slowed down. Someone who knows a username can make
  the account's logins slower from every address, but cannot lock its owner out: the owner's own
  address has its own count.

A successful login forgets that account's attempts from that address. Old attempts are purged by the
nightly retention job, never on the way of a login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from db.database import Database
from db.repo import staff as staff_repo
from db.repo.staff import RecentAttempts
from db.writes import write_session

WINDOW = timedelta(minutes=15)
LIMIT = 10
DELAY_STEP = 1.0  # seconds added per attempt on the account beyond LIMIT …
DELAY_MAX = 10.0  # … up to this


@dataclass(frozen=True)
class Admission:
    refused: bool  # 429: this address used up its attempts
    delay: float  # seconds to wait before checking the password (the account is being guessed at)


def admission(recent: RecentAttempts) -> Admission:
    """The rule, as a pure function of the counts (each includes the attempt being judged)."""
    refused = recent.by_pair > LIMIT or recent.by_address > LIMIT
    over = recent.by_account - LIMIT
    return Admission(refused=refused, delay=0.0 if refused or over <= 0 else min(DELAY_MAX, over * DELAY_STEP))


async def admit(database: Database, username: str, address: str) -> Admission:
    """Record this attempt and decide whether its password may be checked."""
    async with write_session(database) as session:
        recent = await staff_repo.record_attempt(session, username, address, WINDOW)
    return admission(recent)


async def succeeded(database: Database, username: str, address: str) -> None:
    async with write_session(database) as session:
        await staff_repo.clear_attempts(session, username, address)
