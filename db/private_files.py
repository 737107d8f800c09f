"""Files that hold people's data or keys are readable by their owner only (mode 0600) from their first moment.

The SQLite database (SQLite gives its WAL and shared-memory files the database's mode), the secret key,
exports and invitation lists. Creating a file with the right mode, rather than writing it and then
``chmod``-ing it, leaves no moment in which another account on the machine could open it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE = 0o600


def make_private(path: str | os.PathLike[str]) -> None:
    """Create ``path`` (empty) if it is missing, and make it owner-only either way; never truncates.

    A writer that opens it afterwards (``open(path, "w")``, openpyxl, pandas) keeps that mode.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE)
    try:
        os.fchmod(fd, PRIVATE)  # it may have existed with a looser mode
    finally:
        os.close(fd)


def write_new_private(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` if it does not exist yet, atomically and owner-only; False if it existed.

    The text goes to a temporary owner-only file first, which is then hard-linked into place: another
    process never sees a half-written file, and of two racing writers exactly one wins.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
