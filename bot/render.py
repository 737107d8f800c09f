"""Messages and inline keyboards: pure functions from a survey, a question and a language to text.

Every scale button carries its label ("5 – Meget tilfreds"); a question shows its place ("3/8").
"""

from __future__ import annotations

from bot import callbacks
from bot.replies import Buttons
from bot.texts import language_name, languages, local, t
from surveys import SKIP_OPTION, Question, Survey
from surveys import localize as _localize
from surveys.model import with_organisation
from translations import strip_marks

SHORT_LABEL = 3  # labels this short ("7") share a row, up to PACK per row
PACK = 6
LANGUAGES_PER_ROW = 4


def localize(text, lang: str) -> str:
    """Survey wording in ``lang``, made safe for its direction like every other text."""
    return local(lang, _localize(text, lang))


def welcome(
    survey: Survey, lang: str, response_id: int, count: int, organisation: str = "Jobcentret"
) -> tuple[str, Buttons]:
    title = with_organisation(localize(survey.title, lang), organisation)
    intro = with_organisation(localize(survey.intro, lang).strip(), organisation)
    text = t(lang, "welcome", title=title, intro=intro, count=count)
    buttons: Buttons = [[(t(lang, "button_start"), callbacks.begin(response_id))]]
    buttons.extend(language_buttons(survey.languages, lang, response_id))
    return text, buttons


def language_buttons(available: tuple[str, ...] | list[str], current: str, response_id: int) -> Buttons:
    """One button per other language, each in its own name and script ("English", "Українська", "العربية")."""
    buttons = [
        (language_name(code), callbacks.language(response_id, code))
        for code in languages()  # one order everywhere: Danish, English, then by code
        if code != current and code in available
    ]
    return [buttons[i : i + LANGUAGES_PER_ROW] for i in range(0, len(buttons), LANGUAGES_PER_ROW)]


def question_text(survey: Survey, question: Question, lang: str, index: int, total: int) -> str:
    text = f"{t(lang, 'progress', index=index, total=total)}  {localize(question.text, lang)}"
    if question.kind == "text":
        text += "\n\n" + t(lang, "text_prompt", max=question.max_length or 1000)
        if question.optional:
            text += " " + t(lang, "text_optional")
    return text


def question(
    survey: Survey, question: Question, lang: str, response_id: int, index: int, total: int, *, can_go_back: bool
) -> tuple[str, Buttons]:
    rows: Buttons = []
    packed: list[tuple[str, str]] = []
    for option in question.options:
        label = localize(option.label, lang)
        button = (label, callbacks.answer(response_id, question.id, option.id))
        if len(strip_marks(label)) <= SHORT_LABEL:
            packed.append(button)
            if len(packed) == PACK:
                rows.append(packed)
                packed = []
            continue
        if packed:
            rows.append(packed)
            packed = []
        rows.append([button])
    if packed:
        rows.append(packed)
    last: list[tuple[str, str]] = []
    if can_go_back:
        last.append((t(lang, "button_back"), callbacks.back(response_id, question.id)))
    if question.optional:
        last.append((t(lang, "button_skip"), callbacks.answer(response_id, question.id, SKIP_OPTION)))
    if last:
        rows.append(last)
    return question_text(survey, question, lang, index, total), rows


def answered(survey: Survey, question: Question, lang: str, index: int, total: int, option_id: str) -> str:
    """The question message after a choice: the question and the chosen answer, without buttons."""
    base = question_text(survey, question, lang, index, total)
    if option_id == SKIP_OPTION:
        return f"{base}\n{t(lang, 'skipped')}"
    option = question.option(option_id)
    label = localize(option.label, lang) if option else option_id
    return f"{base}\n{t(lang, 'chosen', answer=label)}"


def left(survey: Survey, question: Question, lang: str, index: int, total: int) -> str:
    """The question message after "back" was pressed on it."""
    return f"{question_text(survey, question, lang, index, total)}\n{t(lang, 'went_back')}"


def thanks(survey: Survey, lang: str, organisation: str = "Jobcentret") -> str:
    return f"{with_organisation(localize(survey.thanks, lang).strip(), organisation)}\n\n{t(lang, 'thanks_footer')}"
