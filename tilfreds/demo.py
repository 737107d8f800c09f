"""Synthetic demo data: realistic responses for every survey over the last two years.

Satisfaction depends on the segments, so some groups sit clearly above the 80% goal and some
clearly below; answers to the other items follow the headline answer with some noise. The same
seed on the same day gives the same data. Nothing here is real: there are no respondents, and
the comments are written for the demo.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from surveys import Question, Survey
from surveys.model import DONT_KNOW, NOT_RELEVANT

# Tuning for the shipped surveys; any other survey gets the defaults (and the effects of its segments, if named
# here), so the demo fills whatever definitions are in use.
# Effects on the chance of a satisfied (4-5) headline answer, around a base just above 0.80.
DEFAULT_SATISFACTION = 0.8
BASE_SATISFACTION = {"citizen": 0.80, "employer": 0.83}
EFFECTS: dict[str, dict[str, float]] = {
    "benefit": {
        "a-dagpenge": 0.09,
        "fleksjob": 0.07,
        "uddannelseshjaelp": 0.02,
        "kontanthjaelp": -0.13,
        "sygedagpenge": -0.16,
        "jobafklaring": -0.08,
        "ressourceforloeb": -0.03,
        "revalidering": 0.04,
    },
    "contact": {"virksomhedspraktik": 0.05, "mentor": 0.06, "telefon": -0.05, "digital": -0.04},
    "industry": {
        "bygge-anlaeg": 0.08,
        "transport": -0.06,
        "hotel-restauration": -0.15,
        "aeldre-pleje": 0.04,
        "industri": 0.06,
        "offentlig": 0.03,
    },
    "service": {"rekruttering": 0.02, "fastholdelse": -0.10, "fleksjob-smaajob": 0.05},
    "size": {"1-9": -0.07, "250+": 0.05},
}
SURVEY_SHARE = {"citizen": 0.7, "employer": 0.3}
DEFAULT_SHARE = 0.2

COMMENTS = {
    "citizen": [
        "Min sagsbehandler lyttede virkelig til mig.",
        "Det var svært at komme igennem på telefonen.",
        "Jeg ville gerne have vidst mere om, hvad der skal ske nu.",
        "Mødet var godt, men ventetiden var lang.",
        "Tak for en ordentlig og respektfuld behandling.",
        "Jeg følte ikke, at min situation blev forstået.",
        "Brevene er svære at forstå.",
        "Det hjalp mig at få en mentor.",
        "Jeg fik selv lov til at bestemme min plan, det var rart.",
        "Skift af sagsbehandler tre gange er for meget.",
    ],
    "employer": [
        "Hurtig og venlig kontakt til virksomhedskonsulenten.",
        "Kandidaterne passede ikke helt til vores behov.",
        "Gode råd om fastholdelse af en sygemeldt medarbejder.",
        "Det er uklart, hvem vi skal ringe til.",
        "Vi vil gerne høre mere om opkvalificering af ledige.",
        "Et godt samarbejde om fleksjob.",
        "Lang sagsbehandlingstid på løntilskud.",
    ],
}

GENERAL_COMMENTS = [
    "Tak for hjælpen.",
    "Det tog lang tid at få svar.",
    "Venlig og hurtig behandling.",
    "Jeg ville gerne have haft mere information undervejs.",
]


@dataclass
class DemoResponse:
    survey_key: str
    segments: dict[str, str]
    status: str
    started_at: datetime
    completed_at: datetime | None
    language: str
    current_question: str | None
    answers: list[dict[str, Any]] = field(default_factory=list)


def _language(languages: tuple[str, ...], roll: float, others: float = 0.2) -> str:
    """Danish for most; the survey's other languages share ``others`` of the responses (one draw, no more)."""
    rest = languages[1:]
    if roll >= others or not rest:
        return languages[0]
    return rest[int(roll / others * len(rest))]


def _satisfaction_chance(survey_key: str, segments: dict[str, str]) -> float:
    p = BASE_SATISFACTION.get(survey_key, DEFAULT_SATISFACTION)
    for key, value in segments.items():
        p += EFFECTS.get(key, {}).get(value, 0.0)
    return min(0.97, max(0.3, p))


def _headline(rng: random.Random, p: float) -> int | None:
    if rng.random() < 0.04:
        return None  # "ved ikke"
    if rng.random() < p:
        return 5 if rng.random() < 0.45 else 4
    return rng.choices((1, 2, 3), weights=(2, 3, 5))[0]


def _item(rng: random.Random, headline: int | None, lo: int, hi: int) -> int:
    centre = 3.6 if headline is None else float(headline)
    if hi == 10:  # 0-10 recommendation scale
        centre = centre * 2.2 - 1.5
    return int(min(hi, max(lo, round(rng.gauss(centre, 0.9 if hi == 5 else 1.6)))))


def generate(surveys: dict[str, Survey], count: int, seed: int, today: date, days: int = 730) -> Iterator[DemoResponse]:
    """``count`` synthetic responses, spread evenly over the ``days`` before ``today``, oldest first.

    In time order, as real answers arrive: inserting them then appends to the time-ordered indexes
    instead of scattering writes across them.
    """
    rng = random.Random(seed)
    keys = [k for k in SURVEY_SHARE if k in surveys] + [k for k in surveys if k not in SURVEY_SHARE]
    weights = [SURVEY_SHARE.get(k, DEFAULT_SHARE) for k in keys]
    start = datetime.combine(today - timedelta(days=days), time(0), tzinfo=UTC)
    span = days * 86400
    plans = {key: [_QuestionPlan.of(q) for q in survey.questions] for key, survey in surveys.items()}
    for index in range(count):
        survey = surveys[rng.choices(keys, weights)[0]]
        segments = {key: rng.choice(values) for key, values in survey.segments.items()}
        started = start + timedelta(seconds=int(span * (index + rng.random()) / count))
        p = _satisfaction_chance(survey.key, segments)
        headline = _headline(rng, p)
        roll = rng.random()
        status = "completed" if roll < 0.9 else ("in_progress" if roll < 0.93 else "abandoned")
        answered = len(survey.questions) if status == "completed" else rng.randrange(0, len(survey.questions))
        response = DemoResponse(
            survey_key=survey.key,
            segments=segments,
            status=status,
            started_at=started,
            completed_at=started + timedelta(seconds=rng.randrange(40, 300)) if status == "completed" else None,
            language=_language(survey.languages, rng.random()),
            current_question=None,
        )
        for index, plan in enumerate(plans[survey.key]):
            if index >= answered:
                response.current_question = plan.id
                break
            response.answers.append(_answer(rng, survey.key, plan, headline))
        yield response


@dataclass(frozen=True)
class _QuestionPlan:
    """What generating an answer to one question needs, worked out once per question."""

    id: str
    kind: str
    headline: bool
    special: tuple[str, ...]
    lo: int
    hi: int
    option_for: dict[int, str]

    @classmethod
    def of(cls, question: Question) -> _QuestionPlan:
        values = [o.value for o in question.options if o.value is not None]
        return cls(
            id=question.id,
            kind=question.kind,
            headline=question.headline,
            special=tuple(o.id for o in question.options if o.id in (DONT_KNOW, NOT_RELEVANT)),
            lo=min(values, default=0),
            hi=max(values, default=0),
            option_for={o.value: o.id for o in question.options if o.value is not None},
        )


def _answer(rng: random.Random, survey_key: str, plan: _QuestionPlan, headline: int | None) -> dict[str, Any]:
    if plan.headline:
        option = DONT_KNOW if headline is None else str(headline)
        return {"question_id": plan.id, "option": option, "value": headline, "text": None}
    if plan.kind == "text":
        if rng.random() < 0.15:
            comment = rng.choice(COMMENTS.get(survey_key, GENERAL_COMMENTS))
            return {"question_id": plan.id, "option": None, "value": None, "text": comment}
        return {"question_id": plan.id, "option": "skip", "value": None, "text": None}
    if plan.special and rng.random() < 0.05:
        return {"question_id": plan.id, "option": rng.choice(plan.special), "value": None, "text": None}
    value = _item(rng, headline, plan.lo, plan.hi)
    return {"question_id": plan.id, "option": plan.option_for[value], "value": value, "text": None}
