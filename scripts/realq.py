"""Score the advisor on real questions people asked on the web (tests/realq/questions.yml).

Each question is parsed by the trained model (the whole NLU pipeline, including the
question library of knowledge/questions.yml as it is now) in a fresh conversation, and the
decision the actions act on is sorted into one of four outcomes:

- right: the topic asked about, answered from the knowledge file;
- honest: an honest "I don't have that" that names what was asked (a blank topic of the
  library, a school not in the file, a term the file never mentions, or "I only cover PACS
  programs" for a question that is not about them);
- misleading: an answer to another question (another topic, another kind of answer),
  given as if it answered this one;
- evasive: "I'm not sure, did you mean ...?" or a bare "please rephrase".

Usage: python -m scripts.realq [--model models/current.tar.gz] [--show misleading,evasive]
                              [--questions tests/realq/unseen.yml]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from advisor.knowledge import Knowledge, load
from advisor.understanding import ASK, FALLBACK, OUT_OF_SCOPE, Meaning

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "realq" / "questions.yml"  # the dev set, tuned against
UNSEEN = ROOT / "tests" / "realq" / "unseen.yml"  # collected apart, only ever measured
MODEL = ROOT / "models" / "current.tar.gz"
OUTCOMES = ("right", "honest", "misleading", "evasive")
UNKNOWN_SCHOOL = "unknown_school"


@dataclass(frozen=True)
class Scored:
    text: str
    expect: tuple[str, ...]
    got: str  # the topic, or the kind of answer, the bot chose
    outcome: str
    score: float


def read_questions(path: Path = QUESTIONS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]


def judge(meaning: Meaning, expect: Sequence[str], knowledge: Knowledge) -> tuple[str, str]:
    """(what the bot answers, outcome) for one parsed question."""
    if meaning.unknown_schools and (not meaning.programs or UNKNOWN_SCHOOL in expect):
        got = UNKNOWN_SCHOOL  # named as unknown: alone, or before the answer about the others
    elif meaning.intent == ASK and meaning.topic:
        # a message of several questions: each is answered, so the one asked about counts
        got = next((p.topic for p in meaning.parts if p.topic in expect), meaning.topic)
    else:
        got = meaning.intent
    named_unknown = meaning.unfamiliar and meaning.intent in (ASK, FALLBACK)
    if got not in expect and named_unknown:
        # "I have nothing about GRE in my records": what was asked is named as unknown
        # before anything else is said (actions.actions: answer and clarify).
        return got, "honest"
    if got == FALLBACK:
        return got, "evasive"
    both_named = meaning.intent == ASK and not meaning.tentative  # two blanks, both named
    if got not in expect and both_named and set(meaning.alternatives) & set(expect):
        got = next(t for t in meaning.alternatives if t in expect)  # "X or Y": both named
    if got not in expect:
        return got, "evasive" if got == OUT_OF_SCOPE else "misleading"
    if got in (UNKNOWN_SCHOOL, OUT_OF_SCOPE):
        return got, "honest"
    if knowledge.has_question(got) and knowledge.question(got).blank:
        return got, "honest"
    return got, "right"


def score(parses: Iterable[tuple[dict, dict]], knowledge: Knowledge) -> list[Scored]:
    """Score (question, parse data) pairs."""
    results = []
    for question, parsed in parses:
        meaning = Meaning.from_dict(parsed.get("meaning") or {"intent": FALLBACK})
        got, outcome = judge(meaning, question["expect"], knowledge)
        results.append(
            Scored(question["text"], tuple(question["expect"]), got, outcome, meaning.topic_score)
        )
    return results


def summary(results: Sequence[Scored]) -> dict:
    counts = Counter(r.outcome for r in results)
    total = len(results)
    table: dict[str, Any] = {
        o: {"count": counts[o], "share": counts[o] / total if total else 0.0} for o in OUTCOMES
    }
    table["right_or_honest"] = {
        "count": counts["right"] + counts["honest"],
        "share": (counts["right"] + counts["honest"]) / total if total else 0.0,
    }
    table["total"] = total
    return table


def parse_all(model: Path, questions: Sequence[dict]) -> list[tuple[dict, dict]]:
    """Parse every question with the trained model, in-process."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse() -> list[dict]:
        return [await agent.parse_message(q["text"]) for q in questions]

    return list(zip(questions, asyncio.run(parse()), strict=True))


def evaluate(model: Path = MODEL, path: Path = QUESTIONS) -> tuple[list[Scored], dict]:
    questions = read_questions(path)
    results = score(parse_all(model, questions), load())
    return results, summary(results)


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--show", default="misleading,evasive")
    parser.add_argument("--json", type=Path, help="write every scored question here")
    args = parser.parse_args(argv)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    results, table = evaluate(args.model, args.questions)
    show = set(args.show.split(","))
    for result in results:
        if result.outcome in show:
            print(
                f"{result.outcome.upper():10s} got {result.got} ({result.score:.2f}), "
                f"expected {'/'.join(result.expect)}: {result.text}"
            )
    for outcome in (*OUTCOMES, "right_or_honest"):
        row = table[outcome]
        print(f"{outcome:16s} {row['count']:4d}/{table['total']}  {row['share']:.1%}")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
