"""The staff pages' words, Danish first and English beside them.

Every key has both languages (a test checks it). The chosen language lives in a cookie; Danish is the default.
"""

from __future__ import annotations

from aiohttp import web

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
LANGUAGE_COOKIE = "tilfreds_lang"
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}

MESSAGES: dict[str, dict[str, str]] = {
    # layout
    "skip_to_content": {"da": "Gå til indhold", "en": "Skip to content"},
    "nav_label": {"da": "Hovedmenu", "en": "Main menu"},
    "nav_overview": {"da": "Overblik", "en": "Overview"},
    "nav_invitations": {"da": "Invitationer", "en": "Invitations"},
    "logout": {"da": "Log ud", "en": "Log out"},
    "logged_in_as": {"da": "Logget ind som {name}", "en": "Logged in as {name}"},
    "footer": {
        "da": "tilfreds · tilfredshed målt mod beskæftigelsesplanens mål på 80 %",
        "en": "tilfreds · satisfaction measured against the employment plan's 80% goals",
    },
    # login
    "login_title": {"da": "Log ind", "en": "Log in"},
    "login_intro": {
        "da": "For medarbejdere i Jobcenter Fredericia. Kontoen oprettes med tilfreds staff add.",
        "en": "For staff of Jobcenter Fredericia. Accounts are created with tilfreds staff add.",
    },
    "username": {"da": "Brugernavn", "en": "Username"},
    "password": {"da": "Adgangskode", "en": "Password"},
    "login_button": {"da": "Log ind", "en": "Log in"},
    "login_failed": {
        "da": "Forkert brugernavn eller adgangskode.",
        "en": "Wrong username or password.",
    },
    "login_throttled": {
        "da": "For mange forkerte forsøg. Vent 15 minutter, og prøv igen.",
        "en": "Too many failed attempts. Wait 15 minutes and try again.",
    },
    "login_busy": {
        "da": "Der er travlt lige nu. Vent et øjeblik, og prøv igen.",
        "en": "We are busy right now. Wait a moment and try again.",
    },
    "logged_out": {"da": "Du er logget ud.", "en": "You are logged out."},
    "session_expired": {
        "da": "Log ind for at fortsætte.",
        "en": "Log in to continue.",
    },
    # errors
    "error_title": {"da": "Noget gik galt", "en": "Something went wrong"},
    "csrf_failed": {
        "da": "Formularen var for gammel eller kom ikke fra tilfreds. Gå tilbage, genindlæs siden og prøv igen.",
        "en": "The form was too old or did not come from tilfreds. Go back, reload the page and try again.",
    },
    "not_found": {"da": "Siden findes ikke.", "en": "There is no such page."},
    "back_to_start": {"da": "Til forsiden", "en": "To the start page"},
    # results
    "overview_title": {"da": "Overblik", "en": "Overview"},
    "overview_intro": {
        "da": "Andelen af tilfredse (svar 4 eller 5 på hovedspørgsmålet) mod beskæftigelsesplanens mål på 80 %. "
        "Målet er opfyldt, når hele 95 %-intervallet ligger på eller over 80 %.",
        "en": "The share satisfied (4 or 5 on the headline question) against the employment plan's goal of 80%. "
        "The goal is met when the whole 95% interval lies at or above 80%.",
    },
    "period": {"da": "Periode", "en": "Period"},
    "period_custom": {"da": "Eller skriv en periode", "en": "Or type a period"},
    "period_custom_hint": {
        "da": "Fx 2026-03, 2026-Q2 eller 2026-01-01:2026-06-30.",
        "en": "E.g. 2026-03, 2026-Q2 or 2026-01-01:2026-06-30.",
    },
    "show": {"da": "Vis", "en": "Show"},
    "error_period": {
        "da": "Perioden kunne ikke læses; viser år til dato. Skriv fx 2026-03, 2026-Q2 eller 2026-01-01:2026-06-30.",
        "en": "The period could not be read; showing year to date. Type e.g. 2026-03, 2026-Q2 or "
        "2026-01-01:2026-06-30.",
    },
    "period_span": {"da": "{start} til {end}", "en": "{start} to {end}"},
    "goal": {"da": "Mål", "en": "Goal"},
    "share_satisfied": {"da": "tilfredse", "en": "satisfied"},
    "interval": {"da": "95 %-interval", "en": "95% interval"},
    "responses_n": {"da": "Svar", "en": "Responses"},
    "response_rate": {"da": "Svarprocent", "en": "Response rate"},
    "response_rate_of": {
        "da": "{completed} af {issued} engangsinvitationer",
        "en": "{completed} of {issued} single-use invitations",
    },
    "response_rate_none": {
        "da": "Ingen nævner: ingen engangsinvitationer i perioden (QR-plakater har ingen nævner).",
        "en": "No denominator: no single-use invitations in the period (QR posters have none).",
    },
    "change": {"da": "Ændring", "en": "Change"},
    "change_text": {
        "da": "{diff} procentpoint mod {against} (95 %-interval {low} til {high}): {verdict}.",
        "en": "{diff} percentage points against {against} (95% interval {low} to {high}): {verdict}.",
    },
    "change_clear": {"da": "en klar ændring", "en": "a clear change"},
    "change_unclear": {"da": "ikke en klar ændring", "en": "not a clear change"},
    "change_none": {
        "da": "For få svar til at sammenligne med {against}.",
        "en": "Too few responses to compare with {against}.",
    },
    "compare_title": {"da": "Perioder", "en": "Periods"},
    "no_answers": {"da": "ingen svar", "en": "no responses"},
    "hidden": {"da": "skjult", "en": "hidden"},
    "trend": {"da": "Udvikling pr. måned", "en": "By month"},
    "trend_caption": {
        "da": "Andel tilfredse pr. periode med 95 %-interval; den stiplede linje er målet på 80 %.",
        "en": "Share satisfied by period with the 95% interval; the dashed line is the 80% goal.",
    },
    "bars_caption": {
        "da": "Andel tilfredse pr. gruppe med 95 %-interval; den stiplede linje er målet på 80 %.",
        "en": "Share satisfied by group with the 95% interval; the dashed line is the 80% goal.",
    },
    "opt_dk": {"da": "ved ikke", "en": "don't know"},
    "opt_na": {"da": "ikke relevant", "en": "not relevant"},
    "opt_skip": {"da": "sprunget over", "en": "skipped"},
    "segments_title": {"da": "Segmenter", "en": "Segments"},
    "group": {"da": "Gruppe", "en": "Group"},
    "all_responses": {"da": "Alle svar", "en": "All responses"},
    "satisfied": {"da": "Tilfredse", "en": "Satisfied"},
    "share": {"da": "Andel", "en": "Share"},
    "suppression_note": {
        "da": "Grupper med under {min} svar vises som »<{min}« uden andel; »–« skjuler en gruppe, der ellers ville "
        "afsløre en lille gruppe.",
        "en": "Groups with fewer than {min} responses show »<{min}« and no share; »–« hides a group that would "
        "otherwise give a small one away.",
    },
    "breakdown_withheld": {
        "da": "Opdelingen vises ikke: for få svar til at skjule de små grupper.",
        "en": "The breakdown is not shown: too few responses to hide the small groups.",
    },
    "downloads": {"da": "Hent rapporten", "en": "Download the report"},
    "download_xlsx": {"da": "Excel (xlsx)", "en": "Excel (xlsx)"},
    "download_csv_report": {"da": "CSV", "en": "CSV"},
    "download_html": {"da": "Udvalgsrapport (html)", "en": "Committee report (html)"},
    "download_pdf": {"da": "Udvalgsrapport (pdf, A4)", "en": "Committee report (PDF, A4)"},
    "followup_title": {"da": "Opfølgning til udvalget", "en": "Follow-up for the committee"},
    "followup_intro": {
        "da": "Den samme opfølgning som den planlagte kørsel: Excel, html og pdf for hver undersøgelse, samlet i en "
        "zip-fil. Er perioden allerede gjort op, får du de tal, udvalget fik. Hver fil skrives i revisionsloggen.",
        "en": "The same follow-up as the scheduled run: Excel, html and PDF for each survey, in one zip file. If the "
        "period has been reported already, you get the numbers the committee got. Every file is written to the "
        "audit log.",
    },
    "followup_committee": {
        "da": "Udvalgsopfølgning: år til dato og sidste år",
        "en": "Committee follow-up: year to date and last year",
    },
    "followup_annual": {"da": "Årlig opfølgning: sidste hele år", "en": "Annual follow-up: the last full year"},
    "downloads_note": {
        "da": "Filerne er på dansk og viser det samme som siden. Hver hentning skrives i revisionsloggen.",
        "en": "The files are in Danish and show what the page shows. Every download is written to the audit log.",
    },
    "details_link": {"da": "Detaljer for {name}", "en": "Details for {name}"},
    "by_segment": {"da": "Opdel efter", "en": "Break down by"},
    "questions": {"da": "Spørgsmålene", "en": "The questions"},
    "question": {"da": "Spørgsmål", "en": "Question"},
    "mean": {"da": "Gennemsnit", "en": "Mean"},
    "distribution": {"da": "Fordeling", "en": "Distribution"},
    "not_counted": {"da": "Ved ikke / ikke relevant / sprunget over", "en": "Don't know / not relevant / skipped"},
    "nps": {"da": "NPS", "en": "NPS"},
    "comments": {"da": "Kommentarer i fritekst: {n}.", "en": "Free-text comments: {n}."},
    "previous_year": {"da": "Hele {year}", "en": "All of {year}"},
    "below_goal": {"da": "Under målet", "en": "Below the goal"},
    "above_goal": {"da": "Over målet", "en": "Above the goal"},
    # invitations
    "invitations_title": {"da": "Invitationer", "en": "Invitations"},
    "invitations_intro": {
        "da": "Opret links og QR-koder, som borgere og virksomheder kan svare med. Segmenterne følger med "
        "hvert svar, så ingen skal spørges om dem.",
        "en": "Create links and QR codes that citizens and companies answer with. The segments go with "
        "every answer, so nobody is asked about them.",
    },
    "new_batch": {"da": "Nye invitationer", "en": "New invitations"},
    "survey": {"da": "Spørgeskema", "en": "Survey"},
    "choose_survey": {"da": "Vælg spørgeskema", "en": "Choose a survey"},
    "segments": {"da": "Segmenter", "en": "Segments"},
    "segments_hint": {
        "da": "Vælg det, der gælder for dem, der får invitationerne. Lad feltet stå tomt, hvis det er blandet.",
        "en": "Choose what applies to the people who get the invitations. Leave a field empty if it is mixed.",
    },
    "segment_any": {"da": "— ikke angivet —", "en": "— not given —"},
    "count": {"da": "Antal", "en": "How many"},
    "count_hint": {"da": "1 til {max} invitationer.", "en": "1 to {max} invitations."},
    "expires_days": {"da": "Gyldig i (dage)", "en": "Valid for (days)"},
    "expires_hint": {"da": "1 til 365 dage.", "en": "1 to 365 days."},
    "uses": {"da": "Brug", "en": "Use"},
    "single_use": {
        "da": "Én person pr. link (giver svarprocent)",
        "en": "One person per link (gives a response rate)",
    },
    "multi_use": {
        "da": "Mange personer pr. link (plakat; ingen svarprocent)",
        "en": "Many people per link (poster; no response rate)",
    },
    "create_button": {"da": "Opret invitationer", "en": "Create invitations"},
    "form_has_errors": {"da": "Ret felterne markeret nedenfor.", "en": "Correct the fields marked below."},
    "error_count": {"da": "Skriv et helt tal fra 1 til {max}.", "en": "Enter a whole number from 1 to {max}."},
    "error_expires": {"da": "Skriv et helt tal fra 1 til 365.", "en": "Enter a whole number from 1 to 365."},
    "error_uses": {"da": "Vælg en af mulighederne.", "en": "Choose one of the options."},
    "error_segment": {"da": "Vælg en værdi fra listen.", "en": "Choose a value from the list."},
    "error_survey": {"da": "Ukendt spørgeskema.", "en": "Unknown survey."},
    "error_bot_username": {
        "da": "Linkene kræver botens brugernavn. Bed driften sætte TILFREDS_TELEGRAM_BOT_USERNAME "
        "(eller TILFREDS_TELEGRAM_TOKEN).",
        "en": "The links need the bot's username. Ask operations to set TILFREDS_TELEGRAM_BOT_USERNAME "
        "(or TILFREDS_TELEGRAM_TOKEN).",
    },
    "batches": {"da": "Oprettede invitationer", "en": "Invitations created"},
    "no_batches": {"da": "Der er ikke oprettet invitationer endnu.", "en": "No invitations have been created yet."},
    "created": {"da": "Oprettet", "en": "Created"},
    "created_by": {"da": "Af", "en": "By"},
    "links": {"da": "Links", "en": "Links"},
    "used": {"da": "Brugt", "en": "Used"},
    "responses": {"da": "Svar", "en": "Responses"},
    "expires": {"da": "Udløber", "en": "Expires"},
    "never": {"da": "aldrig", "en": "never"},
    "multi_use_short": {"da": "plakat", "en": "poster"},
    "all": {"da": "alle", "en": "all"},
    "revoke": {"da": "Luk links", "en": "Close links"},
    "revoke_label": {"da": "Luk links i batch {id}", "en": "Close links of batch {id}"},
    "revoke_explained": {
        "da": "Linkene holder op med at virke med det samme, også på udleverede QR-koder. Svar, der allerede er "
        "givet, bevares.",
        "en": "The links stop working at once, also on QR codes already handed out. Answers already given are kept.",
    },
    "revoked": {"da": "Linkene i batch {id} er lukket.", "en": "The links of batch {id} are closed."},
    "batch_title": {"da": "Invitationer, batch {id}", "en": "Invitations, batch {id}"},
    "batch_ready": {
        "da": "{count} invitationer er oprettet. Hent linkene eller udskriv QR-koderne nu: linkene gemmes ikke, "
        "og de kan hentes i én time fra denne browser.",
        "en": "{count} invitations were created. Download the links or print the QR codes now: the links are "
        "not stored, and they can be fetched for one hour from this browser.",
    },
    "batch_gone": {
        "da": "Linkene i denne batch kan ikke længere hentes (de vises kun lige efter oprettelsen). Opret en ny "
        "batch, hvis du mangler links.",
        "en": "The links of this batch can no longer be fetched (they are shown only right after they are "
        "created). Create a new batch if you need links.",
    },
    "download_csv": {"da": "Hent links som CSV", "en": "Download links as CSV"},
    "print_sheet": {"da": "Åbn QR-ark til udskrift", "en": "Open the QR sheet for printing"},
    "back_to_invitations": {"da": "Tilbage til invitationer", "en": "Back to invitations"},
    "sheet_title": {"da": "QR-ark, batch {id}", "en": "QR sheet, batch {id}"},
    "sheet_print_hint": {
        "da": "Udskriv med browserens Udskriv (Ctrl+P / ⌘P) på A4. Klip langs de stiplede linjer.",
        "en": "Print with the browser's Print (Ctrl+P / ⌘P) on A4. Cut along the dashed lines.",
    },
    "status": {"da": "Status", "en": "Status"},
    "status_open": {"da": "åben", "en": "open"},
    "status_closed": {"da": "lukket", "en": "closed"},
    "status_expired": {"da": "udløbet", "en": "expired"},
    "actions": {"da": "Handling", "en": "Action"},
}


def translate(lang: str, key: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (Danish when missing), with ``{name}`` placeholders filled in."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def request_language(request: web.Request) -> str:
    lang = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
