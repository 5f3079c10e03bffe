"""The real knowledge files (knowledge/) hold every fact of the source article.

The source is the article "Picture Archiving and Communication Systems (PACS) Certificate
Programs" by Johannes Stitz, which each program's ``source`` in knowledge/programs.yml cites
by section. The expected values below are copied from it: this is the one unit-test module
that checks the facts of knowledge/, on purpose, and the one place where they are written
outside it.
When a school publishes a new figure and staff change the file, this check fails until it
is changed too, and so does its check that the conversation suite (tests/conversations/,
which runs against the real bot and quotes the real figures) still quotes the file; the
tests of the logic run on tests/fixtures/knowledge and do not notice.
"""

import re
from pathlib import Path

import pytest

from advisor.knowledge import DEFAULT_DIR, OnlineStatus, Residency, Unit, load
from advisor.tuition import derived_totals, money
from scripts.conversations import conversation_files, load_conversation

KNOWLEDGE = load(DEFAULT_DIR)  # never PACS_KNOWLEDGE_DIR: this checks the real file


def program(program_id):
    return KNOWLEDGE.program(program_id)


def tuition(program_id):
    return [(f.amount, f.unit, f.residency) for f in program(program_id).tuition]


# --- the five programs, fact by fact --------------------------------------------------------


@pytest.mark.parametrize(
    "program_id, name, aliases, city, state",
    [
        (
            "oit",
            "Oregon Institute of Technology",
            {"OIT", "Oregon Tech"},
            "Klamath Falls",
            "Oregon",
        ),
        ("hacc", "Harrisburg Area Community College", {"HACC"}, "Harrisburg", "Pennsylvania"),
        ("weber", "Weber State University", {"Weber", "Weber State"}, "Ogden", "Utah"),
        ("clarkson", "Clarkson College", {"Clarkson"}, "Omaha", "Nebraska"),
        ("efsc", "Eastern Florida State College", {"EFSC", "Eastern Florida"}, "Cocoa", "Florida"),
    ],
)
def test_each_program_has_its_name_aliases_and_place(program_id, name, aliases, city, state):
    entry = program(program_id)
    assert entry.name == name
    assert aliases <= set(entry.aliases)
    assert (entry.location.city, entry.location.state) == (city, state)


@pytest.mark.parametrize(
    "program_id, body, abbreviation",
    [
        ("oit", "Northwest Commission on Colleges and Universities", "NWCCU"),
        ("hacc", "Middle States Commission on Higher Education", "MSCHE"),
        ("weber", "Northwest Commission on Colleges and Universities", "NWCCU"),
        ("clarkson", "The Higher Learning Commission", "HLC"),
        ("efsc", "Southern Association of Colleges and Schools Commission on Colleges", "SACSCOC"),
    ],
)
def test_each_program_names_its_accreditor_in_full_and_abbreviated(program_id, body, abbreviation):
    assert program(program_id).accreditation.body == body
    assert program(program_id).accreditation.abbreviation == abbreviation


@pytest.mark.parametrize(
    "program_id, text, months",
    [
        ("oit", "six to 12 months", (6, 12)),
        ("hacc", "three years", (36, 36)),
        ("weber", "six to 12 months", (6, 12)),
        ("clarkson", "six to 12 months", (6, 12)),
        ("efsc", "six months", (6, 6)),
    ],
)
def test_each_program_states_its_expected_time_to_completion(program_id, text, months):
    duration = program(program_id).duration
    assert duration.text == text
    assert (duration.min_months, duration.max_months) == months


def test_tuition_keeps_amount_unit_and_residency_apart():
    assert tuition("oit") == [(281, Unit.PER_CREDIT, Residency.ANY)]
    assert tuition("hacc") == [(14198, Unit.PROGRAM_TOTAL, Residency.ANY)]
    assert tuition("weber") == [
        (6228, Unit.PER_YEAR, Residency.IN_STATE),
        (16644, Unit.PER_YEAR, Residency.OUT_OF_STATE),
    ]
    assert tuition("clarkson") == [(632, Unit.PER_CREDIT, Residency.ANY)]
    assert tuition("efsc") == [
        (2496, Unit.PER_SEMESTER, Residency.IN_STATE),
        (9739, Unit.PER_SEMESTER, Residency.OUT_OF_STATE),
    ]


def test_oit_is_standalone_with_no_financial_aid():
    oit = program("oit")
    assert oit.admission.standalone is True
    assert oit.admission.institution_admission_required is False
    assert oit.financial_aid.available is False
    assert "OIT homepage" in oit.financial_aid.note


def test_efsc_requires_an_arrt_ardms_or_nmtcb_licence():
    efsc = program("efsc")
    assert efsc.admission.licensure_required == ["ARRT", "ARDMS", "NMTCB"]
    for registry in (
        "American Registry of Radiologic Technologists",
        "American Registry of Diagnostic Medical Sonographers",
        "Nuclear Medicine Technology Certification Board",
    ):
        assert registry in efsc.admission.summary
    assert "degree in medical imaging" in efsc.admission.summary


def test_online_availability_is_as_the_article_states_it():
    assert program("weber").online.status is OnlineStatus.FULLY_ONLINE
    assert program("clarkson").online.status is OnlineStatus.FULLY_ONLINE
    assert program("hacc").online.status is OnlineStatus.DISTANCE_OPTIONS
    assert "distance learning" in program("hacc").online.note
    # The article is silent on these two: the file must not guess.
    assert program("oit").online.status is OnlineStatus.UNKNOWN
    assert program("efsc").online.status is OnlineStatus.UNKNOWN


def test_only_clarkson_publishes_start_terms_and_credit_hours():
    assert program("clarkson").start_terms == ["spring", "summer", "fall"]
    assert program("clarkson").credential.credit_hours == 12
    for other in ("oit", "hacc", "weber", "efsc"):
        assert program(other).start_terms == []
        assert program(other).credential.credit_hours is None


def test_hacc_awards_a_radiology_informatics_associate_degree_with_abii_route():
    hacc = program("hacc")
    assert hacc.credential.kind.value == "degree"
    others = {program(p).credential.kind.value for p in ("oit", "weber", "clarkson", "efsc")}
    assert others == {"certificate"}
    assert hacc.credential.name == "Radiology Informatics Associate in Applied Science"
    assert hacc.certification.prepares_for == "all three levels of PACS certification"
    assert hacc.certification.abii_exam_eligible is True
    assert "three years" in hacc.certification.abii_note


def test_weber_counts_for_continuing_education_with_the_registry_named_as_in_the_article():
    """The article's "AART" (beside the ARRT it likely means) is kept in its words, flagged."""
    weber = program("weber")
    first, second = weber.certification.continuing_education
    assert first == "American Board of Imaging Informatics (ABII)"
    assert second.startswith("American Association of Radiologic Technologists (AART) [")
    assert "as the source writes it" in second
    assert "School of Radiologic Sciences" in weber.credential.name


def test_clarkson_qualifies_for_the_abii_exam_after_12_semester_hours():
    clarkson = program("clarkson")
    assert clarkson.certification.abii_exam_eligible is True
    assert "12 semester hours" in clarkson.certification.abii_note


def test_no_program_has_an_invented_contact_and_each_names_its_source():
    for entry in KNOWLEDGE.programs:
        assert entry.contact is None
        assert entry.name in entry.source


# --- general topics ---------------------------------------------------------------------------


def test_accreditation_topic_lists_the_six_regional_bodies():
    points = KNOWLEDGE.topic("accreditation").points
    assert [p.split("(")[-1].rstrip(")") for p in points] == [
        "MSCHE",
        "NWCCU",
        "HLC",
        "WASC",
        "SACS",
        "NEASC",
    ]


def test_typical_admission_requirements_are_the_four_basics():
    assert KNOWLEDGE.topic("admission_requirements").points == [
        "a completed high school degree or equivalency",
        "application documents and fees",
        "course transcripts (where relevant)",
        "a letter of recommendation",
    ]


def test_topics_explain_pacs_the_certificate_and_abii():
    assert "Picture Archiving and Communication Systems" in KNOWLEDGE.topic("what_is_pacs").text
    certificate = KNOWLEDGE.topic("pacs_certificate").text
    assert "only widely accepted certification" in certificate
    assert "career booster" in certificate
    assert "American Board of Imaging Informatics" in KNOWLEDGE.topic("abii").text


# --- the conversation suite quotes the real file's figures ----------------------------------


def _file_figures() -> set[str]:
    """Every amount the bot may quote: the file's tuition and the totals it derives."""
    amounts = set()
    for program_ in KNOWLEDGE.programs:
        amounts |= {money(figure.amount) for figure in program_.tuition}
        amounts |= {money(total.amount) for total in derived_totals(program_)}
    return amounts


def test_the_file_s_amounts_and_derived_totals_are_the_article_s():
    known = _file_figures()
    assert {"$6,228", "$16,644", "$632", "$7,584", "$14,198", "$2,496", "$9,739"} <= known
    assert "$12,456" not in known  # two years at Weber is not a published figure


@pytest.mark.parametrize("path", conversation_files(), ids=lambda p: Path(p).stem)
def test_every_figure_the_conversation_suite_expects_is_one_the_file_holds(path):
    """tests/conversations/ quotes the real file's figures (it runs against the real bot):
    after a figure changes there, the suite is changed with it."""
    known = _file_figures()
    for turn in load_conversation(path)["turns"]:
        for key in ("contains", "absent", "in_order"):
            for item in turn.get(key) or []:
                for text in item if isinstance(item, list) else [item]:
                    for figure in re.findall(r"\$\d[\d,]*(?:\.\d\d)?", str(text)):
                        assert figure in known, f"{figure} ({turn['user']!r}) is not in the file"
