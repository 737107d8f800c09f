"""Survey versions: every distinct definition is stored once; answered versions are frozen."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import SurveyVersion, utcnow


class Definition(Protocol):
    key: str

    @property
    def content_hash(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...


async def ensure_version(session: AsyncSession, survey: Definition) -> SurveyVersion:
    """The stored version for this exact definition, created (as the next number) if new.

    A definition that changed gets a new version; answers keep pointing at the one they answered.
    """
    found = await session.scalar(
        select(SurveyVersion).where(
            SurveyVersion.survey_key == survey.key, SurveyVersion.content_hash == survey.content_hash
        )
    )
    if found is not None:
        return found
    latest = await session.scalar(select(func.max(SurveyVersion.version)).where(SurveyVersion.survey_key == survey.key))
    version = SurveyVersion(
        survey_key=survey.key,
        version=(latest or 0) + 1,
        content_hash=survey.content_hash,
        definition=survey.to_dict(),
    )
    session.add(version)
    await session.flush()
    return version


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
