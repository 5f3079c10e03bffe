"""Actions: a decided meaning and a tracker go in, messages and slot events come out — all
from the knowledge files, here the test ones (tests/fixtures/knowledge, made-up tuition
figures). What a message means is decided by the NLU (tests/test_understanding.py); here it
is given, as the NLU would hand it over."""

import json
from dataclasses import replace

import pytest
from conftest import FIXTURE_KNOWLEDGE
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    ActionAnswerQuestion,
    ActionClarify,
    ActionComparePrograms,
    ActionFilterPrograms,
    ActionListPrograms,
    ActionNoteProfile,
    ActionRankPrograms,
)
from advisor import replies
from advisor.advising import Constraints, rank_by_cost
from advisor.knowledge import load
from advisor.profile import Profile
from advisor.understanding import Meaning

KNOWLEDGE = load(FIXTURE_KNOWLEDGE)
pytestmark = pytest.mark.usefixtures("actions_on_fixture_knowledge")


def tracker(intent, programs=(), states=(), slots=None, **meaning):
    """A tracker whose latest message means this: intent, programs, states and the rest of a
    ``Meaning`` (topic, reference, comparative, ...)."""
    decided = Meaning(intent, programs=tuple(programs), states=tuple(states), **meaning)
    return Tracker(
        sender_id="student",
        slots={"programs": None, "fact": None, **(slots or {})},
        latest_message={
            "intent": {"name": intent, "confidence": 0.99},
            "entities": [{"entity": "program", "value": p} for p in programs],
            "text": "(not read by the actions)",
            "meaning": decided.as_dict(),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def ask(topic, programs=(), **kwargs):
    return tracker("ask_question", programs, topic=topic, **kwargs)


# What every answer adds to the conversation's memory (tested on its own below).
MEMORY = ("seen", "last_meaning")


def run(action, tracker_):
    """The messages and the events of an answer, its memory of the conversation aside."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker_, {})
    return dispatcher.messages, [e for e in events if e.get("name") not in MEMORY]


def texts(messages):
    return [m["text"] for m in messages]


def test_a_cost_question_about_a_named_program_answers_from_the_file_and_sets_the_focus():
    messages, events = run(ActionAnswerQuestion(), ask("cost", ["clarkson"]))
    assert texts(messages) == [replies.fact(KNOWLEDGE, "clarkson", "cost")]
    assert "$645 per credit hour" in messages[0]["text"]
    assert "$7,740 (12 credit hours x $645)" in messages[0]["text"]
    assert events == [SlotSet("programs", ["clarkson"]), SlotSet("fact", "cost")]


def test_a_follow_up_without_a_name_uses_the_program_in_focus():
    messages, events = run(
        ActionAnswerQuestion(), ask("location", slots={"programs": ["clarkson"]})
    )
    assert texts(messages) == ["Clarkson College is in Omaha, Nebraska."]
    assert SlotSet("programs", ["clarkson"]) in events


def test_and_at_another_school_keeps_the_question_and_switches_the_program():
    messages, events = run(
        ActionAnswerQuestion(),
        tracker("inform_program", ["weber"], slots={"programs": ["clarkson"], "fact": "duration"}),
    )
    assert texts(messages) == [replies.fact(KNOWLEDGE, "weber", "duration")]
    assert events == [SlotSet("programs", ["weber"]), SlotSet("fact", "duration")]


def test_a_program_named_alone_with_no_earlier_question_gets_an_overview():
    messages, _ = run(ActionAnswerQuestion(), tracker("inform_program", ["efsc"]))
    assert texts(messages) == [replies.fact(KNOWLEDGE, "efsc", "overview")]


def test_several_programs_in_one_question_are_all_answered_in_order():
    messages, events = run(ActionAnswerQuestion(), ask("duration", ["hacc", "efsc"]))
    assert texts(messages) == [
        "Harrisburg Area Community College: the expected time to completion is three years.",
        "Eastern Florida State College: the expected time to completion is six months.",
    ]
    assert SlotSet("programs", ["hacc", "efsc"]) in events


def test_a_named_state_stands_for_the_programs_located_there():
    messages, events = run(ActionAnswerQuestion(), ask("online", states=["Utah"]))
    assert texts(messages) == [replies.fact(KNOWLEDGE, "weber", "online")]
    assert SlotSet("programs", ["weber"]) in events


def test_the_list_shows_every_program_in_file_order_with_overview_buttons():
    messages, _ = run(ActionListPrograms(), tracker("list_programs"))
    text = messages[0]["text"]
    assert text.splitlines()[1] == "1. Oregon Institute of Technology (Klamath Falls, Oregon)"
    assert text.splitlines()[5] == "5. Eastern Florida State College (Cocoa, Florida)"
    assert messages[0]["buttons"][1]["payload"] == (
        '/ask_question{"program": "hacc", "topic": "program_overview"}'
    )


def test_the_cheaper_one_after_a_comparison_ranks_only_the_programs_compared():
    after_comparison = {"shown": ["oit", "clarkson"]}
    messages, events = run(
        ActionRankPrograms(),
        tracker("rank_programs", slots=after_comparison, comparative=True, rank_by="cost"),
    )
    text = messages[0]["text"]
    assert "- Per credit hour: Oregon Tech $295 < Clarkson $645" in text.splitlines()
    assert "Weber State University" not in text and "Harrisburg" not in text
    assert events == [SlotSet("shown", ["oit", "clarkson"])]  # in the order shown


def test_unlike_units_are_never_called_cheaper_each_figure_is_shown_instead():
    messages, _ = run(
        ActionRankPrograms(),
        tracker("rank_programs", slots={"shown": ["weber", "efsc"]}, comparative=True),
    )
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "I can't say which is cheaper: their tuition comes in different units."
    assert "Weber State $6,150 per year (in-state)" in lines[1]
    assert "EFSC $2,410 per semester (in-state)" in lines[1]
    assert not any("<" in line or ">" in line for line in lines)


def test_cheapest_with_no_comparative_ranks_every_program_even_after_a_comparison():
    messages, _ = run(
        ActionRankPrograms(),
        tracker("rank_programs", slots={"shown": ["weber", "efsc"]}, rank_by="cost"),
    )
    text = messages[0]["text"]
    assert text.startswith("Tuition comes in different units, so like with like, cheapest")
    for program in KNOWLEDGE.programs:
        assert replies.short_name(program) in text
    assert len(text.splitlines()) <= 5  # a phone's screen


def test_a_program_without_tuition_in_the_file_is_named_not_dropped():
    clarkson = KNOWLEDGE.program("clarkson")
    knowledge = replace(
        KNOWLEDGE,
        programs=tuple(p if p.id != "clarkson" else clarkson.copy(update={"tuition": []})
                       for p in KNOWLEDGE.programs),
    )  # fmt: skip
    text, shown = replies.cost_ranking(knowledge, rank_by_cost(knowledge, ["oit", "clarkson"]),
                                       ["oit", "clarkson"])  # fmt: skip
    assert "- Not in my records: tuition at Clarkson" in text.splitlines()
    assert shown == ["oit", "clarkson"]


def test_which_takes_longer_of_the_compared_puts_the_longest_first():
    messages, _ = run(
        ActionRankPrograms(),
        tracker(
            "rank_programs",
            slots={"shown": ["weber", "hacc"]},
            comparative=True,
            rank_by="duration",
            descending=True,
        ),
    )
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "From longest to fastest:"
    assert lines[1].startswith("1. Harrisburg Area Community College: three years")
    assert len(lines) == 3


def test_a_state_with_no_program_is_said_plainly_not_answered_for_the_program_in_focus():
    messages, events = run(
        ActionAnswerQuestion(),
        ask("cost", states=["Texas"], slots={"programs": ["clarkson"]}),
    )
    (text,) = texts(messages)
    assert text.startswith("None of the PACS programs in my records is in Texas.")
    assert "Oregon, Pennsylvania, Utah, Nebraska and Florida" in text
    assert "fully online: Weber State University and Clarkson College" in text
    assert "$645" not in text and events == []
    assert "anywhere" not in text  # the article says fully online, not from anywhere


def test_a_list_asked_for_a_state_with_no_program_says_so():
    messages, _ = run(ActionListPrograms(), tracker("list_programs", states=["California"]))
    assert texts(messages)[0].startswith("None of the PACS programs in my records is in California")


def test_a_named_program_wins_over_a_state_the_student_lives_in():
    messages, _ = run(ActionAnswerQuestion(), ask("online", ["weber"], states=["Texas"]))
    assert texts(messages) == [replies.fact(KNOWLEDGE, "weber", "online")]


def test_a_place_filter_with_no_program_there_points_to_the_online_ones():
    messages, events = run(
        ActionFilterPrograms(),
        tracker("filter_programs", states=["Ohio"], constraints=Constraints(states=("Ohio",))),
    )
    assert texts(messages)[0].startswith("None of the PACS programs in my records is in Ohio.")
    assert events == []


def test_a_place_filter_combined_with_other_wishes_is_judged_program_by_program():
    messages, _ = run(
        ActionFilterPrograms(),
        tracker(
            "filter_programs",
            states=["Ohio"],
            constraints=Constraints(fully_online=True, states=("Ohio",)),
        ),
    )
    assert texts(messages)[0].startswith("No program is known to match all of that.")


def test_compare_it_with_another_puts_the_program_in_focus_first():
    messages, events = run(
        ActionComparePrograms(),
        tracker("compare_programs", ["weber"], slots={"programs": ["clarkson"]}),
    )
    assert messages[0]["text"].startswith("Clarkson vs Weber State\n")
    assert messages[0]["custom"]["table"]["columns"][1:] == [
        "Clarkson College",
        "Weber State University",
    ]
    assert SlotSet("shown", ["clarkson", "weber"]) in events


def test_compare_with_one_program_and_nothing_in_focus_asks_for_a_second():
    messages, events = run(ActionComparePrograms(), tracker("compare_programs", ["weber"]))
    assert messages[0]["text"] == replies.NEED_TWO
    assert len(messages[0]["buttons"]) == len(KNOWLEDGE.programs) and events == []


# --- the question library ------------------------------------------------------------------


def test_a_per_program_question_naming_no_program_gets_every_programs_answer_at_once():
    messages, events = run(ActionAnswerQuestion(), ask("duration"))
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "Expected time to completion, for each of the 5 programs I know:"
    assert lines[1] == "1. Oregon Institute of Technology: six to 12 months"
    assert lines[3] == "3. Weber State University: six to 12 months"
    assert lines[-1] == "Pick one for the details."
    buttons = messages[0]["buttons"]
    assert [b["title"] for b in buttons] == [p.name for p in KNOWLEDGE.programs]
    assert json.loads(buttons[3]["payload"].removeprefix("/ask_question")) == {
        "program": "clarkson",
        "topic": "duration",
    }
    assert events == [
        SlotSet("fact", "duration"),
        SlotSet("shown", [p.id for p in KNOWLEDGE.programs]),
    ]


def test_a_program_the_file_says_nothing_about_is_not_in_my_records_in_the_compact_reply():
    messages, _ = run(ActionAnswerQuestion(), ask("start_terms"))
    lines = messages[0]["text"].splitlines()
    assert "4. Clarkson College: spring, summer or fall" in lines
    assert "1. Oregon Institute of Technology: not in my records" in lines


@pytest.mark.parametrize(
    "program_id, topic, unknown_fact",
    [
        ("oit", "online", "whether the program can be taken online"),
        ("weber", "financial_aid", "financial aid"),
        ("efsc", "start_terms", "the start terms"),
    ],
)
def test_a_fact_the_file_lacks_is_admitted_with_where_to_ask(program_id, topic, unknown_fact):
    messages, _ = run(ActionAnswerQuestion(), ask(topic, [program_id]))
    name = KNOWLEDGE.program(program_id).name
    assert texts(messages) == [
        f"I don't have information about {unknown_fact} for {name}. "
        f"Please ask {name}'s admissions office directly."
    ]


def test_a_blank_topic_names_what_is_unknown_for_the_program_and_offers_what_is_known():
    messages, events = run(ActionAnswerQuestion(), ask("application_fee", ["clarkson"]))
    (message,) = messages
    assert message["text"].startswith(
        "I don't have information about the application fee for Clarkson College. "
        "Clarkson College's admissions office can tell you."
    )
    assert "$645" not in message["text"]  # never the neighbouring fact (tuition)
    titles = [b["title"] for b in message["buttons"]]
    assert titles == ["The admission requirements", "The tuition"]
    assert json.loads(message["buttons"][1]["payload"].removeprefix("/ask_question")) == {
        "topic": "cost",
        "program": "clarkson",
    }
    assert events == [
        SlotSet("fact", "application_fee"),
        SlotSet("programs", ["clarkson"]),
        SlotSet(
            "unanswered",
            ["I don't have information about the application fee for Clarkson College."],
        ),
    ]


def test_a_blank_field_wide_topic_names_who_can_tell():
    messages, _ = run(ActionAnswerQuestion(), ask("salary"))
    assert messages[0]["text"].startswith(
        "I don't have information about salaries: the program facts I answer from don't "
        "include it. The school's career services can tell you."
    )


def test_two_blank_topics_in_doubt_are_both_named():
    messages, _ = run(
        ActionAnswerQuestion(), ask("waitlist", alternatives=("waitlist", "acceptance_rate"))
    )
    assert messages[0]["text"].startswith(
        "I don't have information about the waiting list or how competitive admission is"
    )


def test_a_general_topic_is_explained_from_the_topics_file_phone_sized_with_more_a_click_away():
    messages, events = run(ActionAnswerQuestion(), ask("accreditation_explained"))
    (message,) = messages
    whole = replies.topic(KNOWLEDGE, "accreditation")
    assert len(message["text"]) <= replies.BRIEF_CHARS < len(whole)
    assert whole.startswith(message["text"])
    assert message["buttons"] == [replies.more_button("accreditation_explained")]
    assert events == [SlotSet("fact", "accreditation_explained")]


def test_a_text_that_introduces_its_list_keeps_the_list_in_the_short_version():
    messages, _ = run(ActionAnswerQuestion(), ask("admission_requirements"))
    (message,) = messages
    assert message["text"].startswith("Requirements vary between schools and programs.")
    assert "- a letter of recommendation" in message["text"]
    assert len(message["text"]) <= replies.BRIEF_WITH_LIST
    assert message["buttons"] == [replies.more_button("admission_requirements")]


def test_tell_me_more_gives_the_whole_text():
    messages, _ = run(ActionAnswerQuestion(), ask("accreditation_explained", full=True))
    assert texts(messages) == [replies.topic(KNOWLEDGE, "accreditation")]
    assert "New England Association of Schools and Colleges (NEASC)" in messages[0]["text"]


def test_a_text_that_needs_no_cut_is_whole_with_no_more_button():
    messages, _ = run(ActionAnswerQuestion(), ask("abii"))
    assert texts(messages) == [replies.topic(KNOWLEDGE, "abii")]
    assert not messages[0]["buttons"]


def test_a_general_topic_that_names_a_program_is_answered_for_that_program():
    messages, events = run(ActionAnswerQuestion(), ask("abii", ["oit"]))
    assert texts(messages) == [replies.fact(KNOWLEDGE, "oit", "exams")]
    assert events == [SlotSet("programs", ["oit"]), SlotSet("fact", "abii")]


def test_the_abii_topic_adds_what_each_program_says_about_abii():
    messages, _ = run(ActionAnswerQuestion(), ask("abii"))
    text = messages[0]["text"]
    assert "- Clarkson College: Students qualify for the ABII examination" in text
    assert "Oregon Institute of Technology" not in text


def test_and_for_everyone_else_narrows_a_tuition_answer_to_out_of_state_figures():
    messages, _ = run(
        ActionAnswerQuestion(),
        tracker(
            "inform_program",
            slots={"programs": ["weber"], "fact": "cost"},
            residency="out_of_state",
        ),
    )
    (text,) = texts(messages)
    assert "$15,900 per year (out-of-state)" in text
    assert "$6,150" not in text


def test_a_school_not_in_the_file_is_never_answered_as_the_program_in_focus():
    messages, events = run(
        ActionAnswerQuestion(),
        ask("cost", unknown_schools=("Stanford",), slots={"programs": ["clarkson"]}),
    )
    (text,) = texts(messages)
    assert text.startswith("I have no records for Stanford. I know these 5 PACS programs:")
    assert "$645" not in text and events == []


def test_a_school_not_in_the_file_beside_one_in_it_is_named_before_the_answer():
    messages, _ = run(
        ActionAnswerQuestion(), ask("apply_how", programs=("oit",), unknown_schools=("MIT",))
    )
    first, *answer = texts(messages)
    name = KNOWLEDGE.program("oit").name
    assert first == f"I have no records for MIT, so this is about {name} only."
    assert answer and all("MIT" not in text for text in answer)


def test_a_topic_removed_from_the_library_is_not_guessed():
    messages, _ = run(ActionAnswerQuestion(), ask("no_such_topic"))
    assert messages[0]["text"].startswith("Sorry, I didn't understand your question")


def test_unsure_says_what_was_understood_and_offers_the_closest_topics():
    messages, events = run(
        ActionClarify(),
        tracker("nlu_fallback", ["weber"], alternatives=("cost", "fees_other")),
    )
    (message,) = messages
    assert message["text"] == (
        "I'm not sure what you'd like to know about Weber State University. "
        "Did you mean one of these?"
    )
    assert [b["title"] for b in message["buttons"]] == [
        "The tuition",
        "The fees besides tuition",
    ]
    assert events == [SlotSet("programs", ["weber"])]


def test_a_button_payload_carries_its_own_meaning():
    payload = Tracker(
        sender_id="student",
        slots={"programs": None, "fact": None},
        latest_message={
            "intent": {"name": "ask_question", "confidence": 1.0},
            "entities": [
                {"entity": "topic", "value": "location"},
                {"entity": "program", "value": "efsc"},
            ],
            "text": '/ask_question{"topic": "location", "program": "efsc"}',
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    messages, _ = run(ActionAnswerQuestion(), payload)
    assert texts(messages) == ["Eastern Florida State College is in Cocoa, Florida."]


# --- advising: directions and references ------------------------------------------------------


def test_most_expensive_ranks_the_dearest_first_within_like_units():
    messages, _ = run(
        ActionRankPrograms(), tracker("rank_programs", rank_by="cost", descending=True)
    )
    text = messages[0]["text"]
    assert "most expensive first" in text
    assert "- Per credit hour: Clarkson $645 > Oregon Tech $295" in text.splitlines()


def test_compare_all_of_them_compares_every_program_when_nothing_was_shown():
    messages, events = run(ActionComparePrograms(), tracker("compare_programs", reference="all"))
    assert messages[0]["custom"]["table"]["columns"][1:] == [p.name for p in KNOWLEDGE.programs]
    assert SlotSet("shown", [p.id for p in KNOWLEDGE.programs]) in events


def test_a_tentative_answer_offers_the_other_readings_beside_it():
    messages, _ = run(
        ActionAnswerQuestion(),
        ask("licensure_prerequisite", ["efsc"], alternatives=("admission_requirements",),
            tentative=True),
    )  # fmt: skip
    assert messages[0]["text"].startswith("Yes — Eastern Florida State College requires a license")
    assert messages[1]["text"] == replies.OR_DID_YOU_MEAN
    assert [b["title"] for b in messages[1]["buttons"]] == ["The admission requirements"]


def test_a_term_the_file_never_mentions_is_named_before_the_nearest_answer():
    messages, _ = run(
        ActionAnswerQuestion(), ask("admission_requirements", ("weber",), unfamiliar=("GRE",))
    )
    first, *answer = texts(messages)
    assert first == (
        "I have nothing about GRE in my records. What I do have on the admission requirements:"
    )
    assert answer


def test_an_unsure_question_with_an_unknown_term_names_the_term_instead_of_not_understanding():
    messages, _ = run(
        ActionClarify(),
        tracker("nlu_fallback", alternatives=("state_authorization",), unfamiliar=("NC-SARA",)),
    )
    assert messages[0]["text"] == (
        "I have nothing about NC-SARA in my records. Did you mean one of these?"
    )
    assert len(messages[0]["buttons"]) == 1


# --- the student's profile ------------------------------------------------------------------


def test_a_cost_answer_uses_where_the_student_lives_and_says_so():
    utah = {"profile": {"state": "Utah"}}
    messages, _ = run(ActionAnswerQuestion(), ask("cost", ["weber", "efsc"], slots=utah))
    weber, efsc = texts(messages)
    assert weber.startswith("For you, as a Utah resident: Estimated tuition at Weber")
    assert "$6,150 per year (in-state)" in weber and "$15,900" not in weber
    assert "$9,480 per semester (out-of-state)" in efsc and "$2,410" not in efsc


def test_what_a_message_says_about_the_student_is_kept_whatever_the_answer():
    said = Profile(state="Texas", licensed=True, registries=("ARRT",))
    _, events = run(ActionListPrograms(), tracker("list_programs", profile=said))
    kept = next(e["value"] for e in events if e["name"] == "profile")
    assert (kept["state"], kept["registries"]) == ("Texas", ("ARRT",))


def test_nothing_said_about_the_student_changes_nothing():
    _, events = run(ActionListPrograms(), tracker("list_programs"))
    assert all(e["name"] != "profile" for e in events)


def test_a_move_is_noted_and_the_last_cost_question_answered_again_for_the_new_state():
    before = {"profile": {"state": "Utah"}, "programs": ["weber"], "fact": "cost"}
    moved = tracker("share_profile", slots=before, profile=Profile(state="Ohio"))
    messages, events = run(ActionNoteProfile(), moved)
    noted, answer = texts(messages)
    assert noted.startswith("Noted: you live in Ohio.")
    assert answer.startswith("For you, as an Ohio resident:")
    assert "$15,900 per year (out-of-state)" in answer and "$6,150" not in answer
    assert next(e["value"] for e in events if e["name"] == "profile")["state"] == "Ohio"


def test_a_registered_student_hears_whether_they_meet_a_license_requirement():
    arrt = {"profile": {"licensed": True, "registries": ["ARRT"]}}
    messages, _ = run(ActionAnswerQuestion(), ask("licensure_prerequisite", ["efsc"], slots=arrt))
    assert "as an ARRT-registered technologist, you meet the license requirement." in (
        messages[0]["text"]
    )


def test_a_cost_ranking_for_a_resident_shows_only_the_figures_that_apply_to_them():
    utah = {"profile": {"state": "Utah"}}
    messages, _ = run(ActionRankPrograms(), tracker("rank_programs", rank_by="cost", slots=utah))
    text = messages[0]["text"]
    assert text.startswith("For you, as a Utah resident:")
    assert "Weber State $6,150 per year (in-state)" in text and "$15,900" not in text
    assert "EFSC $9,480 per semester (out-of-state)" in text and "$2,410" not in text


def test_every_question_of_a_message_is_answered_in_order():
    from advisor.understanding import Part

    parts = (Part("location", ("hacc",)), Part("cost", ("clarkson",)))
    messages, events = run(ActionAnswerQuestion(), ask("location", parts=parts))
    where, cost = texts(messages)
    assert where == replies.fact(KNOWLEDGE, "hacc", "location")
    assert cost == replies.fact(KNOWLEDGE, "clarkson", "cost")
    assert events[-1] == SlotSet("fact", "cost")


def test_what_the_bot_knows_about_the_student_is_said_back():
    kept = {"profile": {"state": "Ohio", "licensed": True, "registries": ["ARRT"]}}
    messages, _ = run(ActionNoteProfile(), tracker("share_profile", slots=kept))
    assert texts(messages) == [
        "So far: you live in Ohio and you're ARRT-registered. Tell me if anything has changed."
    ]


def test_a_comparison_of_every_program_fits_a_phone_and_keeps_every_caveat():
    messages, _ = run(ActionComparePrograms(), tracker("compare_programs", reference="all"))
    text = messages[0]["text"]
    assert len(text) <= 600
    assert "(an estimate; the source gives no unit)" in text
    assert text.splitlines()[-1] == "Ask for location, accreditation or prerequisites."


def test_a_value_every_program_shares_is_said_once():
    messages, _ = run(ActionComparePrograms(), tracker("compare_programs", ["weber", "clarkson"]))
    assert "- Online: yes (both)" in messages[0]["text"].splitlines()


def test_a_wish_said_in_passing_is_noted_and_what_fits_is_shown():
    wants = Profile(credential="degree")
    messages, events = run(ActionNoteProfile(), tracker("share_profile", profile=wants))
    noted, fits = texts(messages)
    assert noted == "Noted: you'd prefer a degree. I'll take that into account."
    assert fits.startswith("These programs match:\n1. Harrisburg Area Community College")
    assert SlotSet("shown", events[-1]["value"]) in events


def test_a_student_who_said_nothing_hears_what_they_could_say_with_registries_from_the_file():
    messages, _ = run(ActionNoteProfile(), tracker("share_profile"))
    (text,) = texts(messages)
    assert text.startswith("You haven't told me anything about yourself yet.")
    required = KNOWLEDGE.program("efsc").admission.licensure_required
    assert f"(e.g. {', '.join(required)})" in text


def handing_over(able: bool, unanswered: list[str]) -> Tracker:
    """A question about a blank topic, on a channel that can hand over (or not)."""
    asked = ask("application_fee", ["clarkson"], slots={"unanswered": unanswered})
    asked.latest_message["metadata"] = {"handoff": True} if able else None
    return asked


def test_the_second_i_dont_have_that_offers_a_person_where_the_chat_can_hand_over():
    messages, _ = run(ActionAnswerQuestion(), handing_over(True, ["I don't have X."]))
    assert messages[-1]["text"] == replies.HANDOFF_OFFER
    assert messages[-1]["buttons"] == [replies.ASK_HUMAN_BUTTON]
    first, _ = run(ActionAnswerQuestion(), handing_over(True, []))
    third, _ = run(ActionAnswerQuestion(), handing_over(True, ["X.", "Y."]))
    assert replies.HANDOFF_OFFER not in texts(first) + texts(third)


def test_a_chat_that_cannot_hand_over_never_offers_a_person():
    messages, _ = run(ActionAnswerQuestion(), handing_over(False, ["I don't have X."]))
    assert replies.HANDOFF_OFFER not in texts(messages)


@pytest.mark.parametrize("able", [True, False])
def test_asking_for_a_person_is_confirmed_first_or_answered_honestly(able):
    from actions.handoff import ActionHandoff

    asking = tracker("ask_human")
    asking.latest_message["metadata"] = {"handoff": able}
    messages, events = run(ActionHandoff(), asking)
    expected = replies.HANDOFF_CONFIRM if able else replies.HANDOFF_UNAVAILABLE
    assert texts(messages) == [expected] and events == []


def test_confirmed_the_channel_gets_what_staff_will_see_and_nothing_else():
    from actions.handoff import ActionHandoff

    confirmed = tracker("ask_human", slots={"programs": ["clarkson"], "unanswered": ["No fee."]})
    confirmed.latest_message["metadata"] = {"handoff": True}
    confirmed.latest_message["entities"] = [{"entity": "handoff", "value": "confirm"}]
    intent = {"name": "ask_question"}
    confirmed.events = [
        {"event": "user", "text": "what's the fee at clarkson", "parse_data": {"intent": intent}},
        {"event": "bot", "text": "No fee."},
        {"event": "user", "text": "real person please",
         "parse_data": {"intent": {"name": "ask_human"}}},
        {"event": "bot", "text": replies.HANDOFF_CONFIRM},
        {"event": "user", "text": '/ask_human{"handoff": "confirm"}'},
    ]  # fmt: skip
    messages, _ = run(ActionHandoff(), confirmed)
    (message,) = messages
    assert message["custom"] == {
        "handoff": {
            "asked": "what's the fee at clarkson",
            "programs": ["Clarkson College"],
            "unanswered": ["No fee."],
            "turns": [
                {"speaker": "student", "text": "what's the fee at clarkson"},
                {"speaker": "bot", "text": "No fee."},
            ],
        }
    }


# --- a conversation: what the student told, and what they saw -------------------------------


def test_a_ranking_leaves_out_what_the_students_profile_rules_out_and_says_why():
    unlicensed = {"profile": {"licensed": False}}
    messages, events = run(
        ActionRankPrograms(), tracker("rank_programs", slots=unlicensed, rank_by="duration")
    )
    text = messages[0]["text"]
    assert "Eastern Florida" not in text.splitlines()[1]
    assert text.splitlines()[-1] == (
        "Left out for you: EFSC (requires a license (ARRT / ARDMS / NMTCB))."
    )
    assert "efsc" not in next(e["value"] for e in events if e["name"] == "shown")


def test_a_lone_winner_of_a_ranking_is_the_program_in_focus():
    _, events = run(ActionRankPrograms(), tracker("rank_programs", rank_by="duration"))
    assert SlotSet("programs", ["efsc"]) in events  # "do i need a license for that one?"


def test_a_cost_ranking_in_one_unit_ranks_only_that_units_figures():
    messages, _ = run(
        ActionRankPrograms(), tracker("rank_programs", rank_by="cost", unit="per_credit")
    )
    assert messages[0]["text"].splitlines() == [
        "Per credit hour, cheapest first:",
        "- Per credit hour: Oregon Tech $295 < Clarkson $645",
        "- No figure per credit hour in my records: HACC, Weber State and EFSC",
    ]


def test_a_filter_on_one_thing_remembers_it_as_the_question_for_a_follow_up():
    summer = Constraints(start_term="summer")
    _, events = run(ActionFilterPrograms(), tracker("filter_programs", constraints=summer))
    assert SlotSet("fact", "start_terms") in events  # "and the other one?" asks it again


def test_is_that_my_best_option_judges_the_program_last_talked_about_against_the_profile():
    slots = {"programs": ["efsc"], "profile": {"licensed": False}}
    messages, events = run(
        ActionRankPrograms(), tracker("rank_programs", slots=slots, checking=True, rank_by="fit")
    )
    assert messages[0]["text"].startswith("It isn't a match for what you told me: Eastern")
    assert events == [SlotSet("programs", ["efsc"])]


def test_an_answer_remembers_the_programs_it_talked_about_and_what_the_message_meant():
    before = {"seen": [["weber"], ["oit", "clarkson"]]}
    events = ActionAnswerQuestion().run(
        CollectingDispatcher(), ask("cost", ["clarkson"], slots=before), {}
    )
    memory = {e["name"]: e["value"] for e in events if e.get("name") in MEMORY}
    assert memory["seen"] == [["clarkson"], ["weber"], ["oit", "clarkson"]]
    assert Meaning.from_dict(memory["last_meaning"]).topic == "cost"


def test_the_message_before_is_read_from_memory_not_from_the_events_sent():
    before = {"last_meaning": Meaning("rank_programs", checking=True, rank_by="cost").as_dict()}
    slots = {**before, "programs": ["clarkson", "hacc"]}
    messages, _ = run(
        ActionRankPrograms(),
        tracker("rank_programs", slots=slots, comparative=True, rank_by="duration"),
    )
    assert messages[0]["text"].startswith("Yes: Clarkson comes out quicker.")
