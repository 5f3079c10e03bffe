"""The real-question sets measure the advisor; they must never teach it.

tests/realq/ holds questions people asked on public pages, with their source: the dev set
(questions.yml), which the library and thresholds were tuned against, and an unseen set
(unseen.yml), collected separately and only ever measured. These checks keep both fair
yardsticks: big enough, every question traceable to its page, every expectation pointing at
something that exists, no question in both, and none of their questions (or a near copy)
among the NLU training examples or the question library's example phrasings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from advisor.knowledge import load

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "tests" / "realq" / "questions.yml"
UNSEEN_SET = ROOT / "tests" / "realq" / "unseen.yml"
SETS = {"dev": (DEV_SET, 150), "unseen": (UNSEEN_SET, 100)}  # file, least size
# Answers that are not a library topic: see the file's header.
SPECIAL = {"unknown_school", "out_of_scope", "list_programs", "rank_programs",
           "compare_programs", "filter_programs"}  # fmt: skip
# Two words this alike (rapidfuzz ratio) count as the same word: "programme" / "program".
SAME_WORD = 80.0
# And two texts must be at least this alike as a whole.
SAME_TEXT = 75.0
# Function words do not make a question different; question words do ("how much" is not
# "how long", "what is" is not "who should be").
QUESTION_WORDS = {"what", "how", "when", "where", "who", "whom", "whose", "why", "which", "much",
                  "many", "few", "long"}  # fmt: skip
IGNORED = STOP_WORDS - QUESTION_WORDS


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def _questions(path: Path = DEV_SET) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]


def _all_questions() -> list[dict]:
    return [q for path, _ in SETS.values() for q in _questions(path)]


def _training_examples() -> list[str]:
    examples = []
    for path in sorted((ROOT / "data").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    examples.append(re.sub(r"\[([^\]]+)\]\{[^}]*\}", r"\1", line.strip()[2:]))
    return examples


def _content_words(text: str) -> list[str]:
    return [w for w in _normal(text).split() if w not in IGNORED]


def is_near_duplicate(a: str, b: str) -> bool:
    """The same content words, give or take a typo, punctuation, function words, and one
    added word (a school's name, a qualifier) when the shorter has at least two."""
    if fuzz.ratio(_normal(a), _normal(b)) < SAME_TEXT:
        return False
    short, long_ = sorted((_content_words(a), _content_words(b)), key=len)
    if not short:
        return _normal(a) == _normal(b)

    def matched(word: str, others: list[str]) -> bool:
        return any(fuzz.ratio(word, other) >= SAME_WORD for other in others)

    if not all(matched(w, long_) for w in short):
        return False
    extra = [w for w in long_ if not matched(w, short)]
    return not extra or (len(short) >= 2 and len(extra) <= 1)


def test_near_duplicate_means_the_same_content_words_give_or_take_a_typo_or_one_word():
    assert is_near_duplicate("How long is the program?", "hw long is the programme")
    assert is_near_duplicate("How long is the program?", "How long is the Weber program?")
    assert is_near_duplicate(
        "HOW MANY CE CREDITS DO I NEED TO COMPLETE?", "how many CE credits do I need"
    )
    assert not is_near_duplicate(
        "What is a PACS administrator?", "how much does a PACS administrator make"
    )
    assert not is_near_duplicate("How long is the program?", "How long is the exam?")
    assert not is_near_duplicate("What is PACS?", "what is SACS")
    assert not is_near_duplicate("How much does it cost?", "how long does it take")


@pytest.mark.parametrize("name", sorted(SETS))
def test_each_set_holds_enough_distinct_questions_each_with_its_source(name: str):
    path, least = SETS[name]
    questions = _questions(path)
    assert len(questions) >= least
    texts = [_normal(q["text"]) for q in questions]
    assert len(set(texts)) == len(texts)
    for question in questions:
        assert question["source"].startswith(("http://", "https://")), question["text"]


def test_no_question_is_in_both_sets():
    dev = {_normal(q["text"]) for q in _questions(DEV_SET)}
    assert not dev & {_normal(q["text"]) for q in _questions(UNSEEN_SET)}


def test_every_expectation_names_a_library_topic_or_a_kind_of_answer():
    knowledge = load()
    topics = {q.id for q in knowledge.questions}
    programs = {p.id for p in knowledge.programs}
    for question in _all_questions():
        assert question["expect"], question["text"]
        unknown = set(question["expect"]) - topics - SPECIAL
        assert not unknown, f"{question['text']!r} expects {unknown}"
        assert set(question.get("programs", [])) <= programs


@pytest.mark.parametrize(
    "source",
    ["training examples (data/)", "question library examples (knowledge/questions.yml)"],
)
def test_no_real_question_or_near_copy_is_used_to_teach_the_bot(source: str):
    if source.startswith("training"):
        taught = _training_examples()
    else:
        taught = [e for q in load().questions for e in q.examples]
    assert len(taught) > 100  # the check reads what it means to read
    leaks = [
        (question["text"], example)
        for question in _all_questions()
        for example in taught
        if is_near_duplicate(question["text"], example)
    ]
    assert not leaks, leaks[:5]


# --- the judge: how a parsed question is scored ----------------------------------------------


def _judged(expect: list[str], **meaning) -> str:
    from advisor.understanding import Meaning
    from scripts.realq import judge

    return judge(Meaning(**{"intent": "ask_question", **meaning}), expect, load())[1]


def test_the_topic_asked_about_answered_from_the_file_is_right():
    assert _judged(["cost"], topic="cost") == "right"


def test_a_blank_topic_asked_about_is_an_honest_unknown():
    assert _judged(["application_fee"], topic="application_fee") == "honest"


def test_another_topic_given_as_the_answer_is_misleading():
    assert _judged(["application_fee"], topic="cost") == "misleading"


def test_a_menu_or_a_rephrase_is_evasive():
    assert _judged(["cost"], intent="nlu_fallback", alternatives=("cost",)) == "evasive"


def test_a_school_not_in_the_file_named_as_unknown_is_honest_even_beside_a_known_one():
    assert _judged(["unknown_school"], unknown_schools=("MIT",), programs=("oit",)) == "honest"
    assert _judged(["apply_how"], topic="cost", unknown_schools=("MIT",), programs=("oit",)) == (
        "misleading"
    )


def test_a_term_named_as_unknown_before_a_neighbouring_answer_is_honest_not_misleading():
    assert _judged(["entrance_test"], topic="admission_requirements", unfamiliar=("GRE",)) == (
        "honest"
    )
    assert _judged(["cost"], intent="out_of_scope", unfamiliar=("GRE",)) == "evasive"


def test_in_a_message_of_several_questions_the_part_asked_about_counts():
    from advisor.understanding import Part

    parts = (Part("online"), Part("on_campus_visits"))
    assert _judged(["on_campus_visits"], topic="online", parts=parts) == "honest"
