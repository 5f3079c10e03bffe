"""Program names are recognised from the knowledge file: aliases, typos, and nothing else."""

import pytest
from conftest import FIXTURE_KNOWLEDGE, edit_programs

from advisor.knowledge import load
from advisor.matching import PROGRAM, US_STATE, NameMatcher

MATCHER = NameMatcher(load(FIXTURE_KNOWLEDGE))


def found(text):
    return [(m.entity, m.value) for m in MATCHER.find(text)]


@pytest.mark.parametrize(
    "text, program_id",
    [
        ("How much is Oregon Institute of Technology?", "oit"),
        ("is oregon tech online", "oit"),
        ("what does OIT cost", "oit"),
        ("tell me about HACC", "hacc"),
        ("Harrisburg Area Community College tuition", "hacc"),
        ("Weber State University in Utah", "weber"),
        ("weber's program", "weber"),
        ("what about Clarkson?", "clarkson"),
        ("Eastern Florida State College", "efsc"),
        ("EFSC prerequisites", "efsc"),
        ("the school in Omaha", "clarkson"),
    ],
)
def test_names_and_aliases_from_the_file_are_recognised(text, program_id):
    assert MATCHER.programs_in(text) == [program_id]


@pytest.mark.parametrize(
    "text, program_id",
    [
        ("how much is Clarksen", "clarkson"),
        ("clarksn?", "clarkson"),
        ("is Webber State online", "weber"),
        ("Wever State", "weber"),
        ("harisburg area comunity college", "hacc"),
        ("Eastern Florda State College", "efsc"),
        ("Orgeon Institute of Technolgy", "oit"),
    ],
)
def test_misspelled_names_are_recognised(text, program_id):
    assert MATCHER.programs_in(text) == [program_id]


@pytest.mark.parametrize(
    "text",
    [
        "what is the in-state tuition?",
        "which state is it in?",
        "is it a state university or a community college?",
        "I'd like hot cocoa",  # a city is a name only when capitalised
        "the weather is weaker today",
        "tell me about the program at the college",
        "clark kent",
        "",
        "   ",
    ],
)
def test_ordinary_words_are_not_taken_for_programs(text):
    assert MATCHER.programs_in(text) == []


def test_several_programs_come_back_in_the_order_written_each_once():
    text = "compare Weber, Clarkson and OIT — and Weber State again"
    assert MATCHER.programs_in(text) == ["weber", "clarkson", "oit"]


def test_the_longest_name_wins_over_a_state_inside_it():
    assert found("Eastern Florida State College costs") == [(PROGRAM, "efsc")]
    assert found("schools in Florida") == [(US_STATE, "Florida")]


def test_every_us_state_is_recognised_even_where_no_program_is():
    assert found("any programs in Texas?") == [(US_STATE, "Texas")]
    assert found("I live in new york") == [(US_STATE, "New York")]
    assert found("the main thing is the price") == []  # exact names only, never fuzzy


def test_mentions_carry_their_exact_position():
    text = "Is Weber State online?"
    (match,) = MATCHER.find(text)
    assert text[match.start : match.end] == "Weber State"


def test_a_very_long_message_is_handled():
    text = "tuition " * 5000 + "at Clarkson"
    assert MATCHER.programs_in(text) == ["clarkson"]


def test_a_program_added_to_the_knowledge_file_is_recognised_without_new_nlu_data(
    knowledge_copy,
):
    edit_programs(
        knowledge_copy,
        lambda programs: programs.append(
            {
                "id": "lakeshore",
                "name": "Lakeshore Technical Institute",
                "aliases": ["LTI", "Lakeshore Tech"],
                "location": {"city": "Duluth", "state": "Minnesota"},
                "source": "Test entry, Lakeshore Technical Institute.",
            }
        ),
    )
    matcher = NameMatcher(load(knowledge_copy))

    assert matcher.programs_in("how much does Lakeshore Technical Institute cost?") == ["lakeshore"]
    assert matcher.programs_in("is LTI online") == ["lakeshore"]
    assert matcher.programs_in("Lakshore Tech admission") == ["lakeshore"]
    assert [(m.entity, m.value) for m in matcher.find("anything in Minnesota?")] == [
        (US_STATE, "Minnesota")
    ]
