"""Free-text comments for staff: the selection, a page of it newest first, themes and tags.

A comment is a scrubbed free-text answer of a counted response (headline answered in the period, not
withdrawn: the same population as the report). The selection is narrowed by segment value, headline score,
language and channel; the text search narrows the comments shown, not the selection whose size decides
whether any comment may be shown (see ``analytics/README.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import Answer, CommentTag, CommentTheme, Response
from db.repo.aggregates import Bounds, counted_responses
from surveys.model import DONT_KNOW


@dataclass(frozen=True)
class Selection:
    """Which responses: the period (and segment filter) in ``bounds``, and optional narrowing."""

    bounds: Bounds
    text_ids: tuple[str, ...]  # the survey's free-text questions
    score: str | None = None  # "1".."5" or "dk"
    language: str | None = None
    channel: str | None = None
    search: str = ""


@dataclass(frozen=True)
class Comment:
    answer_id: int
    text: str
    answered_at: datetime
    score: str  # "1".."5" or "dk"
    language: str
    channel: str
    themes: tuple[int, ...]


def _narrowed(selection: Selection, *columns: ColumnElement) -> tuple[Select, type[Answer]]:
    stmt, headline = counted_responses(selection.bounds, *columns)
    if selection.score == DONT_KNOW:
        stmt = stmt.where(headline.option == DONT_KNOW)
    elif selection.score:
        stmt = stmt.where(headline.value == int(selection.score))
    if selection.language:
        stmt = stmt.where(Response.language == selection.language)
    if selection.channel:
        stmt = stmt.where(Response.channel == selection.channel)
    return stmt, headline


async def selection_size(session: AsyncSession, selection: Selection) -> int:
    """How many counted responses the selection holds (whether or not they left a comment)."""
    stmt, _ = _narrowed(selection, func.count())
    return int(await session.scalar(stmt) or 0)


def _comments(selection: Selection, *columns: ColumnElement) -> tuple[Select, type[Answer]]:
    comment = aliased(Answer, name="comment")
    stmt, headline = _narrowed(selection, *columns)
    stmt = stmt.join(comment, comment.response_id == Response.id).where(
        comment.question_id.in_(selection.text_ids), comment.text.is_not(None), comment.text != ""
    )
    if selection.search.strip():
        needle = selection.search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(func.lower(comment.text).like(f"%{needle}%", escape="\\"))
    columns_ = (comment.id, comment.text, comment.answered_at, headline.value, headline.option)
    return stmt.add_columns(*columns_), comment


async def comment_count(session: AsyncSession, selection: Selection) -> int:
    if not selection.text_ids:
        return 0
    inner = _comments(selection)[0].subquery()
    return int(await session.scalar(select(func.count()).select_from(inner)) or 0)


async def comments_page(session: AsyncSession, selection: Selection, offset: int, limit: int) -> list[Comment]:
    """The selection's comments, newest first, with each response's headline score and its themes."""
    if not selection.text_ids:
        return []
    stmt, comment = _comments(selection, Response.language, Response.channel)
    newest_first = stmt.order_by(comment.answered_at.desc(), comment.id.desc()).offset(offset).limit(limit)
    rows = (await session.execute(newest_first)).all()
    ids = [row[2] for row in rows]
    tags: dict[int, list[int]] = {}
    if ids:
        for answer_id, theme_id in await session.execute(
            select(CommentTag.answer_id, CommentTag.theme_id).where(CommentTag.answer_id.in_(ids))
        ):
            tags.setdefault(answer_id, []).append(theme_id)
    return [
        Comment(
            answer_id=answer_id,
            text=text,
            answered_at=at,
            score=str(value) if value is not None else (option or ""),
            language=language,
            channel=channel,
            themes=tuple(sorted(tags.get(answer_id, []))),
        )
        for language, channel, answer_id, text, at, value, option in rows
    ]


async def comments_all(session: AsyncSession, selection: Selection, limit: int = 50_000) -> list[Comment]:
    """Every comment of the selection (for the download), newest first."""
    return await comments_page(session, selection, 0, limit)


# -- themes ----------------------------------------------------------------------------------------


async def themes(session: AsyncSession, survey_key: str) -> list[CommentTheme]:
    return list(
        await session.scalars(
            select(CommentTheme).where(CommentTheme.survey_key == survey_key).order_by(CommentTheme.name)
        )
    )


async def add_theme(session: AsyncSession, survey_key: str, name: str) -> CommentTheme | None:
    """A new theme, or None when the survey has one by that name already."""
    existing = await session.scalar(
        select(CommentTheme.id).where(CommentTheme.survey_key == survey_key, CommentTheme.name == name)
    )
    if existing is not None:
        return None
    theme = CommentTheme(survey_key=survey_key, name=name)
    session.add(theme)
    await session.flush()
    return theme


async def remove_theme(session: AsyncSession, survey_key: str, theme_id: int) -> bool:
    await session.execute(delete(CommentTag).where(CommentTag.theme_id == theme_id))
    result = await session.execute(
        delete(CommentTheme).where(CommentTheme.id == theme_id, CommentTheme.survey_key == survey_key)
    )
    return bool(result.rowcount)


async def is_comment_of(session: AsyncSession, survey_key: str, answer_id: int, text_ids: Sequence[str]) -> bool:
    """True when ``answer_id`` is a non-empty free-text answer of a response to ``survey_key``."""
    found = await session.scalar(
        select(Answer.id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.id == answer_id,
            Response.survey_key == survey_key,
            Answer.question_id.in_(list(text_ids)),
            Answer.text.is_not(None),
        )
    )
    return found is not None


async def set_tag(session: AsyncSession, answer_id: int, theme_id: int, *, on: bool, actor: str) -> None:
    """Tag (``on``) or untag a comment; tagging twice changes nothing."""
    existing = await session.get(CommentTag, (answer_id, theme_id))
    if on and existing is None:
        session.add(CommentTag(answer_id=answer_id, theme_id=theme_id, tagged_by=actor))
    elif not on and existing is not None:
        await session.delete(existing)
    await session.flush()


async def theme_counts(session: AsyncSession, bounds: Bounds) -> list[tuple[str, int]]:
    """Comments per theme among the period's counted responses (and segment filter), largest first."""
    comment = aliased(Answer, name="comment")
    stmt, _ = counted_responses(bounds, CommentTheme.name, func.count())
    stmt = (
        stmt.join(comment, comment.response_id == Response.id)
        .join(CommentTag, CommentTag.answer_id == comment.id)
        .join(CommentTheme, CommentTheme.id == CommentTag.theme_id)
        .group_by(CommentTheme.name)
        .order_by(func.count().desc(), CommentTheme.name)
    )
    return [(name, int(n)) for name, n in (await session.execute(stmt)).all()]
