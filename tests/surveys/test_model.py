"""Survey values: hashing, storage round trip, immutability, segments, languages."""

import dataclasses
import json
import re
import shutil

import pytest

from surveys import (
    DEFINITIONS_DIR,
    SegmentError,
    Survey,
    Text,
    load_survey,
    localize,
)


def copy_citizen(tmp_path, transform=lambda s: s):
    path = tmp_path / "citizen.yaml"
    path.write_text(transform((DEFINITIONS_DIR / "citizen.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_hash_is_stable_across_loads_and_files(tmp_path, citizen):
    shutil.copy(DEFINITIONS_DIR / "citizen.yaml", tmp_path / "other-name.yaml")
    again = load_survey(tmp_path / "other-name.yaml")
    assert again.content_hash == citizen.content_hash
    assert again == citizen and hash(again) == hash(citizen)
    assert re.fullmatch(r"[0-9a-f]{64}", citizen.content_hash)


def test_hash_ignores_comments_and_layout(tmp_path, citizen):
    path = copy_citizen(tmp_path, lambda s: "# a new comment\n\n" + s.replace("\nthanks:", "\n\n# more\nthanks:"))
    assert load_survey(path).content_hash == citizen.content_hash


@pytest.mark.parametrize(
    "old, new",
    [
        ("5 – Meget tilfreds", "5 – Rigtig tilfreds"),  # an answer label
        ("Jeg blev mødt med respekt og tillid.", "Jeg blev mødt med respekt."),  # a question
        ("Thank you for your answers!", "Thanks!"),  # an English text
        ("      mentor:\n        da: Mentor\n        en: Mentor\n", ""),  # a segment value
        ("  - id: respect\n    kind: scale\n    scale: agreement\n    optional: true\n",
         "  - id: respect\n    kind: scale\n    scale: agreement\n"),  # optional → required
    ],
)  # fmt: skip
def test_hash_changes_when_content_changes(tmp_path, citizen, old, new):
    path = copy_citizen(tmp_path, lambda s: s.replace(old, new, 1))
    changed = load_survey(path)
    assert changed.content_hash != citizen.content_hash
    assert changed != citizen


@pytest.mark.parametrize("key", ["citizen", "employer"])
def test_to_dict_from_dict_round_trip_through_json(key):
    from surveys import get_survey

    survey = get_survey(key)
    stored = json.loads(json.dumps(survey.to_dict()))
    restored = Survey.from_dict(stored)
    assert restored == survey
    assert restored.content_hash == survey.content_hash
    assert restored.source_path is None
    assert restored.to_dict() == survey.to_dict()


def test_round_trip_keeps_conditions(conditional):
    restored = Survey.from_dict(json.loads(json.dumps(conditional.to_dict())))
    assert restored.question("liked").when == conditional.question("liked").when
    assert restored.question("liked").when.negate is True


def test_from_dict_refuses_unknown_format(citizen):
    data = citizen.to_dict() | {"format": 99}
    with pytest.raises(ValueError, match="unsupported survey format 99"):
        Survey.from_dict(data)


def test_from_dict_refuses_two_headlines(citizen):
    data = citizen.to_dict()
    data["questions"][1]["headline"] = True
    with pytest.raises(ValueError, match="exactly one headline"):
        Survey.from_dict(data)


def test_survey_is_immutable(citizen):
    with pytest.raises(dataclasses.FrozenInstanceError):
        citizen.key = "x"
    with pytest.raises(TypeError):
        citizen.title["da"] = "x"
    with pytest.raises(TypeError):
        citizen.segments["benefit"] = ()
    assert isinstance(citizen.questions, tuple)


def test_question_lookup(citizen):
    assert citizen.question("heard").short["da"] == "Blev lyttet til"
    assert citizen.question("nope") is None
    assert citizen.headline.id == "overall"


def test_validate_segments_accepts_known_and_partial(citizen):
    assert citizen.validate_segments({"benefit": "kontanthjaelp", "unit": "ungeenheden"}) == {
        "benefit": "kontanthjaelp",
        "unit": "ungeenheden",
    }
    assert citizen.validate_segments({}) == {}


def test_validate_segments_unknown_key_names_known_keys(citizen):
    with pytest.raises(SegmentError, match=r"unknown segment 'industry'.*benefit, unit, contact") as exc:
        citizen.validate_segments({"industry": "transport"})
    assert isinstance(exc.value, ValueError)


def test_validate_segments_unknown_value_lists_allowed(employer):
    with pytest.raises(SegmentError, match=r"'250' for segment 'size'; allowed values: 1-9, 10-49, 50-249, 250\+"):
        employer.validate_segments({"size": "250"})


def test_text_is_hashable_and_order_insensitive():
    a = Text({"da": "Tak", "en": "Thanks"})
    b = Text({"en": "Thanks", "da": "Tak"})
    assert a == b and hash(a) == hash(b)
    assert a == {"da": "Tak", "en": "Thanks"}
    assert a != Text({"da": "Tak"})


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "Thanks"), ("en-GB", "Thanks"), ("EN_us", "Thanks"), ("da", "Tak"), ("ar", "Tak"), (None, "Tak")],
)
def test_localize_falls_back_to_danish(lang, expected):
    assert localize(Text({"da": "Tak", "en": "Thanks"}), lang) == expected


def test_localize_without_danish_uses_any():
    assert localize(Text({"en": "Thanks"}), "uk") == "Thanks"
    assert localize(Text({}), "da") == ""
