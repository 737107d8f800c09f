"""Survey versions: every distinct definition is stored once; answered versions are frozen."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import SurveyVersion, utcnow


class Definition(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def content_hash(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...


async def ensure_version(session: AsyncSession, survey: Definition) -> SurveyVersion:
    """The stored version for this exact definition, created (as the next number) if new.

    A definition that changed gets a new version; answers keep pointing at the one they answered.
    Two processes starting at once may both try to create it: the unique key decides, the loser reads
    the winner's row.
    """
    found = await _find(session, survey)
    if found is not None:
        return found
    latest = await session.scalar(select(func.max(SurveyVersion.version)).where(SurveyVersion.survey_key == survey.key))
    version = SurveyVersion(
        survey_key=survey.key,
        version=(latest or 0) + 1,
        content_hash=survey.content_hash,
        definition=survey.to_dict(),
    )
    try:
        async with session.begin_nested():
            session.add(version)
    except IntegrityError:
        found = await _find(session, survey)
        if found is None:
            raise
        return found
    return version


async def _find(session: AsyncSession, survey: Definition) -> SurveyVersion | None:
    return await session.scalar(
        select(SurveyVersion).where(
            SurveyVersion.survey_key == survey.key, SurveyVersion.content_hash == survey.content_hash
        )
    )


async def freeze(session: AsyncSession, version_id: int) -> None:
    """Mark a version as answered; from now on its content never changes."""
    await session.execute(
        update(SurveyVersion)
        .where(SurveyVersion.id == version_id, SurveyVersion.frozen_at.is_(None))
        .values(frozen_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def get_version(session: AsyncSession, version_id: int) -> SurveyVersion | None:
    return await session.get(SurveyVersion, version_id)
