"""What a student says about themselves is kept as their profile, and where they live is
their residency, not a place to look for schools."""

import pytest
from conftest import FIXTURE_KNOWLEDGE

from advisor.advising import Budget
from advisor.knowledge import Residency, Unit, load
from advisor.matching import matcher_for
from advisor.profile import Profile, stated

KNOWLEDGE = load(FIXTURE_KNOWLEDGE)
MATCHER = matcher_for(KNOWLEDGE)


def said(text: str) -> Profile:
    return stated(text, MATCHER.find(text))[0]


@pytest.mark.parametrize(
    "text, state",
    [
        ("which is cheaper for me, i live in utah", "Utah"),
        ("im in florida. whats the fastest", "Florida"),
        ("can i do weber online while living in texas?", "Texas"),
        ("actually I moved to Ohio", "Ohio"),
        ("as a Utah resident how much is weber", "Utah"),
        ("i am from texas and work full time", "Texas"),
        ("hey so im an arrt registered rad tech in utah, looking for a pacs cert", "Utah"),
    ],
)
def test_where_a_student_lives_is_their_state(text, state):
    assert said(text).state == state
    assert stated(text, MATCHER.find(text))[1] == (state,)


@pytest.mark.parametrize(
    "text", ["is there a program in florida?", "I'm looking for programs in Florida"]
)
def test_a_state_asked_about_is_not_where_the_student_lives(text):
    assert said(text).state is None


@pytest.mark.parametrize(
    "text, licensed, registries",
    [
        ("I'm ARRT registered, can I get into EFSC?", True, ("ARRT",)),
        ("i have my ARDMS", True, ("ARDMS",)),
        ("i'm a registered radiologic technologist", True, ()),
        ("I don't have a license", False, ()),
        ("do I need ARRT to apply?", None, ()),  # a question, not a statement
        ("im a sonographer, ARDMS registered, want the quickest option", True, ("ARDMS",)),
        ("do I have to be ARRT registered?", None, ()),
    ],
)
def test_a_license_or_registry_the_student_holds(text, licensed, registries):
    profile = said(text)
    assert (profile.licensed, profile.registries) == (licensed, registries)


def test_online_budget_time_and_credential_said_in_passing():
    assert said("it has to be online").online_only is True
    assert said("my budget is $8,000 a year").budget == Budget(8000, Unit.PER_YEAR)
    assert said("i want to finish within a year").months == 12
    assert said("i'd like a degree").credential == "degree"
    assert said("how much is a degree at HACC?").credential is None


def test_a_later_statement_replaces_an_earlier_one_and_keeps_the_rest():
    before = Profile(state="Utah", licensed=True, registries=("ARRT",))
    after = before.merged(Profile(state="Ohio"))
    assert after == Profile(state="Ohio", licensed=True, registries=("ARRT",))


def test_residency_is_in_state_only_at_a_program_in_the_students_state():
    weber, clarkson = KNOWLEDGE.program("weber"), KNOWLEDGE.program("clarkson")
    utah = Profile(state=weber.location.state)
    assert utah.residency_at(weber) is Residency.IN_STATE
    assert utah.residency_at(clarkson) is Residency.OUT_OF_STATE
    assert Profile().residency_at(weber) is None


def test_the_profile_survives_the_slot_and_garbage_reads_as_nothing_said():
    profile = Profile(state="Utah", registries=("ARRT",), budget=Budget(7000, Unit.PER_YEAR))
    assert Profile.from_dict(profile.as_dict()) == profile
    assert Profile.from_dict({"budget": {"amount": "lots"}}) == Profile()
    assert Profile.from_dict("oops") == Profile()
    assert Profile.from_dict({"state": "Utah", "shoe_size": 9}) == Profile(state="Utah")


def test_one_thing_said_can_be_forgotten_and_a_license_takes_its_registries_with_it():
    profile = Profile(state="Utah", licensed=True, registries=("ARRT",), months=12)
    assert profile.forgetting("months") == Profile(
        state="Utah", licensed=True, registries=("ARRT",)
    )
    assert profile.forgetting("licensed") == Profile(state="Utah", months=12)
    with pytest.raises(KeyError):
        profile.forgetting("shoe_size")


def test_saying_there_is_no_license_drops_the_registries_said_before():
    before = Profile(licensed=True, registries=("ARRT",))
    assert before.merged(Profile(licensed=False)) == Profile(licensed=False)


@pytest.mark.parametrize(
    "text",
    [
        "i'm not registered with any of them yet",
        "im not licensed yet",
        "I don't have any registration",
    ],
)
def test_not_being_registered_yet_is_no_license(text):
    assert said(text).licensed is False


@pytest.mark.parametrize(
    "text",
    ["actually online doesn't matter, i could relocate", "on campus is fine", "i can relocate"],
)
def test_a_change_of_mind_about_online_study_is_said_and_counts_as_a_wish(text):
    profile = said(text)
    assert profile.online_only is False
    assert profile.tells_wishes()
    assert profile.wishes().fully_online is None  # no longer a filter


def test_a_wish_tried_out_with_what_if_is_a_wish():
    profile = said("ok what if i just did a certificate under 8000")
    assert (profile.credential, profile.budget) == ("certificate", Budget(8000))


def test_a_budget_said_without_its_unit_keeps_the_unit_said_before():
    before = Profile(budget=Budget(15000, Unit.PROGRAM_TOTAL))
    assert before.merged(Profile(budget=Budget(8000))).budget == Budget(8000, Unit.PROGRAM_TOTAL)


def test_where_they_live_alone_is_no_wish():
    assert not said("i live in utah").tells_wishes()
