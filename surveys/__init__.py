"""The survey domain: definitions, their validation, the question flow, the KPI rule and text scrubbing.

Pure Python (stdlib and PyYAML); no Telegram, SQL or HTTP here.
"""

from .engine import (
    SKIP_OPTION,
    AnswerValue,
    InvalidAnswer,
    answers_to_keep,
    applicable_questions,
    is_complete,
    next_question,
    previous_question,
    progress,
    question_after,
    validate_answer,
    validate_choice,
    validate_text,
)
from .kpi import KPI_DEFINITION, SATISFIED_VALUES, SCORED_VALUES
from .languages import RTL_LANGUAGES, choose_language, text_direction
from .loader import (
    DEFINITIONS_DIR,
    DefinitionError,
    UnknownSurvey,
    builtin_surveys,
    check_definitions,
    get_survey,
    load_survey,
)
from .model import (
    DONT_KNOW,
    NOT_RELEVANT,
    TEXT_MAX_LENGTH,
    Condition,
    FrozenMap,
    Option,
    Question,
    SegmentError,
    Survey,
    Text,
    localize,
)
from .scrub import scrub_text, strip_control

__all__ = [
    "DEFINITIONS_DIR",
    "DONT_KNOW",
    "KPI_DEFINITION",
    "NOT_RELEVANT",
    "RTL_LANGUAGES",
    "SATISFIED_VALUES",
    "SCORED_VALUES",
    "SKIP_OPTION",
    "TEXT_MAX_LENGTH",
    "AnswerValue",
    "Condition",
    "DefinitionError",
    "FrozenMap",
    "InvalidAnswer",
    "Option",
    "Question",
    "SegmentError",
    "Survey",
    "Text",
    "UnknownSurvey",
    "answers_to_keep",
    "applicable_questions",
    "builtin_surveys",
    "check_definitions",
    "choose_language",
    "get_survey",
    "is_complete",
    "load_survey",
    "localize",
    "next_question",
    "previous_question",
    "progress",
    "question_after",
    "scrub_text",
    "strip_control",
    "text_direction",
    "validate_answer",
    "validate_choice",
    "validate_text",
]
