"""The conversation suite's yardstick: how a turn is scored, which statements count as
unsupported claims, and whether the suite's own files are sound (every turn checkable, every
figure one the knowledge file holds)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scripts.conversations import (
    FORBIDDEN,
    ROOT,
    Message,
    Rule,
    check_turn,
    conversation_files,
    figures,
    findings_in,
    load_conversation,
    load_rules,
    run_conversation,
    sentences,
)

RULES = load_rules()
TURN_KEYS = {"user", "why", "contains", "absent", "in_order", "max_chars", "max_lines"}
FIGURE = re.compile(r"\$\d[\d,]*(?:\.\d\d)?")


def rule(**overrides) -> Rule:
    fields = dict(id="r", kind="claim", scope="sentence", all=("x",), none=(), why="w")
    return Rule(**{**fields, **overrides})


# --- scoring one turn -----------------------------------------------------------------------


def test_a_turn_is_right_when_everything_expected_is_there_and_nothing_forbidden():
    turn = {"user": "how much is weber?", "contains": ["$6,228", "Weber"], "absent": ["$632"]}
    result = check_turn(turn, [Message("Weber State University: $6,228 per year.")], RULES)
    assert result.correct


def test_an_expected_text_is_matched_case_insensitively():
    turn = {"user": "where?", "contains": ["utah"]}
    assert check_turn(turn, [Message("It is in Ogden, Utah.")], RULES).correct


def test_a_missing_text_makes_the_turn_wrong_and_is_named():
    turn = {"user": "and clarkson?", "contains": ["Weber", "Clarkson"]}
    result = check_turn(turn, [Message("Weber State University: $6,228 per year.")], RULES)
    assert not result.correct
    assert result.missing == ["Clarkson"]


def test_a_list_of_alternatives_is_met_by_any_one_of_them():
    turn = {"user": "right?", "contains": [["yes", "depends"]]}
    assert check_turn(turn, [Message("It depends on how long you take.")], RULES).correct
    wrong = check_turn(turn, [Message("Weber takes six to 12 months.")], RULES)
    assert wrong.missing == [["yes", "depends"]]


def test_a_forbidden_text_makes_the_turn_wrong():
    turn = {"user": "for me in ohio?", "contains": ["$16,644"], "absent": ["$6,228"]}
    reply = [Message("$6,228 per year (in-state); $16,644 per year (out-of-state).")]
    result = check_turn(turn, reply, RULES)
    assert result.present == ["$6,228"] and not result.correct


def test_button_titles_count_as_reply_text():
    turn = {"user": "help me choose", "contains": ["No preference"]}
    reply = [Message("Must it be fully online?", ("Yes, online", "No preference"))]
    assert check_turn(turn, reply, RULES).correct


def test_expectations_read_every_message_of_the_turn_joined():
    turn = {"user": "where are they", "contains": ["Ogden", "Omaha"]}
    reply = [Message("Weber is in Ogden, Utah."), Message("Clarkson is in Omaha, Nebraska.")]
    assert check_turn(turn, reply, RULES).correct


def test_each_message_may_have_600_characters_by_default_not_the_turn():
    turn = {"user": "compare", "contains": ["a"]}
    two_short = [Message("a" * 600), Message("a" * 600)]
    assert check_turn(turn, two_short, RULES).correct
    one_long = check_turn(turn, [Message("a" * 601)], RULES)
    assert one_long.too_long == [601] and not one_long.correct


def test_button_titles_do_not_count_toward_a_message_length():
    turn = {"user": "x", "contains": ["a"]}
    assert check_turn(turn, [Message("a" * 600, ("b" * 50,))], RULES).correct


def test_a_turn_may_set_a_tighter_length_and_a_line_limit():
    turn = {"user": "hi", "contains": ["a"], "max_chars": 300, "max_lines": 5}
    assert check_turn(turn, [Message("a" * 300)], RULES).correct
    assert check_turn(turn, [Message("a" * 301)], RULES).too_long == [301]
    six_lines = "\n".join(["a"] * 6)
    assert check_turn(turn, [Message(six_lines)], RULES).too_many_lines == [6]
    blank_lines_do_not_count = "\n\n".join(["a"] * 5)
    assert check_turn(turn, [Message(blank_lines_do_not_count)], RULES).correct


def test_in_order_holds_the_answers_to_the_order_the_questions_were_asked():
    turn = {"user": "how long and how much", "in_order": ["six to 12 months", "$6,228"]}
    right = [Message("It takes six to 12 months. It costs $6,228 per year.")]
    assert check_turn(turn, right, RULES).correct
    reversed_answer = [Message("It costs $6,228 per year. It takes six to 12 months.")]
    assert check_turn(turn, reversed_answer, RULES).out_of_order == ["$6,228"]


def test_in_order_accepts_alternatives_and_takes_the_earliest_of_them():
    turn = {"user": "where and how long", "in_order": [["Ogden", "Utah"], "months"]}
    assert check_turn(turn, [Message("Ogden, Utah; six to 12 months")], RULES).correct


def test_no_reply_at_all_is_a_wrong_turn():
    assert not check_turn({"user": "hello?", "absent": ["x"]}, [], RULES).correct


def test_an_unsupported_claim_makes_an_otherwise_right_turn_wrong():
    turn = {"user": "can i do it from texas", "contains": ["online"]}
    reply = [Message("Weber can be taken online, from anywhere.")]
    result = check_turn(turn, reply, RULES)
    assert [f.rule for f in result.findings] == ["online_from_anywhere"]
    assert not result.correct


# --- the forbidden overstatements -----------------------------------------------------------


def test_a_rule_needs_all_its_patterns_and_none_of_its_excuses_in_the_same_piece():
    weber_eligible = rule(all=(r"\bweber\b", r"eligib"), none=(r"\bnot\b",))
    assert weber_eligible.fires("Weber makes you eligible.")
    assert not weber_eligible.fires("Weber makes you a technologist.")
    assert not weber_eligible.fires("Weber does not make you eligible.")
    # split over two sentences, the claim is not made
    assert not findings_in([Message("Weber is online. Clarkson makes you eligible.")],
                           [weber_eligible])  # fmt: skip


def test_a_line_rule_wants_the_caveat_on_the_figure_s_own_line():
    caveat = rule(scope="line", all=(r"\$14,198",), none=(r"estimat",))
    apart = Message("HACC: $14,198 for the whole program\nAll figures are estimates.")
    together = Message("HACC: $14,198 for the whole program (an estimate)\nWeber: $6,228")
    assert len(findings_in([apart], [caveat])) == 1
    assert findings_in([together], [caveat]) == []


def test_a_message_rule_reads_the_whole_message():
    assumption = rule(scope="message", all=(r"cheaper",), none=(r"\bif\b",))
    assert findings_in([Message("Weber is cheaper.\nIf you finish in a year.")], [assumption]) == []
    assert findings_in([Message("Weber is cheaper.\nIt is in Utah.")], [assumption])


def test_button_titles_are_checked_like_sentences():
    spelling = next(r for r in RULES if r.id == "british_spelling")
    found = findings_in([Message("What would you like to change?", ("Change: licence",))],
                        [spelling])  # fmt: skip
    assert [f.text for f in found] == ["Change: licence"]


def test_sentences_split_at_sentence_ends_and_line_breaks_not_inside_figures():
    text = "Weber costs $6,228 per year. Clarkson costs $632.\n- Oregon Tech: $281"
    assert sentences(text) == [
        "Weber costs $6,228 per year.",
        "Clarkson costs $632.",
        "- Oregon Tech: $281",
    ]


def forbidden_examples() -> list[tuple[str, str, bool]]:
    data = yaml.safe_load(FORBIDDEN.read_text(encoding="utf-8"))
    cases = []
    for entry in data["rules"]:
        cases += [(entry["id"], text, True) for text in entry["fires_on"]]
        cases += [(entry["id"], text, False) for text in entry["passes"]]
    return cases


@pytest.mark.parametrize("rule_id,text,fires", forbidden_examples())
def test_each_forbidden_rule_catches_its_examples_and_spares_honest_ones(rule_id, text, fires):
    matching = next(r for r in RULES if r.id == rule_id)
    assert bool(findings_in([Message(text)], [matching])) is fires


def test_every_forbidden_rule_has_examples_both_ways_a_kind_a_scope_and_a_reason():
    data = yaml.safe_load(FORBIDDEN.read_text(encoding="utf-8"))
    ids = [entry["id"] for entry in data["rules"]]
    assert len(ids) == len(set(ids))
    for entry in data["rules"]:
        assert entry["fires_on"] and entry["passes"], entry["id"]
        assert entry["kind"] in ("claim", "style") and entry["why"], entry["id"]
        assert entry.get("scope", "sentence") in ("sentence", "line", "message"), entry["id"]
        for pattern in [*entry["all"], *entry.get("none", [])]:
            re.compile(pattern)


def test_the_issue_s_named_overstatements_are_on_the_list():
    claims = {r.id for r in RULES if r.kind == "claim"}
    assert {
        "online_from_anywhere",
        "our_admissions_staff",
        "weber_abii_eligibility",
        "hacc_figure_without_caveat",
        "aart_unflagged",
    } <= claims


# --- figures --------------------------------------------------------------------------------


def test_figures_count_right_turns_long_messages_and_claims_per_conversation():
    fine = {"user": "a", "contains": ["Weber"]}
    long_reply = [Message("Weber " + "x" * 700)]
    claim = [Message("Weber is online, from anywhere.")]
    results = [
        check_turn(fine, [Message("Weber")], RULES, "one", 1),
        check_turn(fine, long_reply, RULES, "one", 2),
        check_turn(fine, claim, RULES, "two", 1),
    ]
    numbers = figures(results)
    assert numbers["turns"] == 3 and numbers["turns_right"] == 1
    assert numbers["messages_over_600"] == 1
    assert [c["rule"] for c in numbers["unsupported_claims"]] == ["online_from_anywhere"]
    assert numbers["per_conversation"] == {
        "one": {"right": 1, "turns": 2},
        "two": {"right": 0, "turns": 1},
    }


def test_a_tighter_turn_limit_is_not_counted_as_over_600():
    turn = {"user": "hi", "contains": ["a"], "max_chars": 300}
    numbers = figures([check_turn(turn, [Message("a" * 400)], RULES, "c", 1)])
    assert numbers["turns_right"] == 0 and numbers["messages_over_600"] == 0


def test_each_conversation_talks_from_one_fresh_sender_and_a_dead_bot_is_a_wrong_turn(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text(
        "id: c\nturns:\n"
        "  - {user: hi, why: w, contains: [hello]}\n"
        "  - {user: again, why: w, contains: [hello]}\n"
    )
    senders = []

    def talk(sender: str, text: str) -> list[Message]:
        senders.append(sender)
        if text == "again":
            raise ConnectionRefusedError("down")
        return [Message("hello")]

    first = run_conversation(path, talk, RULES)
    run_conversation(path, talk, RULES)
    assert [r.correct for r in first] == [True, False]
    assert "down" in first[1].error
    assert senders[0] == senders[1] != senders[2]


def test_the_previous_turn_s_reply_again_is_a_wrong_turn(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text(
        "id: c\nturns:\n"
        "  - {user: those two do they offer aid, why: w, contains: [aid]}\n"
        "  - {user: what about the others, why: w, contains: [aid]}\n"
        "  - {user: and where are they, why: w, contains: [Ogden]}\n"
    )
    replies = iter(["No aid at Weber.", "No aid at Weber.", "Ogden, Utah."])
    results = run_conversation(path, lambda sender, text: [Message(next(replies))], RULES)
    assert [r.repeated for r in results] == [False, True, False]
    assert [r.correct for r in results] == [True, False, True]


# --- the suite's own files ------------------------------------------------------------------

CONVERSATIONS = conversation_files()


def expectation_texts(turn: dict) -> list[str]:
    texts = []
    for key in ("contains", "absent", "in_order"):
        for item in turn.get(key) or []:
            texts += [str(x) for x in (item if isinstance(item, list) else [item])]
    return texts


def test_the_suite_has_at_least_twelve_conversations_with_unique_ids():
    ids = [load_conversation(path)["id"] for path in CONVERSATIONS]
    assert len(ids) >= 12
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", CONVERSATIONS, ids=lambda p: Path(p).stem)
def test_every_conversation_has_8_to_12_turns_each_checkable_and_explained(path):
    data = load_conversation(path)
    assert 8 <= len(data["turns"]) <= 12
    for turn in data["turns"]:
        assert set(turn) <= TURN_KEYS, f"unknown key in {turn}"
        assert turn.get("user", "").strip(), turn
        assert turn.get("why", "").strip(), f"no why: {turn['user']!r}"
        assert expectation_texts(turn), f"no expectation: {turn['user']!r}"
        for text in expectation_texts(turn):
            assert text.strip(), f"an empty expectation matches anything: {turn['user']!r}"


def test_no_conversation_turn_is_trained_on_or_a_library_phrasing():
    """The suite measures; a turn copied into data/nlu.yml or the question library would
    measure memory. Clicks and greetings of three words or fewer are exempt."""
    from advisor.knowledge import normalise

    nlu = yaml.safe_load((ROOT / "data" / "nlu.yml").read_text(encoding="utf-8"))
    known = {
        normalise(line.strip()[2:])
        for block in nlu["nlu"]
        for line in block.get("examples", "").splitlines()
        if line.strip().startswith("- ")
    }
    library = yaml.safe_load((ROOT / "knowledge" / "questions.yml").read_text(encoding="utf-8"))
    for entry in library.get("topics", []):
        known |= {normalise(text) for text in entry.get("examples", []) or []}
    copied = [
        turn["user"]
        for path in CONVERSATIONS
        for turn in load_conversation(path)["turns"]
        if len(turn["user"].split()) > 3 and normalise(turn["user"]) in known
    ]
    assert copied == []
