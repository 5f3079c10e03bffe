"""What a message asks is decided once, in ``advisor.understanding``: these are its rules.

The intent and the question library's topic guess come from the trained model; here they
are given, so that each rule of interpretation is checked on its own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from advisor.advising import Budget
from advisor.knowledge import Residency, Unit, load
from advisor.matching import matcher_for
from advisor.topics import TopicGuess
from advisor.understanding import CONFIDENT, Meaning, understand

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = load()
MATCHER = matcher_for(KNOWLEDGE)
NO_TOPIC = TopicGuess(())


def meaning(
    text: str, intent: str = "ask_question", guess: TopicGuess = NO_TOPIC, confidence: float = 0.9
) -> Meaning:
    intents = [(intent, confidence), ("out_of_scope", min(confidence, 1 - confidence) / 2)]
    return understand(text, intents, MATCHER.find(text), guess, KNOWLEDGE)


def sure(topic: str) -> TopicGuess:
    return TopicGuess(((topic, CONFIDENT + 0.2), ("cost", 0.05)), nearest=topic)


def training_examples(intent: str) -> list[str]:
    data = yaml.safe_load((ROOT / "data" / "nlu.yml").read_text(encoding="utf-8"))
    block = next(b for b in data["nlu"] if b.get("intent") == intent)
    return [line.strip()[2:] for line in block["examples"].splitlines() if line.strip()]


# --- every advising example of the training data parses to a usable decision -------------


@pytest.mark.parametrize("text", training_examples("filter_programs"))
def test_every_filter_example_carries_at_least_one_constraint(text):
    decided = meaning(text, "filter_programs")
    assert decided.intent == "filter_programs"
    assert not decided.constraints.is_empty()


@pytest.mark.parametrize("text", training_examples("rank_programs"))
def test_every_ranking_example_says_what_to_rank_by(text):
    decided = meaning(text, "rank_programs")
    assert decided.intent == "rank_programs"
    assert decided.rank_by in ("cost", "duration")


@pytest.mark.parametrize("text", training_examples("compare_programs"))
def test_every_comparison_example_names_programs_or_refers_to_the_list_shown(text):
    decided = meaning(text, "compare_programs")
    assert decided.programs or decided.reference


# --- rankings go the way the student said ---------------------------------------------------


@pytest.mark.parametrize(
    "text, rank_by, descending",
    [
        ("which program is the cheapest?", "cost", False),
        ("which one is the most expensive", "cost", True),
        ("rank them from cheapest to most expensive", "cost", False),
        ("which one takes the longest", "duration", True),
        ("which is the slowest", "duration", True),
        ("sort by duration", "duration", False),
        ("order them by tuition", "cost", False),
    ],
)
def test_rankings_go_in_the_direction_asked(text, rank_by, descending):
    decided = meaning(text, "rank_programs")
    assert (decided.rank_by, decided.descending) == (rank_by, descending)


# --- constraints ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, months",
    [
        ("programs I can finish in 6 months", 6),
        ("anything that takes 12 months or less", 12),
        ("done in a year at most", 12),
        ("which ones are shorter than a year", 12),
    ],
)
def test_duration_limits_in_every_common_phrasing(text, months):
    assert meaning(text, "filter_programs").constraints.max_months == months


def test_part_time_is_a_question_about_part_time_study_not_a_duration():
    decided = meaning("can I do it part-time?", "filter_programs", sure("part_time_study"))
    assert decided.intent == "ask_question"
    assert decided.topic == "part_time_study"
    assert decided.constraints.max_months is None


def test_a_budget_keeps_its_amount_unit_and_residency():
    decided = meaning("anything in Utah under $7,000 a year in-state", "filter_programs")
    assert decided.constraints.budget == Budget(7000, Unit.PER_YEAR, Residency.IN_STATE)
    assert decided.constraints.states == ("Utah",)


def test_an_accreditor_named_by_the_start_of_its_name_is_a_constraint():
    decided = meaning("schools accredited by the Middle States Commission", "filter_programs")
    assert decided.constraints.accreditor == "MSCHE"


# --- references ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, reference",
    [
        ("tell me more about the first one", "first"),
        ("the last one please", "last"),
        ("compare all of them", "all"),
        ("compare them", "all"),
        ("how do the two differ", "all"),
    ],
)
def test_references_to_the_list_shown(text, reference):
    intent = "compare_programs" if "compare" in text or "differ" in text else "inform_program"
    assert meaning(text, intent).reference == reference


@pytest.mark.parametrize("text", ["what is the last day to apply", "is the first term online"])
def test_an_ordinal_that_is_not_about_the_list_is_no_reference(text):
    assert meaning(text).reference is None


def test_a_program_called_by_its_city_is_that_program():
    assert meaning("what about the Harrisburg program?", "inform_program").programs == ("hacc",)


@pytest.mark.parametrize(
    "text, residency",
    [("and for everyone else?", "out_of_state"), ("what about in-state students?", "in_state")],
)
def test_a_residency_follow_up_is_the_same_question_for_other_students(text, residency):
    decided = meaning(text, "inform_program", confidence=0.2)
    assert (decided.intent, decided.residency) == ("inform_program", residency)


# --- names the file does not hold -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, school",
    [
        ("how much is Stanford?", "Stanford"),
        ("is Johns Hopkins online?", "Johns Hopkins"),
        ("what about University of Utah", "University of Utah"),
    ],
)
def test_a_school_not_in_the_file_is_recognised_as_unknown(text, school):
    decided = meaning(text, "ask_question", sure("cost"))
    assert decided.unknown_schools == (school,)
    assert decided.states == ()  # "University of Utah" is not the program in Utah


@pytest.mark.parametrize(
    "text",
    [
        "Does the GI Bill Cover Education Expenses for Trade School?",
        "How Important is Regional Accreditation?",
        "Is Weber State accredited?",
        "can I start in January at Clarkson",
        "is Texas any good for this?",
    ],
)
def test_capitals_alone_do_not_make_a_school(text):
    assert meaning(text).unknown_schools == ()


# --- topics ----------------------------------------------------------------------------------


def test_a_clear_topic_is_a_question_about_that_topic_even_if_the_classifier_said_otherwise():
    guess = TopicGuess((("salary", 0.8),), nearest="salary", similarity=0.7)
    decided = meaning("what's the salary?", "out_of_scope", guess)
    assert (decided.intent, decided.topic) == ("ask_question", "salary")


def test_out_of_scope_stands_against_a_topic_without_a_close_example():
    guess = TopicGuess((("program_overview", 0.4),), nearest="program_overview", similarity=0.5)
    assert meaning("tell me a joke", "out_of_scope", guess).intent == "out_of_scope"


def test_an_unsure_classifier_is_a_fall_back_not_a_guess():
    assert meaning("hmm", "greet", confidence=0.2).intent == "nlu_fallback"


def test_a_state_asked_about_with_nothing_else_understood_is_a_question_of_place():
    decided = meaning("is there a PACS program in Texas?", "ask_question", confidence=0.9)
    assert decided.intent == "filter_programs"
    assert decided.constraints.states == ("Texas",)


def test_a_blank_topic_is_asked_not_listed():
    decided = meaning(
        "What payment options are available?", "list_programs", sure("payment_plan"), 0.7
    )
    assert (decided.intent, decided.topic) == ("ask_question", "payment_plan")


def test_an_unsure_topic_offers_the_closest_ones():
    guess = TopicGuess((("cost", 0.3), ("fees_other", 0.25), ("books_and_supplies_cost", 0.1)))
    decided = meaning("what do I pay?", "ask_question", guess)
    assert decided.intent == "nlu_fallback"
    assert decided.alternatives == ("cost", "fees_other", "books_and_supplies_cost")


def test_a_lower_probability_is_enough_when_the_nearest_example_agrees():
    guess = TopicGuess((("waitlist", 0.3), ("acceptance_rate", 0.1)), nearest="waitlist")
    assert meaning("is there a queue to get in?", guess=guess).topic == "waitlist"


def test_two_blank_topics_in_doubt_are_both_kept_to_be_named():
    guess = TopicGuess((("waitlist", 0.3), ("acceptance_rate", 0.25)), nearest="acceptance_rate")
    decided = meaning("how many get in?", guess=guess)
    assert decided.topic == "waitlist"
    assert decided.alternatives == ("waitlist", "acceptance_rate")


def test_the_meaning_survives_the_trip_to_the_action_server_as_json():
    decided = meaning("anything in Utah under $7,000 a year in-state", "filter_programs")
    assert Meaning.from_dict(json.loads(json.dumps(decided.as_dict()))) == decided


def test_a_meaning_from_another_version_of_the_nlu_is_read_without_failing():
    read = Meaning.from_dict({"constraints": {"colour": "blue"}, "residency": "everyone"})
    assert (read.intent, read.residency, read.constraints.is_empty()) == (
        "nlu_fallback",
        None,
        True,
    )


@pytest.mark.parametrize(
    "text",
    [
        "what about the Harrisburg program?",
        "and EFSC?",
        "how about Weber then",
        "Clarkson",
        "the one in Omaha",
        "same question for Clarkson",
        "and the Utah one?",
    ],
)
def test_a_bare_program_name_is_the_last_question_about_another_program(text):
    guess = TopicGuess((("program_overview", 0.8),), nearest="program_overview", similarity=0.8)
    assert meaning(text, "ask_question", guess).intent == "inform_program"


def test_a_question_that_names_a_program_is_not_a_bare_follow_up():
    guess = TopicGuess((("cost", 0.8),), nearest="cost", similarity=0.8)
    assert meaning("how much is Weber?", "ask_question", guess).topic == "cost"


def test_with_a_program_named_a_likely_fact_is_answered_and_the_rest_offered():
    guess = TopicGuess((("admission_requirements", 0.3), ("online", 0.15), ("cost", 0.1)))
    decided = meaning("do I need to enrol at Oregon Tech itself?", guess=guess)
    assert (decided.topic, decided.tentative) == ("admission_requirements", True)
    assert decided.alternatives == ("online", "cost")


@pytest.mark.parametrize(
    "text, rank_by",
    [("which is the cheapest per year?", "cost"), ("lowest tuition per year", "cost")],
)
def test_a_cost_ranking_that_mentions_time_is_still_about_cost(text, rank_by):
    assert meaning(text, "rank_programs").rank_by == rank_by


@pytest.mark.parametrize(
    "text", ["is it offered both online and on campus?", "what's the cost, all in?"]
)
def test_both_and_all_in_ordinary_sentences_are_no_reference(text):
    assert meaning(text).reference is None


@pytest.mark.parametrize(
    "text", ["I'm from Chicago, what does it cost?", "is Cerner experience required?"]
)
def test_a_place_or_a_product_is_not_taken_for_a_school(text):
    assert meaning(text).unknown_schools == ()


def test_a_resident_question_that_is_no_follow_up_is_not_a_follow_up():
    assert meaning("Do you accept non-residents?", confidence=0.2).intent != "inform_program"


def test_a_list_with_a_wish_is_a_filter():
    decided = meaning("list the online ones", "list_programs")
    assert decided.intent == "filter_programs"
    assert decided.constraints.fully_online is True


def test_online_with_a_program_named_asks_whether_that_program_is_online():
    guess = TopicGuess((("online", 0.68),), nearest="online", similarity=0.8)
    decided = meaning("What programs does Oregon Tech offer online?", "filter_programs", guess)
    assert (decided.intent, decided.topic, decided.programs) == ("ask_question", "online", ("oit",))


def test_a_question_the_library_is_nearly_certain_of_is_no_request_for_advice():
    guess = TopicGuess((("contact", 0.99),), nearest="contact", similarity=0.79)
    decided = meaning("Who should I go to for the latest information?", "get_advice", guess, 0.54)
    assert (decided.intent, decided.topic) == ("ask_question", "contact")


def test_help_choosing_stays_advice_when_the_library_is_merely_likely():
    guess = TopicGuess((("program_overview", 0.7),), nearest="program_overview", similarity=0.5)
    assert meaning("help me pick a program", "get_advice", guess).intent == "get_advice"


def test_a_question_with_a_likely_topic_is_not_taken_for_a_list_by_the_runner_up():
    guess = TopicGuess((("pacs_certificate", 0.46), ("what_is_pacs", 0.45)), nearest="what_is_pacs")
    text = "What are PACS certificates?"
    intents = [("ask_question", 0.63), ("list_programs", 0.33)]
    decided = understand(text, intents, MATCHER.find(text), guess, KNOWLEDGE)
    assert decided.intent == "nlu_fallback"
    assert decided.alternatives[:2] == ("pacs_certificate", "what_is_pacs")


def test_a_question_without_a_topic_is_the_advising_runner_up():
    text = "how does it stack up against Weber State?"
    intents = [("ask_question", 0.5), ("compare_programs", 0.4)]
    decided = understand(text, intents, MATCHER.find(text), TopicGuess(()), KNOWLEDGE)
    assert decided.intent == "compare_programs"


def test_online_alone_gives_way_to_a_confident_topic_its_nearest_example_agrees_with():
    text = "Do online programs charge in-state or out-of-state tuition?"
    agreed = TopicGuess((("state_residency", 0.67),), nearest="state_residency", similarity=0.77)
    decided = meaning(text, "filter_programs", agreed, 0.66)
    assert (decided.intent, decided.topic) == ("ask_question", "state_residency")
    doubted = TopicGuess((("state_residency", 0.67),), nearest="online", similarity=0.77)
    assert meaning(text, "filter_programs", doubted, 0.66).intent == "filter_programs"


@pytest.mark.parametrize(
    "text, terms",
    [
        ("Is the GRE required?", ("GRE",)),
        ("Does Oregon Tech accept CLEP courses?", ("CLEP",)),
        ("Is the CIIP exam hard?", ()),  # the file knows the CIIP
        ("is HACC online?", ()),  # a program's name
        ("HOW MANY CE CREDITS DO I NEED?", ()),  # capitals of a shout, not acronyms
        ("Can I attend if I live in the US?", ()),  # everyday writing
    ],
)
def test_an_acronym_the_knowledge_files_never_use_is_unfamiliar(text, terms):
    assert meaning(text).unfamiliar == terms


@pytest.mark.parametrize(
    "text, school",
    [
        ("What is The Clarkson School?", "The Clarkson School"),
        ("how much is Clarkson University?", "Clarkson University"),
        ("tell me about Harrisburg University", "Harrisburg University"),
    ],
)
def test_a_program_name_inside_another_kind_of_school_is_that_other_school(text, school):
    decided = meaning(text)
    assert decided.unknown_schools == (school,)
    assert decided.programs == ()


@pytest.mark.parametrize(
    "text, program",
    [("Is Weber State University online?", "weber"), ("what about Clarkson College", "clarkson")],
)
def test_a_program_by_its_own_kind_of_school_is_that_program(text, program):
    decided = meaning(text)
    assert (decided.programs, decided.unknown_schools) == ((program,), ())


def test_a_comparison_runner_up_wins_over_a_topic_that_is_not_clear():
    text = "how does it stack up against Weber State?"
    intents = [("ask_question", 0.5), ("compare_programs", 0.4)]
    guess = TopicGuess((("program_overview", 0.3), ("cost", 0.2)), nearest="cost")
    decided = understand(text, intents, MATCHER.find(text), guess, KNOWLEDGE)
    assert decided.intent == "compare_programs"


# --- several questions in one message -------------------------------------------------------


@pytest.mark.parametrize(
    "text, parts",
    [
        ("how much is clarkson and when can i start", ["how much is clarkson", "when can i start"]),
        (
            "how long is weber, how much for in state, and is it online",
            ["how long is weber", "how much for in state", "is it online"],
        ),
        (
            "can i do that one online? and do i need clinical experience for it",
            ["can i do that one online", "and do i need clinical experience for it"],
        ),
        ("where are weber and clarkson", []),  # one question about two programs
        ("what is the cost and duration of weber", []),
    ],
)
def test_a_message_is_taken_apart_where_a_new_question_starts(text, parts):
    from advisor.understanding import question_spans

    assert [text[s:e] for s, e in question_spans(text)] == parts


def _clear(topic: str) -> TopicGuess:
    return TopicGuess(((topic, 0.8),), nearest=topic)


def test_each_question_of_a_message_is_a_part_with_its_programs():
    text = "where is hacc and how much is clarkson"
    split = text.index(" and ")
    parts = [(0, split, _clear("location")), (split + 5, len(text), _clear("cost"))]
    decided = understand(text, [("ask_question", 0.9)], MATCHER.find(text), NO_TOPIC, KNOWLEDGE,
                         parts)  # fmt: skip
    assert decided.intent == "ask_question"
    assert [(p.topic, p.programs) for p in decided.parts] == [
        ("location", ("hacc",)),
        ("cost", ("clarkson",)),
    ]


def test_a_part_without_a_program_is_about_the_programs_of_the_message():
    text = "how much is clarkson and when can i start"
    parts = [(0, 20, _clear("cost")), (25, len(text), _clear("start_terms"))]
    decided = understand(text, [("ask_question", 0.9)], MATCHER.find(text), NO_TOPIC, KNOWLEDGE,
                         parts)  # fmt: skip
    assert [p.programs for p in decided.parts] == [("clarkson",), ("clarkson",)]


def test_a_message_with_a_part_not_understood_is_not_taken_apart():
    text = "how much is clarkson and when can i start"
    unsure = TopicGuess((("start_terms", 0.3), ("cost", 0.2)), nearest="cost")
    parts = [(0, 20, _clear("cost")), (25, len(text), unsure)]
    decided = understand(text, [("ask_question", 0.9)], MATCHER.find(text), NO_TOPIC, KNOWLEDGE,
                         parts)  # fmt: skip
    assert decided.parts == ()


def test_parts_survive_the_trip_to_the_action_server():
    text = "where is hacc and how much is clarkson"
    parts = [(0, 13, _clear("location")), (18, len(text), _clear("cost"))]
    decided = understand(text, [("ask_question", 0.9)], MATCHER.find(text), NO_TOPIC, KNOWLEDGE,
                         parts)  # fmt: skip
    assert Meaning.from_dict(json.loads(json.dumps(decided.as_dict()))) == decided


def test_where_the_student_lives_is_no_filter_unless_they_ask_for_schools_near_them():
    ranked = meaning("im in florida. whats the fastest", "rank_programs")
    assert (ranked.states, ranked.constraints.states, ranked.profile.state) == ((), (), "Florida")
    near = meaning("I'm in Texas, is there a program near me?", "filter_programs")
    assert near.constraints.states == ("Texas",)


@pytest.mark.parametrize(
    "text, intent",
    [
        ("actually I moved to Ohio", "ask_question"),  # resembles a residency question
        ("i live in utah", "filter_programs"),
        ("what do you know about me so far", "out_of_scope"),
    ],
)
def test_a_statement_about_the_student_is_noted_not_answered(text, intent):
    guess = TopicGuess((("state_residency", 0.8),), nearest="state_residency")
    assert meaning(text, intent, guess).intent == "share_profile"


def test_a_question_with_a_statement_in_it_is_answered():
    guess = TopicGuess((("cost", 0.8),), nearest="cost")
    decided = meaning("i live in utah, how much is weber?", "ask_question", guess)
    assert (decided.intent, decided.topic, decided.profile.state) == (
        "ask_question",
        "cost",
        "Utah",
    )


@pytest.mark.parametrize(
    "text, rank_by, programs",
    [
        ("so clarkson is cheaper for me now, right?", "cost", ("clarkson",)),
        ("is clarkson cheaper than weber for me now?", "cost", ("clarkson", "weber")),
        ("so clarkson is quicker than hacc, right?", "duration", ("clarkson", "hacc")),
    ],
)
def test_a_conclusion_to_check_is_a_ranking_of_what_they_concluded_on(text, rank_by, programs):
    decided = meaning(text)
    assert (decided.intent, decided.checking, decided.rank_by) == ("rank_programs", True, rank_by)
    assert decided.programs == programs


def test_a_plain_which_question_is_no_conclusion_to_check():
    assert meaning("which is cheaper, weber or clarkson?").checking is False


def test_a_question_the_classifier_took_for_a_statement_is_read_by_the_rest_of_its_ranking():
    text = "I don't hold any radiology license, which programs would take me?"
    intents = [("share_profile", 0.67), ("filter_programs", 0.13), ("ask_question", 0.08)]
    decided = understand(text, intents, MATCHER.find(text), NO_TOPIC, KNOWLEDGE)
    assert decided.intent == "filter_programs"
    assert decided.constraints.no_licence is True


def test_a_place_the_student_lives_and_asks_about_is_both():
    decided = meaning("I live in Utah, anything there below $7,000 a year?", "filter_programs")
    assert decided.constraints.states == ("Utah",) and decided.constraints.budget is not None


@pytest.mark.parametrize(
    "text",
    [
        "After I graduate, when should I start getting Continuing Education (CEs)?",
        "With a degree in hand, what is the best course to become a PACS administrator?",
    ],
)
def test_a_clause_that_asks_nothing_does_not_make_a_second_question(text):
    from advisor.understanding import question_spans

    assert question_spans(text) == []


# --- leaving the guided form, and questions asked in it -------------------------------------


@pytest.mark.parametrize("text", ["stop", "Cancel", "never mind", "nevermind!", "ok stop please",
                                  "forget it"])  # fmt: skip
def test_stop_cancel_and_never_mind_leave_whatever_the_classifier_thought(text):
    assert meaning(text, "ask_question").intent == "stop"


@pytest.mark.parametrize("text", ["how do i cancel my application?", "stop asking about cost"])
def test_a_sentence_that_only_contains_stop_or_cancel_is_not_leaving(text):
    assert meaning(text, "ask_question").intent != "stop"


def test_whether_a_message_asks_something_is_part_of_its_meaning():
    assert meaning("how much is Weber?", guess=sure("cost")).asks
    assert meaning("is it online", guess=sure("online")).asks
    assert not meaning("within a year", guess=sure("duration")).asks
    assert not meaning("certificate is fine", guess=sure("credential")).asks


# --- conclusions, follow-ups and references of a conversation ---------------------------------


@pytest.mark.parametrize(
    "text, programs",
    [
        ("is that my best option?", ()),
        ("so is weber my best option from texas", ("weber",)),
        ("is it the right choice for me?", ()),
    ],
)
def test_is_that_my_best_option_checks_the_program_against_what_the_student_told(text, programs):
    decided = meaning(text)
    assert (decided.intent, decided.checking, decided.rank_by) == ("rank_programs", True, "fit")
    assert decided.programs == programs


def test_which_is_the_best_option_asks_for_advice_not_a_check():
    assert meaning("which is the best option for me?", "get_advice").checking is False


def test_a_figure_the_student_concluded_is_checked_with_its_unit():
    decided = meaning("so its 9739 a semester for me, and its 6 months so just one semester right?")
    assert (decided.checking, decided.rank_by) == (True, "cost")
    assert decided.figure == Budget(9739, Unit.PER_SEMESTER)


def test_a_question_with_an_amount_is_no_conclusion():
    decided = meaning("is there a program under $8000?", "filter_programs")
    assert (decided.checking, decided.figure) == (False, None)


@pytest.mark.parametrize(
    "text, reference",
    [
        ("and the first two?", "first_two"),
        ("what about those two?", "both"),
        ("and the others?", "others"),
    ],
)
def test_a_bare_reference_asks_the_last_question_again_about_them(text, reference):
    decided = meaning(text, "ask_question", sure("start_terms"))
    assert (decided.intent, decided.reference) == ("inform_program", reference)


@pytest.mark.parametrize(
    "text, reference",
    [("the top two, are they online?", "first_two"), ("those two, are they online?", "both")],
)
def test_the_top_two_of_a_list_are_not_those_two_last_talked_about(text, reference):
    assert meaning(text).reference == reference


def test_compare_both_with_a_program_keeps_both_and_adds_it():
    decided = meaning("compare both with oregon tech", "compare_programs")
    assert (decided.reference, decided.programs) == ("both", ("oit",))


def test_a_reference_to_one_program_with_a_clear_topic_is_a_question_about_it():
    decided = meaning("the last one, whats it cost", "rank_programs", sure("cost"))
    assert (decided.intent, decided.topic, decided.reference) == ("ask_question", "cost", "last")


@pytest.mark.parametrize(
    "text", ["tell me more", "more please", "ok, go on", "Tell me more about it"]
)
def test_tell_me_more_asks_for_the_whole_of_what_was_just_said(text):
    decided = meaning(text, "nlu_fallback", confidence=0.2)
    assert (decided.intent, decided.full) == ("inform_program", True)


def test_a_cost_ranking_may_name_its_unit():
    assert meaning("which is cheapest per credit hour", "rank_programs").unit == "per_credit"
    assert meaning("which is cheapest", "rank_programs").unit is None


@pytest.mark.parametrize(
    "text", ["im in utah btw, does that change anything", "ok what if i just did a certificate"]
)
def test_something_said_about_themselves_with_what_it_changes_is_their_profile(text):
    assert meaning(text, "list_programs").intent == "share_profile"


@pytest.mark.parametrize(
    "text", ["whats AART", "what does ardms stand for", "whats the AART thing it mentions"]
)
def test_what_a_registrys_letters_stand_for_is_the_registries_topic(text):
    decided = meaning(text, "ask_question", sure("arrt_certification"))
    assert (decided.intent, decided.topic) == ("ask_question", "registry_names")


def test_letters_that_are_no_registry_are_left_to_the_library():
    assert meaning("what is pacs", "ask_question", sure("pacs_definition")).topic == (
        "pacs_definition"
    )


@pytest.mark.parametrize("text", training_examples("ask_human"))
def test_every_way_of_asking_for_a_person_stays_a_request_for_one(text):
    assert meaning(text, "ask_human").intent == "ask_human"


@pytest.mark.parametrize(
    "text", ["admissions contact please", "who can I call at Clarkson?", "what's the phone number"]
)
def test_asking_for_a_contact_is_not_asking_for_a_person_to_chat_with(text):
    intents = [("ask_human", 0.6), ("ask_question", 0.3), ("out_of_scope", 0.1)]
    decided = understand(text, intents, MATCHER.find(text), sure("contact"), KNOWLEDGE)
    assert (decided.intent, decided.topic) == ("ask_question", "contact")


def test_a_statement_about_themselves_with_a_request_is_the_request():
    text = "im a sonographer, ARDMS registered, want the quickest option"
    intents = [("rank_programs", 0.446), ("share_profile", 0.403), ("filter_programs", 0.053)]
    decided = understand(
        text, intents, MATCHER.find(text), sure("licensure_prerequisite"), KNOWLEDGE
    )
    assert (decided.intent, decided.rank_by) == ("rank_programs", "duration")
    assert decided.profile.registries == ("ARDMS",)


def test_a_named_accreditor_makes_a_filter_even_when_a_question_came_close():
    text = "Is there a program accredited by the Higher Learning Commission?"
    intents = [("filter_programs", 0.479), ("ask_question", 0.473), ("list_programs", 0.012)]
    guess = sure("programmatic_accreditation")
    decided = understand(text, intents, MATCHER.find(text), guess, KNOWLEDGE)
    assert (decided.intent, decided.constraints.accreditor) == ("filter_programs", "HLC")
