"""Staff passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommendation).

Checking a password costs ~100–200 ms of CPU and 64 MiB on purpose. The login checks it in a worker thread
(:data:`VERIFIER`: one thread, so a flood of logins leaves the other core to the event loop) and the loop keeps
serving the webhook and the health check; a flood meets a short queue and then 429 instead of stalling the
process.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 takes any length; a cap keeps a huge form field from costing more than a login

_hasher = PasswordHasher()  # argon2id
# Verified when the username is unknown, so a wrong username costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class WeakPassword(ValueError):
    """The password is too short or too long; the message says what is needed."""


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"the password may have at most {MAX_LENGTH} characters")


def hash_password(password: str, *, check: bool = True) -> str:
    """The argon2id hash of a new password (``check=False`` when rehashing one already in use)."""
    if check:
        check_strength(password)
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no stored hash, spend the same time and say no."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's; rehash at the next login."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


class VerifierBusy(Exception):
    """Too many logins are in progress; try again in a moment."""


class Verifier:
    """Checks passwords in ``workers`` threads for at most ``workers + waiting`` logins at a time.

    A login holds a place (:meth:`place`) while it records its attempt and while its password is checked;
    with no place free it gets :class:`VerifierBusy` at once, before it costs a database connection.
    """

    def __init__(self, workers: int = 1, waiting: int = 8) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tilfreds-argon2")
        self._limit = workers + waiting
        self._taken = 0  # touched only on the event loop's thread

    @contextlib.contextmanager
    def place(self) -> Iterator[None]:
        if self._taken >= self._limit:
            raise VerifierBusy
        self._taken += 1
        try:
            yield
        finally:
            self._taken -= 1

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """Check a password in a worker thread (the caller holds a :meth:`place`)."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, verify_password, stored_hash, password)


VERIFIER = Verifier()
