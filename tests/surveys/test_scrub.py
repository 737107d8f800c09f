"""Personal data never reaches storage: CPR numbers, e-mail addresses and phone numbers are replaced."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys import scrub_text, strip_control
from surveys.scrub import strip_invisible


@pytest.mark.parametrize(
    "text, expected",
    [
        ("010190-1234", "[CPR]"),
        ("0101901234", "[CPR]"),
        ("010190 1234", "[CPR]"),
        ("010190 - 1234", "[CPR]"),
        ("010190–1234", "[CPR]"),  # en dash, as phones and word processors write it
        ("311299-9999", "[CPR]"),
        ("Mit cpr-nr. er 241265-1237.", "Mit cpr-nr. er [CPR]."),
        ("cpr:0101901234,tak", "cpr:[CPR],tak"),
        ("(010190-1234)", "([CPR])"),
        ("CPR 290290-1234", "CPR [CPR]"),  # a date that never existed still looks like CPR: scrub it
        ("١٢٠٣٩٠١٢٣٤", "[CPR]"),  # Arabic-Indic digits
        ("０１０１９０－１２３４", "[CPR]"),  # full-width digits and dash
    ],
)
def test_cpr_numbers_are_scrubbed_without_modulus_check(text, expected):
    assert scrub_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "321290-1234",  # day 32
        "001290-1234",  # day 00
        "011390-1234",  # month 13
        "010090-1234",  # month 00
        "9999999999",
        "01019012345",  # 11 digits: not a CPR number
        "1010190-1234",  # 7 digits before the dash
    ],
)
def test_numbers_that_are_not_a_date_are_not_cpr(text):
    assert "[CPR]" not in scrub_text(text)


def test_ten_digit_cpr_is_not_mistaken_for_a_phone_number():
    assert scrub_text("ring ikke, men 1201901234") == "ring ikke, men [CPR]"


@pytest.mark.parametrize(
    "text",
    [
        "Jeg har været ledig siden 2026.",
        "Jeg fik 1.500 kr for lidt.",
        "Udbetalingen var 12.500,50 kr.",
        "Huslejen er 25 000 kr om året.",
        "Mødet var kl. 10.30-11.45 den 24.12.2025.",
        "Jeg søgte 30 job i 2025-2026.",
        "Sag nr. 123456",
        "Postnummer 7000 Fredericia",
        "Jeg var der 3 gange på 14 dage",
        "Det var 1-2 timer, 100 %",
        "Version 1.2.3",
        "Tlf-nummeret gav jeg ikke",
        "Skriv til kontakt@ ... nej",
        "@jobcenter",
    ],
)
def test_ordinary_numbers_and_text_are_left_alone(text):
    assert scrub_text(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("jens@example.dk", "[EMAIL]"),
        ("Skriv til Jens.Hansen+job@mail.example.com.", "Skriv til [EMAIL]."),
        ("mail: søren@fredericia.dk", "mail: [EMAIL]"),
        ("a_b-c@sub-domain.example.org, tak", "[EMAIL], tak"),
        ("jens @ example.dk", "[EMAIL]"),
        ("jens (at) example.dk", "[EMAIL]"),
        ("jens[at]example.dk", "[EMAIL]"),
        ("jens@example.dk og mette@example.com", "[EMAIL] og [EMAIL]"),
        ("0101901234@example.dk", "[EMAIL]"),
    ],
)
def test_email_addresses_are_scrubbed(text, expected):
    assert scrub_text(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12345678", "[TELEFON]"),
        ("ring på 12 34 56 78 i morgen", "ring på [TELEFON] i morgen"),
        ("1234 5678", "[TELEFON]"),
        ("1234-5678", "[TELEFON]"),
        ("12-34-56-78", "[TELEFON]"),
        ("12.34.56.78", "[TELEFON]"),
        ("+45 12 34 56 78", "[TELEFON]"),
        ("+4512345678", "[TELEFON]"),
        ("0045 12345678", "[TELEFON]"),
        ("+45-1234 5678", "[TELEFON]"),
        ("tlf.: 87 65 43 21.", "tlf.: [TELEFON]."),
        ("(+45) 12345678", "([TELEFON]"),
        ("20\u00a030\u00a040\u00a050", "[TELEFON]"),  # non-breaking spaces
        ("+46 70 123 45 67", "[TELEFON]"),  # Sweden
        ("+44 (0)20 7946 0958", "[TELEFON]"),  # UK
        ("+380 44 123 4567", "[TELEFON]"),  # Ukraine
        ("+252 61 234 5678", "[TELEFON]"),  # Somalia
        ("+49 30 1234567 eller 12345678", "[TELEFON] eller [TELEFON]"),
    ],
)
def test_phone_numbers_are_scrubbed(text, expected):
    assert scrub_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12\u200b34\u200b56\u200b78",  # zero-width spaces
        "1234\u200d5678",  # zero-width joiner
        "12\u206034 56\ufeff78",  # word joiner, byte-order mark
        "1\u00ad2\u00ad3\u00ad4\u00ad5\u00ad6\u00ad7\u00ad8",  # soft hyphens
        "+45\u200c12345678",
    ],
)
def test_invisible_characters_cannot_hide_a_phone_number(text):
    assert scrub_text(text) == "[TELEFON]"


def test_invisible_characters_cannot_hide_cpr_or_email():
    assert scrub_text("0101\u200b90-12\u200b34") == "[CPR]"
    assert scrub_text("jens\u200b@\u200bexample.dk") == "[EMAIL]"


def test_joiners_that_belong_to_words_and_emoji_are_kept():
    persian = "می\u200cخواهم"  # ZWNJ is part of Persian spelling
    family = "👩\u200d👩\u200d👧"
    assert scrub_text(persian) == persian
    assert scrub_text(family) == family


def test_mixed_text():
    text = (
        "Hej. Jeg hedder Jens (CPR 010190-1234) og fik 1.500 kr i 2026.\n"
        "Ring på +45 12 34 56 78 eller 8765 4321, eller skriv jens@example.dk. Mødet kl. 10.30 var godt!"
    )
    assert scrub_text(text) == (
        "Hej. Jeg hedder Jens (CPR [CPR]) og fik 1.500 kr i 2026.\n"
        "Ring på [TELEFON] eller [TELEFON], eller skriv [EMAIL]. Mødet kl. 10.30 var godt!"
    )


def test_scrubbing_is_idempotent():
    once = scrub_text("010190-1234 12345678 a@b.dk")
    assert scrub_text(once) == once


def test_strip_control_keeps_newlines_and_text():
    assert strip_control("a\x00b\x1fc\x7fd\x85e\tf\r\ng\rh") == "abcde f\ng\nh"
    assert strip_control("héllo – مرحبا – привіт") == "héllo – مرحبا – привіт"


def test_strip_control_removes_bidi_overrides_and_lone_surrogates():
    assert strip_control("abc\u202edcba\u202c") == "abcdcba"
    assert strip_control("a\ud800b") == "ab"
    assert strip_control("\u200fمرحبا\u2067x\u2069") == "\u200fمرحبا\u2067x\u2069"  # marks and isolates stay


def test_strip_invisible_only_touches_invisible_characters():
    assert strip_invisible("a\u200bb c") == "ab c"


# -- properties ---------------------------------------------------------------------------------------

SEPARATORS = ["", "-", " ", " - ", "–"]


def cpr_shaped_runs(text: str) -> list[str]:
    """An independent scan for digit-bounded DDMMYY[sep]XXXX with a plausible day and month."""
    text = strip_invisible(strip_control(text))
    found = []
    for start, char in enumerate(text):
        if not char.isdecimal() or (start and text[start - 1].isdecimal()):
            continue
        for sep in SEPARATORS:
            end = start + 10 + len(sep)
            candidate = text[start:end]
            head, middle, tail = candidate[:6], candidate[6 : 6 + len(sep)], candidate[6 + len(sep) :]
            if not (len(head) == 6 and head.isdecimal() and middle == sep and len(tail) == 4 and tail.isdecimal()):
                continue
            if end < len(text) and text[end].isdecimal():
                continue
            if 1 <= int(head[:2]) <= 31 and 1 <= int(head[2:4]) <= 12:
                found.append(candidate)
    return found


def test_the_oracle_finds_cpr_numbers():
    assert cpr_shaped_runs("x 010190-1234 y 0101901234") == ["010190-1234", "0101901234"]
    assert cpr_shaped_runs("321290-1234 10101901234") == []


@st.composite
def cpr_numbers(draw):
    day = draw(st.integers(1, 31))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(0, 99))
    serial = draw(st.integers(0, 9999))
    sep = draw(st.sampled_from(SEPARATORS))
    invisible = draw(st.sampled_from(["", "\u200b", "\u2060", "\ufeff", "\u00ad"]))
    digits = f"{day:02d}{month:02d}{year:02d}{sep}{serial:04d}"
    cut = draw(st.integers(0, len(digits)))
    return digits[:cut] + invisible + digits[cut:]


noise = st.text(alphabet=string.ascii_letters + string.digits + " -.+@\n\u200b–æøå", max_size=40)


@given(st.lists(st.one_of(noise, cpr_numbers()), max_size=6).map("".join))
def test_no_cpr_shaped_run_survives(text):
    assert cpr_shaped_runs(scrub_text(text)) == []


@given(st.text(max_size=60), cpr_numbers(), st.text(max_size=60))
def test_a_cpr_number_between_words_is_always_replaced(before, cpr, after):
    text = f"{before} {cpr} {after}"
    scrubbed = scrub_text(text)
    assert cpr_shaped_runs(scrubbed) == []
    assert "[CPR]" in scrubbed or "[EMAIL]" in scrubbed or "[TELEFON]" in scrubbed


@given(st.text(max_size=200))
def test_scrub_never_fails_and_keeps_text_without_digits_or_at(text):
    scrubbed = scrub_text(text)
    if not any(c.isdecimal() or c == "@" for c in text) and "(at)" not in text and "[at]" not in text:
        assert scrubbed == strip_invisible(strip_control(text))


@st.composite
def danish_phone_numbers(draw):
    digits = str(draw(st.integers(10_000_000, 99_999_999)))
    a, b, c, d = digits[:2], digits[2:4], digits[4:6], digits[6:]
    sep = draw(st.sampled_from([" ", "-", ".", "\u00a0"]))
    written = draw(st.sampled_from([digits, sep.join((a, b, c, d)), f"{a}{b} {c}{d}", f"{a}{b}-{c}{d}"]))
    prefix = draw(st.sampled_from(["", "+45 ", "+45", "0045 ", "+45-"]))
    return digits, prefix + written


@given(danish_phone_numbers())
def test_danish_phone_numbers_in_any_usual_form_are_replaced(case):
    digits, written = case
    is_year_span = all(1900 <= int(half) <= 2099 for half in (digits[:4], digits[4:]))
    if is_year_span and written.endswith((f"{digits[:4]} {digits[4:]}", f"{digits[:4]}-{digits[4:]}")):
        return  # "2025-2026" is a span of years and stays, see test_ordinary_numbers_and_text_are_left_alone
    assert scrub_text(f"Ring på {written}, tak") == "Ring på [TELEFON], tak"
