"""`make report`: unanswered questions grouped and counted from a real tracker store."""

import asyncio

from conftest import FIXTURE_KNOWLEDGE
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from advisor import replies
from advisor.knowledge import load
from scripts.report import read_turns, topics, unanswered, write


def user(text, intent, when):
    return UserUttered(text, intent={"name": intent, "confidence": 0.9}, timestamp=when)


def test_unanswered_questions_are_grouped_by_reason_program_and_fact(tmp_path):
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    day = 86400.0
    events = [
        user("is there aid at Weber?", "ask_question", 1 * day),
        SlotSet("programs", ["weber"]),
        SlotSet("fact", "financial_aid"),
        BotUttered("I don't have information about financial aid for Weber State University."),
        user("what about grants at Weber", "ask_question", 3 * day),
        SlotSet("programs", ["weber"]),
        SlotSet("fact", "financial_aid"),
        BotUttered("I don't have information about financial aid for Weber State University."),
        user("tell me a joke", "out_of_scope", 2 * day),
        ActionExecuted("utter_out_of_scope"),
        user("blorp", "nlu_fallback", 2 * day),
        ActionExecuted("action_clarify"),
        # A blank of the question library, its topic as the NLU decided it.
        UserUttered(
            "what's the application fee?",
            intent={"name": "ask_question", "confidence": 0.9},
            parse_data={"meaning": {"intent": "ask_question", "topic": "application_fee"}},
            timestamp=4 * day,
        ),
        BotUttered("I don't have information about the application fee: ..."),
        user("how much is Stanford?", "ask_question", 2 * day),
        BotUttered(replies.unknown_school(load(FIXTURE_KNOWLEDGE), ["Stanford"])),
        # Low confidence, but the advising form took it as an answer: understood.
        user("nope, not licensed", "nlu_fallback", 2 * day),
        ActionExecuted("advising_form"),
        user("anything in Texas?", "filter_programs", 2 * day),
        ActionExecuted("action_filter_programs"),
        BotUttered(replies.no_program_in(load(FIXTURE_KNOWLEDGE), ["Texas"])),
        user("Is the GRE required?", "ask_question", 2 * day),
        BotUttered(replies.unfamiliar(["GRE"])),
        user("where is Clarkson?", "ask_question", 2 * day),
        SlotSet("programs", ["clarkson"]),
        SlotSet("fact", "location"),
        BotUttered("Clarkson College is in Omaha, Nebraska."),
    ]
    asyncio.run(store.save(DialogueStateTracker.from_events("s1", events)))

    turns = read_turns(f"sqlite:///{tmp_path / 't.db'}")
    groups = unanswered(turns)

    assert [(g.reason, g.program, g.topic, g.count) for g in groups] == [
        ("not in the knowledge file", "weber", "financial_aid", 2),
        ("a school not in the knowledge file", "", "", 1),
        ("a term the knowledge file never mentions", "", "", 1),
        ("no program in the state asked about", "", "", 1),
        ("not in the knowledge file", "", "application_fee", 1),
        ("not understood (closest topics offered)", "", "", 1),
        ("out of scope", "", "", 1),
    ]
    assert groups[0].examples == ["is there aid at Weber?", "what about grants at Weber"]
    assert topics(turns)[("weber", "financial_aid")] == 2

    write(groups, topics(turns), tmp_path / "out")
    assert (
        "| not in the knowledge file | weber | financial_aid | 2 | 1970-01-02 | 1970-01-04 |"
        in (tmp_path / "out" / "unanswered.md").read_text()
    )
    assert (tmp_path / "out" / "unanswered.png").stat().st_size > 0
