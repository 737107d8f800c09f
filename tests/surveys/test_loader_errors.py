"""Broken definitions: every problem names the file and the line a text maintainer must fix."""

import re

import pytest

from surveys import DEFINITIONS_DIR, DefinitionError, load_survey


def danish_and_english(text: str) -> str:
    """The shipped definition cut down to Danish and English, so each edit below breaks exactly one thing."""
    kept: list[str] = []
    skipping_indent = None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        if skipping_indent is not None and (not line.strip() or indent > skipping_indent):
            if not line.strip():
                kept.append(line)
            continue
        skipping_indent = None
        match = re.match(r"^( +)([a-z]{2,3}): ", line + " ")
        if match and match.group(2) not in ("da", "en") and match.group(2) in ("uk", "ar", "fa", "so", "ti", "pl"):
            skipping_indent = len(match.group(1))
            continue
        kept.append(line)
    cut = "\n".join(kept).replace("languages: [da, en, uk, ar, fa, so, ti, pl]", "languages: [da, en]")
    return re.sub(r"\n\n\n+", "\n\n", cut)


CITIZEN = danish_and_english((DEFINITIONS_DIR / "citizen.yaml").read_text(encoding="utf-8"))
EMPLOYER = danish_and_english((DEFINITIONS_DIR / "employer.yaml").read_text(encoding="utf-8"))


def line_of(text: str, snippet: str) -> int:
    """1-based line where ``snippet`` starts in ``text``."""
    index = text.index(snippet)
    return text.count("\n", 0, index) + 1


def broken(tmp_path, old: str, new: str, source: str = CITIZEN, marker: str | None = None):
    """Write a copy with one edit; return (path, line of ``marker`` in the copy, or of the edit itself)."""
    assert old in source, old
    text = source.replace(old, new, 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    if marker is None:
        return path, source.count("\n", 0, source.index(old)) + 1
    return path, line_of(text, marker)


def load_error(path) -> DefinitionError:
    with pytest.raises(DefinitionError) as exc:
        load_survey(path)
    return exc.value


def assert_reported(path, line: int, *fragments: str) -> DefinitionError:
    error = load_error(path)
    assert error.path == path
    assert error.line == line, str(error)
    message = str(error)
    assert f"broken.yaml:{line}: " in message
    for fragment in fragments:
        assert fragment in message
    return error


def test_message_reads_path_line_problem(tmp_path):
    path, line = broken(tmp_path, "  - id: respect", "  - id: heard")
    error = assert_reported(path, line, "duplicate question id 'heard'")
    assert str(error).endswith(f"broken.yaml:{line}: duplicate question id 'heard'")
    assert error.problem == "duplicate question id 'heard'"


def test_unknown_top_level_key(tmp_path):
    path, line = broken(tmp_path, "thanks:", "colour: blue\nthanks:", marker="colour")
    assert_reported(path, line, "unknown key 'colour' in the survey", "allowed keys: key, languages")


def test_unknown_question_key_catches_typos(tmp_path):
    old = "  - id: heard\n    kind: scale\n    scale: agreement\n    optional: true"
    path, line = broken(tmp_path, old, old.replace("optional", "optinal"), marker="optinal")
    assert_reported(path, line, "unknown key 'optinal' in question 'heard'")


def test_unknown_key_in_segment(tmp_path):
    path, line = broken(tmp_path, "  unit:\n    name:", "  unit:\n    label: x\n    name:", marker="label")
    assert_reported(path, line, "unknown key 'label' in segment 'unit'")


def test_language_not_listed_hints_at_danish_code(tmp_path):
    path, line = broken(tmp_path, "thanks:\n  da:", "thanks:\n  dk:", marker="dk:")
    assert_reported(path, line, "language 'dk' is not one of the survey's languages (da, en)", "Danish is 'da'")


def test_missing_translation_in_question(tmp_path):
    old = "      da: Jeg ved, hvad mit næste skridt er.\n      en: I know what my next step is.\n"
    path, line = broken(tmp_path, old, "      da: Jeg ved, hvad mit næste skridt er.\n")
    assert_reported(path, line, "question 'next_step': text is missing the translation for 'en'")


def test_missing_translation_in_answer_label(tmp_path):
    old = "    4:\n      da: 4 – Enig\n      en: 4 – Agree\n"
    path, line = broken(tmp_path, old, "    4:\n      da: 4 – Enig\n", marker="      da: 4 – Enig")
    assert_reported(path, line, "answer '4' in scale 'agreement' is missing the translation for 'en'")


def test_new_language_needs_every_respondent_text_but_not_staff_labels(tmp_path):
    path, _ = broken(tmp_path, "languages: [da, en]", "languages: [da, en, uk]")
    error = load_error(path)
    assert "title is missing the translation for 'uk'" in str(error)
    assert not any("short" in problem or "segment" in problem for _, problem in error.problems)


def test_empty_text(tmp_path):
    path, line = broken(tmp_path, "  en: How has the job centre been for you?", "  en:", marker="  en:\n")
    assert_reported(path, line, "title (en) must be a text")


def test_languages_must_include_danish(tmp_path):
    path, line = broken(tmp_path, "languages: [da, en]", "languages: [en]")
    assert_reported(path, line, "languages must include 'da'")


def test_bad_language_code(tmp_path):
    path, line = broken(tmp_path, "languages: [da, en]", "languages: [da, English]")
    assert_reported(path, line, "bad language code 'English'")


def test_duplicate_option_id(tmp_path):
    old = "    5:\n      da: 5 – Helt enig\n      en: 5 – Strongly agree\n"
    path, line = broken(tmp_path, old, old + old.replace("5 –", "5 -"), marker="    5:\n      da: 5 - Helt")
    assert_reported(path, line, "scale 'agreement': '5' appears twice")


def test_duplicate_top_level_key_is_not_silently_overwritten(tmp_path):
    path, line = broken(tmp_path, "thanks:", "title:\n  da: Igen\n  en: Again\nthanks:", marker="title:\n  da: Igen")
    assert_reported(path, line, "the survey: 'title' appears twice")


def test_scale_with_a_missing_point(tmp_path):
    old = "    3:\n      da: 3 – Hverken enig eller uenig\n      en: 3 – Neither agree nor disagree\n"
    path, line = broken(tmp_path, old, "", marker="  agreement:")
    assert_reported(path, line + 1, "bad scale 'agreement'", "needs the answers 1 to 5 in order; found 1, 2, 4, 5")


def test_scale_out_of_order(tmp_path):
    one = "    1:\n      da: 1 – Helt uenig\n      en: 1 – Strongly disagree\n"
    two = "    2:\n      da: 2 – Uenig\n      en: 2 – Disagree\n"
    path, line = broken(tmp_path, one + two, two + one, marker="  agreement:")
    assert_reported(path, line + 1, "found 2, 1, 3, 4, 5")


def test_scale_point_without_words(tmp_path):
    old = "    2:\n      da: 2 – Uenig\n      en: 2 – Disagree\n"
    path, line = broken(tmp_path, old, '    2: "2"\n')
    assert_reported(path, line, "answer '2' in scale 'agreement' needs words in every language")


def test_nps_must_run_0_to_10(tmp_path):
    path, line = broken(
        tmp_path,
        "    10:\n      da: 10 – Meget sandsynligt\n      en: 10 – Very likely\n",
        "",
        source=EMPLOYER,
        marker="  recommend:\n    0:",
    )
    assert_reported(path, line + 1, "bad scale 'recommend'", "nps question needs the answers 0 to 10")


def test_nps_ends_need_words(tmp_path):
    old = "    0:\n      da: 0 – Slet ikke sandsynligt\n      en: 0 – Not at all likely\n"
    path, line = broken(tmp_path, old, '    0: "0"\n', source=EMPLOYER)
    assert_reported(path, line, "answer '0' in scale 'recommend' needs words", "both ends")


def test_unknown_answer_code(tmp_path):
    path, line = broken(tmp_path, "    dk:\n      da: Ved ikke", "    vedikke:\n      da: Ved ikke", marker="vedikke")
    assert_reported(path, line, "answer 'vedikke' in scale 'satisfaction': use a number, 'dk'")


def test_unknown_scale_name(tmp_path):
    path, line = broken(tmp_path, "    scale: agreement\n", "    scale: agrement\n", marker="scale: agrement")
    assert_reported(path, line, "question 'heard': unknown scale 'agrement'; known scales: satisfaction, agreement")


def test_unknown_kind(tmp_path):
    path, line = broken(tmp_path, "    kind: text\n", "    kind: freetext\n", marker="kind: freetext")
    assert_reported(path, line, "unknown kind 'freetext'; use one of scale, nps, text")


@pytest.mark.parametrize("bad_id", ["Heard", "heard-it", "a_very_long_question_id", "hørt"])
def test_bad_question_id(tmp_path, bad_id):
    path, line = broken(tmp_path, "  - id: heard\n", f"  - id: {bad_id}\n", marker=f"id: {bad_id}")
    assert_reported(path, line, f"bad question id '{bad_id}'")


def test_no_headline(tmp_path):
    path, line = broken(tmp_path, "    headline: true\n", "", marker="  - id: overall")
    assert_reported(path, line, "no headline question")


def test_two_headlines(tmp_path):
    path, line = broken(tmp_path, "  - id: heard\n", "  - id: heard\n    headline: true\n")
    assert_reported(path, line, "more than one headline question ('overall' and 'heard')")


def test_headline_cannot_be_optional(tmp_path):
    path, line = broken(
        tmp_path, "    headline: true\n", "    headline: true\n    optional: true\n", marker="  - id: overall"
    )
    assert_reported(path, line, "headline question 'overall' cannot be optional")


def test_headline_needs_dont_know(tmp_path):
    text = CITIZEN.replace("    scale: satisfaction\n", "    scale: satisfaction_strict\n", 1).replace(
        "  agreement:\n",
        "  satisfaction_strict:\n"
        + "".join(f"    {n}:\n      da: {n} – x\n      en: {n} – x\n" for n in range(1, 6))
        + "  agreement:\n",
    )
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    assert_reported(
        path, line_of(text, "  - id: overall"), "headline question 'overall' needs a 'dk' (ved ikke) answer"
    )


def test_headline_must_be_a_1_to_5_scale(tmp_path):
    old = "    headline: true\n    kind: scale\n    scale: satisfaction\n"
    path, line = broken(
        tmp_path,
        old,
        "    headline: true\n    kind: nps\n    scale: recommend\n",
        source=EMPLOYER,
        marker="  - id: overall",
    )
    assert_reported(path, line, "headline question 'overall' must be a 1–5 scale question")


def test_text_question_cannot_be_required(tmp_path):
    path, line = broken(tmp_path, "    kind: text\n", "    kind: text\n    optional: false\n", marker="optional: false")
    assert_reported(path, line, "a free-text question is always optional")


def test_max_length_is_capped(tmp_path):
    path, line = broken(tmp_path, "    max_length: 1000", "    max_length: 5000", marker="max_length")
    assert_reported(path, line, "max_length must be a whole number from 1 to 1000")


def test_condition_on_a_later_question(tmp_path):
    old = "  - id: heard\n    kind: scale\n"
    new = "  - id: heard\n    when:\n      question: respect\n      answer_is: [1]\n    kind: scale\n"
    path, line = broken(tmp_path, old, new, marker="question: respect")
    assert_reported(path, line, "when refers to 'respect', which is not an earlier question")


def test_condition_on_an_unknown_answer(tmp_path):
    old = "  - id: respect\n    kind: scale\n"
    new = "  - id: respect\n    when:\n      question: heard\n      answer_is: [1, 6]\n    kind: scale\n"
    path, line = broken(tmp_path, old, new, marker="answer_is")
    assert_reported(path, line, "question 'heard' has no answer '6'; its answers are 1, 2, 3, 4, 5, dk")


def test_condition_needs_one_form(tmp_path):
    old = "  - id: respect\n    kind: scale\n"
    new = "  - id: respect\n    when:\n      question: heard\n    kind: scale\n"
    path, line = broken(tmp_path, old, new, marker="      question: heard")
    assert_reported(path, line, "when needs exactly one of 'answer_is' or 'answer_is_not'")


def test_headline_cannot_be_conditional(tmp_path):
    path, line = broken(
        tmp_path,
        "    headline: true\n",
        "    headline: true\n    when:\n      question: x\n      answer_is: [1]\n",
        marker="    when:",
    )
    assert_reported(path, line, "headline question 'overall' must always be asked (no 'when')")


@pytest.mark.parametrize("value", ["Kontanthjælp", "kontant_hjaelp", "-fleksjob", "Fleksjob"])
def test_bad_segment_value(tmp_path, value):
    path, line = broken(tmp_path, "      kontanthjaelp:\n", f"      {value}:\n", marker=f"{value}:")
    assert_reported(path, line, f"bad value '{value}' in segment 'benefit'")


def test_duplicate_segment_value(tmp_path):
    path, line = broken(tmp_path, "      mentor:\n", "      samtale:\n", marker="      samtale:\n        da: Mentor")
    assert_reported(path, line, "segment 'contact': values: 'samtale' appears twice")


def test_malformed_yaml_reports_line(tmp_path):
    path, line = broken(
        tmp_path,
        "    text:\n      da: Jeg blev mødt",
        "    text: [oops\n      da: Jeg blev mødt",
        marker="[oops",
    )
    error = load_error(path)
    assert error.line is not None and line <= error.line <= line + 2
    assert "malformed YAML" in str(error) and f"broken.yaml:{error.line}:" in str(error)


def test_tab_indentation_reports_line(tmp_path):
    path, line = broken(tmp_path, "  - id: heard\n    kind: scale", "  - id: heard\n\tkind: scale", marker="\tkind")
    assert_reported(path, line, "malformed YAML")


def test_colon_in_unquoted_flow_text_reports_line(tmp_path):
    path = tmp_path / "broken.yaml"
    text = CITIZEN.replace("thanks:\n", "thanks: {da: Tak: nu, en: Thanks}\nold_thanks:\n", 1)
    path.write_text(text, encoding="utf-8")
    error = load_error(path)
    assert error.line == line_of(text, "thanks: {")


def test_empty_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    error = load_error(path)
    assert error.line is None and str(error).endswith("broken.yaml: the file is empty")


def test_not_utf8(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_bytes(CITIZEN.encode("latin-1", errors="replace"))
    assert "not UTF-8" in str(load_error(path))


def test_top_level_must_be_a_mapping(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    assert str(load_error(path)).endswith("broken.yaml:1: the survey must be a list of 'name: value' lines")


def test_missing_required_keys(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("key: x\nlanguages: [da]\n", encoding="utf-8")
    error = load_error(path)
    for name in ("title", "intro", "thanks", "questions"):
        assert any(f"missing '{name}'" in problem for _, problem in error.problems), name


def test_all_problems_are_collected_in_line_order(tmp_path):
    text = CITIZEN.replace("  - id: respect", "  - id: heard", 1).replace("thanks:\n  da:", "thanks:\n  dk:", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    error = load_error(path)
    assert len(error.problems) >= 2
    assert [line for line, _ in error.problems] == sorted(line for line, _ in error.problems)
    assert error.line == line_of(text, "  dk:")  # the earliest problem comes first
    assert str(error).endswith("more problems)") or str(error).endswith("more problem)")
    messages = error.messages()
    assert messages[0] == str(error).split(" (and ")[0]
    second_heard = text.count("\n", 0, text.index("  - id: heard", text.index("  - id: heard") + 1)) + 1
    assert f"{path}:{second_heard}: duplicate question id 'heard'" in messages


def test_answer_numbers_are_written_plainly(tmp_path):
    path, line = broken(tmp_path, "    1:\n      da: 1 – Helt uenig", "    01:\n      da: 1 – Helt uenig", marker="01:")
    assert_reported(path, line, "answer '01' in scale 'agreement': write the number as 1")


def test_yaml_words_stay_words(tmp_path):
    # YAML 1.1 would read "no" (Norwegian) as False and "5" as a number; here they are a code and a text
    text = CITIZEN.replace("languages: [da, en]", "languages: [da, en, no]")
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    error = load_error(path)
    assert "title is missing the translation for 'no'" in str(error)


def test_condition_with_no_answers_is_refused_not_ignored(tmp_path):
    old = "  - id: respect\n    kind: scale\n"
    new = "  - id: respect\n    when:\n      question: heard\n      answer_is: []\n    kind: scale\n"
    path, line = broken(tmp_path, old, new, marker="answer_is")
    assert_reported(path, line, "answer_is needs at least one answer")


def test_follow_ups_name_known_reports_and_do_not_change_the_version(tmp_path):
    path, line = broken(tmp_path, "follow_ups: [committee, annual]", "follow_ups: [committee, weekly]")
    assert_reported(path, line, "unknown follow-up 'weekly'", "committee, annual")
    # Leaving the field out means the committee only; the survey's content (and so its version) is the same.
    path, _ = broken(tmp_path, "follow_ups: [committee, annual]\n", "")
    plain = load_survey(path)
    with_field = tmp_path / "with-field.yaml"  # the same (Danish and English) copy, field kept
    with_field.write_text(CITIZEN, encoding="utf-8")
    shipped = load_survey(with_field)
    assert plain.follow_ups == ("committee",) and shipped.follow_ups == ("committee", "annual")
    assert plain.content_hash == shipped.content_hash
