"""Every word the respondent pages show (survey wording aside, which lives in ``surveys/``), and the page language.

One catalogue, keyed, Danish first: when these strings move to gettext and more languages arrive, this
module and :func:`page_language` are the only places to change. ``html_attributes`` gives ``lang`` and
``dir`` for ``<html>`` (right-to-left scripts get ``dir="rtl"``).
"""

from __future__ import annotations

from aiohttp import web

from surveys import text_direction

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
LANGUAGE_COOKIE = "tilfreds_lang"  # the same choice as on the staff pages
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}

MESSAGES: dict[str, dict[str, str]] = {
    "skip_to_content": {"da": "Gå til indhold", "en": "Skip to content"},
    "change_language": {"da": "Sprog", "en": "Language"},
    "footer_privacy": {"da": "Sådan behandler vi dine svar", "en": "How we handle your answers"},
    "footer_accessibility": {"da": "Tilgængelighedserklæring", "en": "Accessibility statement"},
    # the landing page (the welcome)
    "asks": {"da": "{organisation} spørger", "en": "{organisation} asks"},
    "facts": {
        "da": "{count} spørgsmål · cirka 2 minutter · du er anonym",
        "en": "{count} questions · about 2 minutes · you are anonymous",
    },
    "anonymous": {
        "da": "Vi spørger ikke om dit navn, og vi gemmer ikke, hvem du er. Svarene bruges kun samlet.",
        "en": "We do not ask your name, and we do not store who you are. Answers are only used together.",
    },
    "read_privacy": {
        "da": "Læs, hvad vi gemmer, og hvordan du sletter dine svar",
        "en": "Read what we store, and how to delete your answers",
    },
    "choose_way": {"da": "Hvor vil du svare?", "en": "Where would you like to answer?"},
    "answer_here": {"da": "Svar her i browseren", "en": "Answer here in the browser"},
    "answer_telegram": {"da": "Svar i Telegram", "en": "Answer in Telegram"},
    "telegram_hint": {"da": "Åbner Telegram-appen, hvis du har den.", "en": "Opens the Telegram app, if you have it."},
    # a question
    "progress": {"da": "Spørgsmål {index} af {total}", "en": "Question {index} of {total}"},
    "next": {"da": "Næste", "en": "Next"},
    "finish": {"da": "Send svar", "en": "Send answers"},
    "back": {"da": "Tilbage", "en": "Back"},
    "skip": {"da": "Spring over", "en": "Skip"},
    "text_limit": {"da": "Højst {max} tegn.", "en": "At most {max} characters."},
    "text_optional": {"da": "Du kan også springe spørgsmålet over.", "en": "You can also skip the question."},
    "text_private": {
        "da": "Skriv ikke navne eller CPR-numre. Telefonnumre og e-mailadresser fjernes, før svaret gemmes.",
        "en": "Do not write names or CPR numbers. Phone numbers and e-mail addresses are removed before "
        "the answer is stored.",
    },
    "error_prefix": {"da": "Fejl", "en": "Error"},
    "error_choose": {"da": "Vælg et af svarene.", "en": "Choose one of the answers."},
    "error_choose_or_skip": {
        "da": "Vælg et af svarene, eller tryk “Spring over”.",
        "en": "Choose one of the answers, or press “Skip”.",
    },
    "error_empty": {
        "da": "Skriv dit svar, eller tryk “Spring over”.",
        "en": "Write your answer, or press “Skip”.",
    },
    "error_too_long": {
        "da": "Dit svar er {length} tegn. Der er plads til {max} tegn – forkort det venligst.",
        "en": "Your answer has {length} characters. There is room for {max} – please shorten it.",
    },
    "already_answered": {
        "da": "Det spørgsmål er allerede besvaret. Her er det spørgsmål, du er nået til.",
        "en": "That question has already been answered. Here is the question you have reached.",
    },
    # the end
    "thanks_title": {"da": "Tak for dine svar", "en": "Thank you for your answers"},
    "saved": {"da": "Dine svar er gemt.", "en": "Your answers are saved."},
    "callback_title": {"da": "Ring mig op", "en": "Call me back"},
    "callback_offer": {
        "da": "Vil du gerne kontaktes af jobcentret om din oplevelse? Skriv dit telefonnummer eller din e-mail.",
        "en": "Would you like the job centre to contact you about your experience? Type your phone number or e-mail.",
    },
    "callback_consent": {
        "da": "Samtykke: Når jeg trykker på knappen, giver jeg jobcentret lov til at gemme det nummer eller den "
        "e-mail, jeg skriver, for at kontakte mig om min oplevelse. Det gemmes adskilt fra mine svar, så det ikke kan "
        "kobles til dem, vises kun på personalets liste over opringninger og slettes senest {days} dage efter.",
        "en": "Consent: by pressing the button I allow the job centre to store the number or e-mail I type in order "
        "to contact me about my experience. It is stored apart from my answers, so it cannot be linked to them, is "
        "shown only on the staff's call-back list, and is deleted no later than {days} days after.",
    },
    "callback_contact": {"da": "Telefonnummer eller e-mail", "en": "Phone number or e-mail"},
    "callback_send": {"da": "Ja, kontakt mig", "en": "Yes, contact me"},
    "callback_saved": {
        "da": "Tak. Jobcentret kontakter dig. Dit nummer eller din e-mail er gemt adskilt fra dine svar og slettes "
        "senest {days} dage fra i dag.",
        "en": "Thank you. The job centre will contact you. Your number or e-mail is stored apart from your answers "
        "and deleted no later than {days} days from today.",
    },
    "callback_too_late": {
        "da": "»Ring mig op« kan kun vælges lige efter, at du har svaret. Du kan altid ringe til jobcentret.",
        "en": "“Call me back” can only be chosen right after answering. You can always phone the job centre.",
    },
    "callback_invalid_empty": {
        "da": "Skriv dit telefonnummer eller din e-mail.",
        "en": "Type your phone number or e-mail.",
    },
    "callback_invalid_too_long": {
        "da": "Det er for langt til et telefonnummer eller en e-mail. Prøv igen.",
        "en": "That is too long for a phone number or an e-mail. Try again.",
    },
    "callback_invalid_unreadable": {
        "da": "Det kan ikke læses som et telefonnummer (8 cifre) eller en e-mail. Prøv igen.",
        "en": "That cannot be read as a phone number (8 digits) or an e-mail. Try again.",
    },
    "privacy_callback": {
        "da": "Beder du om at blive ringet op (»Ring mig op«), gemmes det nummer eller den e-mail, du selv skriver, "
        "adskilt fra dine svar – uden kobling til dem, til dig eller til linket – og slettes {handled} dage efter, "
        "at jobcentret har kontaktet dig, og senest efter {max_days} dage.",
        "en": "If you ask to be called back (“Call me back”), the number or e-mail you type is stored apart from "
        "your answers – with no link to them, to you or to the link – and deleted {handled} days after the job "
        "centre has contacted you, and after {max_days} days at the latest.",
    },
    "withdraw_hint": {
        "da": "Fortryder du? I {days} dage kan du slette dine svar fra denne browser.",
        "en": "Changed your mind? For {days} days you can delete your answers from this browser.",
    },
    "delete_link": {"da": "Slet mine svar", "en": "Delete my answers"},
    # withdrawal
    "delete_title": {"da": "Slet mine svar", "en": "Delete my answers"},
    "delete_confirm": {
        "da": "Vil du slette de svar, du har givet fra denne browser? Det kan ikke fortrydes.",
        "en": "Do you want to delete the answers you gave from this browser? This cannot be undone.",
    },
    "delete_yes": {"da": "Ja, slet mine svar", "en": "Yes, delete my answers"},
    "delete_no": {"da": "Nej, behold dem", "en": "No, keep them"},
    "deleted": {"da": "Dine svar er slettet ({count}).", "en": "Your answers are deleted ({count})."},
    "delete_nothing": {
        "da": "Der er ingen svar fra denne browser, som kan slettes. Efter {days} dage kan svar ikke længere "
        "kobles til dig, og så kan de heller ikke slettes.",
        "en": "There are no answers from this browser that can be deleted. After {days} days answers can no "
        "longer be linked to you, and then they cannot be deleted either.",
    },
    # kind refusals
    "problem_title": {"da": "Linket virker ikke", "en": "The link does not work"},
    "token_unknown": {
        "da": "Det link kender vi ikke. Tjek, at hele linket kom med, eller spørg jobcentret om et nyt.",
        "en": "We do not know that link. Check that the whole link was copied, or ask the job centre for a new one.",
    },
    "token_expired": {
        "da": "Linket er udløbet. Spørg jobcentret om et nyt link, hvis du stadig vil svare.",
        "en": "The link has expired. Ask the job centre for a new link if you still want to answer.",
    },
    "token_revoked": {
        "da": "Linket er ikke længere i brug. Spørg jobcentret om et nyt link, hvis du vil svare.",
        "en": "The link is no longer in use. Ask the job centre for a new link if you want to answer.",
    },
    "token_used_up": {
        "da": "Linket er allerede brugt. Spørg jobcentret om et nyt link, hvis du vil svare.",
        "en": "The link has already been used. Ask the job centre for a new link if you want to answer.",
    },
    "token_other_channel": {
        "da": "Linket er allerede taget i brug i Telegram. Fortsæt dér, hvor du begyndte.",
        "en": "The link has already been opened in Telegram. Carry on where you started.",
    },
    "form_problem_title": {"da": "Svaret kunne ikke gemmes", "en": "The answer could not be saved"},
    "form_tampered": {
        "da": "Formularen indeholdt noget, vi ikke kan bruge, så intet er gemt. Gå til spørgeskemaet, og prøv igen.",
        "en": "The form held something we cannot use, so nothing was saved. Go to the survey and try again.",
    },
    "form_foreign": {
        "da": "Formularen kom ikke fra denne side, så intet er gemt. Gå til spørgeskemaet, og prøv igen.",
        "en": "The form did not come from this page, so nothing was saved. Go to the survey and try again.",
    },
    "form_too_large": {
        "da": "Det sendte var for stort, så intet er gemt. Gå til spørgeskemaet, og prøv igen.",
        "en": "What was sent was too large, so nothing was saved. Go to the survey and try again.",
    },
    "cookies_needed": {
        "da": "Din browser skal tillade cookies fra denne side, for at vi kan huske dine svar undervejs. "
        "Vi bruger kun én cookie til det og én til dit sprogvalg.",
        "en": "Your browser must allow cookies from this site so we can keep your answers as you go. "
        "We use one cookie for that and one for your choice of language.",
    },
    "go_to_survey": {"da": "Til spørgeskemaet", "en": "To the survey"},
    "rate_title": {"da": "Vent lidt", "en": "Please wait a moment"},
    "rate_limited": {
        "da": "Der er kommet mange forespørgsler fra din forbindelse på kort tid. Vent et minut, og prøv igen.",
        "en": "Many requests came from your connection in a short time. Wait a minute and try again.",
    },
    "not_found": {"da": "Siden findes ikke.", "en": "There is no such page."},
    # privacy
    "privacy_title": {"da": "Sådan behandler vi dine svar", "en": "How we handle your answers"},
    "privacy_what": {
        "da": "Vi gemmer dine svar, hvornår du svarede, hvilket sprog du brugte, og om du svarede i browseren "
        "eller i Telegram. Vi gemmer ikke dit navn, din e-mailadresse eller dit telefonnummer.",
        "en": "We store your answers, when you answered, which language you used, and whether you answered "
        "in the browser or in Telegram. We do not store your name, your e-mail address or your phone number.",
    },
    "privacy_cookie": {
        "da": "Denne browser får en cookie med et tilfældigt nummer, så du kan fortsætte, hvor du slap. "
        "Vi gemmer kun en krypteret nøgle af nummeret, som ikke kan føres tilbage til dig.",
        "en": "This browser gets a cookie with a random number, so you can carry on where you left off. "
        "We store only a keyed hash of the number, which cannot be traced back to you.",
    },
    "privacy_text": {
        "da": "Skriver du CPR-numre, e-mailadresser eller telefonnumre i et tekstsvar, fjernes de, før svaret gemmes.",
        "en": "If you write CPR numbers, e-mail addresses or phone numbers in a text answer, they are removed "
        "before the answer is stored.",
    },
    "privacy_use": {
        "da": "Svarene bruges kun samlet til at følge op på jobcentrets mål. Grupper med under {min_cell} svar vises "
        "aldrig.",
        "en": "The answers are only used together to follow up on the job centre's goals. Groups with fewer than "
        "{min_cell} answers are never shown.",
    },
    "privacy_retention": {
        "da": "Svarene slettes efter {months} måneder. Tal, der er lagt sammen for mange svar, bliver gemt.",
        "en": "The answers are deleted after {months} months. Figures that add up many answers are kept.",
    },
    "privacy_withdraw": {
        "da": "I {days} dage efter du har svaret, kan du slette dine svar fra den browser, du svarede i: brug "
        "“Slet mine svar” på takkesiden. Derefter kan svarene ikke længere kobles til dig.",
        "en": "For {days} days after you answered, you can delete your answers from the browser you answered "
        "in: use “Delete my answers” on the thank-you page. After that the answers can no longer be linked to you.",
    },
    "contact_title": {"da": "Kontakt", "en": "Contact"},
    "contact_email": {"da": "E-mail: {email}", "en": "E-mail: {email}"},
    "contact_phone": {"da": "Telefon: {phone}", "en": "Phone: {phone}"},
    "contact_none": {"da": "Kontakt {organisation}.", "en": "Contact {organisation}."},
    # accessibility statement
    "a11y_title": {"da": "Tilgængelighedserklæring", "en": "Accessibility statement"},
    "a11y_scope": {
        "da": "{organisation} ønsker, at alle kan besvare vores spørgeskemaer. Erklæringen gælder siderne, hvor "
        "spørgeskemaerne besvares i browseren.",
        "en": "{organisation} wants everyone to be able to answer our surveys. This statement covers the pages "
        "where the surveys are answered in the browser.",
    },
    "a11y_status": {
        "da": "Siderne er lavet til at overholde WCAG 2.1 niveau AA, som loven om tilgængelighed af offentlige "
        "organers websteder kræver. De virker uden JavaScript, kan bruges med tastatur alene og med "
        "skærmlæser, og de kan forstørres til 200 % og vises på en smal mobilskærm.",
        "en": "The pages are made to meet WCAG 2.1 level AA, as the Danish web accessibility act requires. They "
        "work without JavaScript, with a keyboard alone and with a screen reader, and they can be zoomed to "
        "200 % and shown on a narrow phone screen.",
    },
    "a11y_tested": {
        "da": "Hver side testes automatisk med axe-core i dansk og engelsk, og et helt spørgeskema besvares med "
        "tastaturet alene i en rigtig browser.",
        "en": "Every page is tested automatically with axe-core in Danish and English, and a whole survey is "
        "answered with the keyboard alone in a real browser.",
    },
    "a11y_known": {
        "da": "Vi kender ikke til dele af siderne, der ikke er tilgængelige. Finder du en, så skriv eller ring til os.",
        "en": "We know of no part of the pages that is not accessible. If you find one, write or call us.",
    },
    "a11y_complain": {
        "da": "Får du ikke et tilfredsstillende svar, kan du klage til Digitaliseringsstyrelsen.",
        "en": "If you do not get a satisfactory answer, you can complain to the Danish Agency for Digital "
        "Government (Digitaliseringsstyrelsen).",
    },
}


def t(lang: str, key: str, **values: object) -> str:
    """The string ``key`` in ``lang`` (Danish when missing), with ``values`` filled in."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def page_language(request: web.Request) -> str:
    """``?lang=`` first, then the remembered choice, then the browser's Accept-Language; Danish otherwise."""
    asked = request.query.get("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(LANGUAGE_COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def html_attributes(lang: str) -> dict[str, str]:
    """``lang`` and ``dir`` for a page's ``<html>`` element."""
    return {"lang": lang, "dir": text_direction(lang)}
