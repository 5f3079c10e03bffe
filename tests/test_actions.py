"""Actions: a tracker goes in, messages and slot events come out — all from the knowledge file."""

import json
from dataclasses import replace

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    ActionAnswerFact,
    ActionComparePrograms,
    ActionExplainTopic,
    ActionFilterPrograms,
    ActionListPrograms,
    ActionRankPrograms,
)
from advisor import replies
from advisor.advising import rank_by_cost
from advisor.knowledge import load

KNOWLEDGE = load()


def tracker(intent, programs=(), states=(), slots=None, text=""):
    """A tracker whose latest message has this intent, these entities and this text."""
    entities = [{"entity": "program", "value": p} for p in programs]
    entities += [{"entity": "us_state", "value": s} for s in states]
    return Tracker(
        sender_id="student",
        slots={"programs": None, "fact": None, **(slots or {})},
        latest_message={
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities,
            "text": text,
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker_, {})
    return dispatcher.messages, events


def texts(messages):
    return [m["text"] for m in messages]


def test_a_cost_question_about_a_named_program_answers_from_the_file_and_sets_the_focus():
    messages, events = run(ActionAnswerFact(), tracker("ask_cost", ["clarkson"]))
    assert texts(messages) == [replies.fact(KNOWLEDGE, "clarkson", "cost")]
    assert "$632 per credit hour" in messages[0]["text"]
    assert "$7,584 (12 credit hours x $632 per credit hour)" in messages[0]["text"]
    assert events == [SlotSet("programs", ["clarkson"]), SlotSet("fact", "cost")]


def test_a_follow_up_without_a_name_uses_the_program_in_focus():
    messages, events = run(
        ActionAnswerFact(), tracker("ask_location", slots={"programs": ["clarkson"]})
    )
    assert texts(messages) == ["Clarkson College is in Omaha, Nebraska."]
    assert SlotSet("programs", ["clarkson"]) in events


def test_and_at_another_school_keeps_the_question_and_switches_the_program():
    messages, events = run(
        ActionAnswerFact(),
        tracker("inform_program", ["weber"], slots={"programs": ["clarkson"], "fact": "duration"}),
    )
    assert texts(messages) == [replies.fact(KNOWLEDGE, "weber", "duration")]
    assert events == [SlotSet("programs", ["weber"]), SlotSet("fact", "duration")]


def test_a_program_named_alone_with_no_earlier_question_gets_an_overview():
    messages, _ = run(ActionAnswerFact(), tracker("inform_program", ["efsc"]))
    assert texts(messages) == [replies.fact(KNOWLEDGE, "efsc", "overview")]


def test_several_programs_in_one_question_are_all_answered_in_order():
    messages, events = run(ActionAnswerFact(), tracker("ask_duration", ["hacc", "efsc"]))
    assert texts(messages) == [
        "Harrisburg Area Community College: the expected time to completion is three years.",
        "Eastern Florida State College: the expected time to completion is six months.",
    ]
    assert SlotSet("programs", ["hacc", "efsc"]) in events


def test_a_named_state_stands_for_the_programs_located_there():
    messages, events = run(ActionAnswerFact(), tracker("ask_online", states=["Utah"]))
    assert texts(messages) == [replies.fact(KNOWLEDGE, "weber", "online")]
    assert SlotSet("programs", ["weber"]) in events


def test_no_program_at_all_asks_which_one_with_a_button_per_program():
    messages, events = run(ActionAnswerFact(), tracker("ask_cost"))
    assert texts(messages) == ["Which program would you like to know the tuition for?"]
    buttons = messages[0]["buttons"]
    assert [b["title"] for b in buttons] == [p.name for p in KNOWLEDGE.programs]
    assert buttons[3]["payload"] == "/inform_program" + json.dumps({"program": "clarkson"})
    assert events == [SlotSet("fact", "cost")]


def test_an_admission_question_with_no_program_gives_the_typical_requirements_first():
    messages, _ = run(ActionAnswerFact(), tracker("ask_admission"))
    assert messages[0]["text"] == replies.topic(KNOWLEDGE, "admission_requirements")
    assert "letter of recommendation" in messages[0]["text"]
    assert messages[1]["buttons"]


@pytest.mark.parametrize(
    "program_id, intent, unknown_fact",
    [
        ("oit", "ask_online", "whether the program can be taken online"),
        ("weber", "ask_financial_aid", "financial aid"),
        ("efsc", "ask_start_terms", "the start terms"),
    ],
)
def test_a_fact_the_file_lacks_is_admitted_with_where_to_ask(program_id, intent, unknown_fact):
    messages, _ = run(ActionAnswerFact(), tracker(intent, [program_id]))
    name = KNOWLEDGE.program(program_id).name
    assert texts(messages) == [
        f"I don't have information about {unknown_fact} for {name}. "
        f"Please ask {name}'s admissions office directly."
    ]


def test_a_program_removed_from_the_file_is_dropped_from_the_focus():
    messages, events = run(ActionAnswerFact(), tracker("ask_cost", slots={"programs": ["gone"]}))
    assert messages[0]["buttons"]
    assert SlotSet("programs", ["gone"]) not in events


def test_general_topics_are_explained_from_the_topics_file():
    messages, events = run(ActionExplainTopic(), tracker("explain_accreditation"))
    assert texts(messages) == [replies.topic(KNOWLEDGE, "accreditation")]
    assert "New England Association of Schools and Colleges (NEASC)" in messages[0]["text"]
    assert events == []


def test_the_abii_topic_adds_what_each_program_says_about_abii():
    messages, _ = run(ActionExplainTopic(), tracker("explain_abii"))
    text = messages[0]["text"]
    assert "- Clarkson College: Students qualify for the ABII examination" in text
    assert "- Weber State University:" in text
    assert "Oregon Institute of Technology" not in text


def test_a_general_question_that_names_a_program_is_answered_for_that_program():
    messages, events = run(ActionExplainTopic(), tracker("explain_abii", ["oit"]))
    assert texts(messages) == [replies.fact(KNOWLEDGE, "oit", "exams")]
    assert events == [SlotSet("programs", ["oit"]), SlotSet("fact", "exams")]


def test_the_list_shows_every_program_in_file_order_with_overview_buttons():
    messages, _ = run(ActionListPrograms(), tracker("list_programs"))
    text = messages[0]["text"]
    assert text.splitlines()[1] == "1. Oregon Institute of Technology (Klamath Falls, Oregon)"
    assert text.splitlines()[5] == "5. Eastern Florida State College (Cocoa, Florida)"
    assert messages[0]["buttons"][1]["payload"] == '/ask_overview{"program": "hacc"}'


def test_the_cheaper_one_after_a_comparison_ranks_only_the_programs_compared():
    after_comparison = {"shown": ["oit", "clarkson"]}
    messages, events = run(
        ActionRankPrograms(),
        tracker("rank_programs", slots=after_comparison, text="the cheaper one?"),
    )
    text = messages[0]["text"]
    assert "Oregon Institute of Technology $281 per credit hour < Clarkson College $632" in text
    assert "Weber State University" not in text and "Harrisburg" not in text
    assert events == [SlotSet("shown", ["clarkson", "oit"])]  # groups in rank order


def test_unlike_units_are_never_called_cheaper_each_figure_is_shown_instead():
    messages, _ = run(
        ActionRankPrograms(),
        tracker(
            "rank_programs", slots={"shown": ["weber", "efsc"]}, text="which of them is cheaper"
        ),
    )
    lines = messages[0]["text"].splitlines()
    assert lines[0].startswith("I can't say which is cheaper: their tuition is quoted in different")
    assert "- per year, in-state: Weber State University $6,228 per year (in-state)" in lines
    assert (
        "- per semester, in-state: Eastern Florida State College $2,496 per semester (in-state)"
        in lines
    )
    assert not any("<" in line for line in lines)


def test_cheapest_with_no_comparative_ranks_every_program_even_after_a_comparison():
    messages, _ = run(
        ActionRankPrograms(),
        tracker("rank_programs", slots={"shown": ["weber", "efsc"]}, text="which is cheapest"),
    )
    text = messages[0]["text"]
    assert text.startswith("Tuition is quoted in different units, so I rank only like with like")
    for program in KNOWLEDGE.programs:
        assert program.name in text


def test_a_program_without_tuition_in_the_file_is_named_not_dropped():
    clarkson = KNOWLEDGE.program("clarkson")
    knowledge = replace(
        KNOWLEDGE,
        programs=tuple(p if p.id != "clarkson" else clarkson.copy(update={"tuition": []})
                       for p in KNOWLEDGE.programs),
    )  # fmt: skip
    text, shown = replies.cost_ranking(knowledge, rank_by_cost(knowledge, ["oit", "clarkson"]),
                                       ["oit", "clarkson"])  # fmt: skip
    assert "- Clarkson College: tuition is not in my records" in text.splitlines()
    assert shown == ["oit", "clarkson"]


def test_which_takes_longer_of_the_compared_puts_the_longest_first():
    messages, _ = run(
        ActionRankPrograms(),
        tracker(
            "rank_programs", slots={"shown": ["weber", "hacc"]}, text="which of these takes longer"
        ),
    )
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "From longest to fastest:"
    assert lines[1].startswith("1. Harrisburg Area Community College: three years")
    assert len(lines) == 3


def test_a_state_with_no_program_is_said_plainly_not_answered_for_the_program_in_focus():
    messages, events = run(
        ActionAnswerFact(),
        tracker("ask_cost", states=["Texas"], slots={"programs": ["clarkson"]}),
    )
    (text,) = texts(messages)
    assert text.startswith("None of the PACS programs in my records is in Texas.")
    assert "Oregon, Pennsylvania, Utah, Nebraska and Florida" in text
    assert "online, from anywhere: Weber State University and Clarkson College" in text
    assert "$632" not in text and events == []


def test_a_list_asked_for_a_state_with_no_program_says_so():
    messages, _ = run(ActionListPrograms(), tracker("list_programs", states=["California"]))
    assert texts(messages)[0].startswith("None of the PACS programs in my records is in California")


def test_a_named_program_wins_over_a_state_the_student_lives_in():
    messages, _ = run(ActionAnswerFact(), tracker("ask_online", ["weber"], states=["Texas"]))
    assert texts(messages) == [replies.fact(KNOWLEDGE, "weber", "online")]


def test_a_place_filter_with_no_program_there_points_to_the_online_ones():
    messages, events = run(
        ActionFilterPrograms(),
        tracker("filter_programs", states=["Ohio"], text="any programs in Ohio?"),
    )
    assert texts(messages)[0].startswith("None of the PACS programs in my records is in Ohio.")
    assert events == []


def test_a_place_filter_combined_with_other_wishes_is_judged_program_by_program():
    messages, _ = run(
        ActionFilterPrograms(),
        tracker("filter_programs", states=["Ohio"], text="anything online or in Ohio?"),
    )
    assert texts(messages)[0].startswith("No program is known to match all of that.")


def test_compare_it_with_another_puts_the_program_in_focus_first():
    messages, events = run(
        ActionComparePrograms(),
        tracker("compare_programs", ["weber"], slots={"programs": ["clarkson"]}),
    )
    assert messages[0]["text"].startswith("Clarkson College vs Weber State University")
    assert messages[0]["custom"]["table"]["columns"][1:] == [
        "Clarkson College",
        "Weber State University",
    ]
    assert SlotSet("shown", ["clarkson", "weber"]) in events


def test_compare_with_one_program_and_nothing_in_focus_asks_for_a_second():
    messages, events = run(ActionComparePrograms(), tracker("compare_programs", ["weber"]))
    assert messages[0]["text"] == replies.NEED_TWO
    assert len(messages[0]["buttons"]) == len(KNOWLEDGE.programs) and events == []
