"""Logging failures without what people wrote.

Tracebacks are logged (``exc_info``) so failures can be fixed, but SQLAlchemy puts a statement's
parameters — an answer's text, say — into its exception messages; those are hidden first.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import StatementError


def log_failure(
    logger: logging.Logger, message: str, exc: BaseException, *args: object, level: int = logging.ERROR
) -> None:
    """Log ``message`` with the traceback of ``exc``, its SQL parameters hidden."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StatementError):
            current.hide_parameters = True
        current = current.__cause__ or current.__context__
    logger.log(level, message, *args, exc_info=exc)
