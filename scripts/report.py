"""`make report`: what students asked that the bot could not answer, and what they ask most.

Reads the conversations from the tracker store (the SQLite file of `make run`, or the database
in TRACKER_STORE_URL) and writes, under reports/:
- unanswered.csv / unanswered.md: questions that got "I'm not sure what you'd like to know"
  (low confidence), the out-of-scope answer, "I don't have information" (a blank of the
  question library, or a field programs.yml leaves empty), "I have no records for <school>"
  or "none of the programs … is in <state>", grouped by reason, program and topic of
  knowledge/questions.yml, counted, with first and last date: the blanks students hit most
  come first, so staff see which to fill next. A low-confidence answer that a form still
  took (a "nope" to one of the advising questions) was understood, and is not counted;
- topics.csv: the most asked topics per program;
- unanswered.png: a bar chart of the unanswered groups.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy

from advisor.replies import (
    NO_PROGRAM_OPENING,
    NO_RECORDS_OPENING,
    NOT_UNDERSTOOD_OPENINGS,
    NOTHING_ABOUT_OPENING,
    is_not_known,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = f"sqlite:///{ROOT / 'var' / 'tracker.db'}"


@dataclass
class Group:
    """One kind of unanswered question: why, and for which program and topic."""

    reason: str
    program: str = ""
    topic: str = ""
    count: int = 0
    first: float = float("inf")
    last: float = 0.0
    examples: list[str] = field(default_factory=list)

    def add(self, text: str, when: float) -> None:
        self.count += 1
        self.first, self.last = min(self.first, when), max(self.last, when)
        if text and text not in self.examples and len(self.examples) < 3:
            self.examples.append(text)


def _date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")


def read_turns(url: str) -> list[dict]:
    """Each user turn with what the bot did and said after it, in stored order."""
    engine = sqlalchemy.create_engine(url)
    if not sqlalchemy.inspect(engine).has_table("events"):
        return []  # nothing stored yet (a fresh install)
    query = sqlalchemy.text(
        "SELECT sender_id, type_name, timestamp, data FROM events ORDER BY sender_id, id"
    )
    turns: list[dict] = []
    with engine.connect() as connection:
        for sender, kind, when, data in connection.execute(query):
            event = json.loads(data)
            if kind == "user":
                parsed = event.get("parse_data") or {}
                intent = parsed.get("intent") or {}
                turns.append(
                    {
                        "sender": sender,
                        "when": when,
                        "text": event.get("text") or "",
                        "intent": intent.get("name") or "",
                        "bot": [],
                        "actions": [],
                        "programs": [],
                        # the question library's topic, as the NLU decided it (a button
                        # names it in its payload instead; then the slot below tells)
                        "topic": (parsed.get("meaning") or {}).get("topic") or "",
                    }
                )
            elif turns and turns[-1]["sender"] == sender:
                if kind == "bot":
                    turns[-1]["bot"].append(event.get("text") or "")
                elif kind == "action":
                    turns[-1]["actions"].append(event.get("name") or "")
                elif kind == "slot" and event.get("name") == "programs":
                    turns[-1]["programs"] = event.get("value") or []
                elif kind == "slot" and event.get("name") == "fact":
                    turns[-1]["topic"] = event.get("value") or turns[-1]["topic"]
    return turns


def unanswered(turns: list[dict]) -> list[Group]:
    groups: dict[tuple, Group] = {}
    for turn in turns:
        reasons = []
        said = turn["bot"]
        if {"utter_rephrase", "action_clarify"} & set(turn["actions"]) or any(
            text.startswith(NOT_UNDERSTOOD_OPENINGS) for text in said
        ):
            reasons.append(("not understood (closest topics offered)", "", ""))
        if "utter_out_of_scope" in turn["actions"]:
            reasons.append(("out of scope", "", ""))
        if any(text.startswith(NO_PROGRAM_OPENING) for text in turn["bot"]):
            reasons.append(("no program in the state asked about", "", ""))
        if any(text.startswith(NO_RECORDS_OPENING) for text in turn["bot"]):
            reasons.append(("a school not in the knowledge file", "", ""))
        if any(text.startswith(NOTHING_ABOUT_OPENING) for text in turn["bot"]):
            reasons.append(("a term the knowledge file never mentions", "", ""))
        if any(is_not_known(text) for text in turn["bot"]):
            for program in turn["programs"] or [""]:
                reasons.append(("not in the knowledge file", program, turn["topic"]))
        for key in reasons:
            groups.setdefault(key, Group(*key)).add(turn["text"], turn["when"])
    return sorted(groups.values(), key=lambda g: (-g.count, g.reason, g.program, g.topic))


def topics(turns: list[dict]) -> Counter:
    asked: Counter = Counter()
    for turn in turns:
        if turn["topic"]:
            for program in turn["programs"] or ["(none named)"]:
                asked[(program, turn["topic"])] += 1
    return asked


def write(groups: list[Group], asked: Counter, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "unanswered.csv", "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["reason", "program", "topic", "count", "first", "last", "examples"])
        for g in groups:
            writer.writerow(
                [g.reason, g.program, g.topic, g.count, _date(g.first), _date(g.last),
                 " | ".join(g.examples)]
            )  # fmt: skip
    with open(out / "topics.csv", "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["program", "topic", "count"])
        for (program, topic), count in asked.most_common():
            writer.writerow([program, topic, count])

    lines = [
        "# Unanswered questions",
        "",
        "What to add to `knowledge/` next, most frequent first. A topic of",
        "`knowledge/questions.yml` with no answer is filled by pointing it to a text in",
        "`topics.yml` (`general:`) or a field of `programs.yml` (`fact:`).",
        "",
        "| reason | program | topic | count | first | last | examples |",
        "|---|---|---|---:|---|---|---|",
    ]
    for g in groups:
        examples = "; ".join(e.replace("|", "/")[:80] for e in g.examples)
        lines.append(
            f"| {g.reason} | {g.program} | {g.topic} | {g.count} | {_date(g.first)} "
            f"| {_date(g.last)} | {examples} |"
        )
    lines += [
        "",
        "## Most asked topics per program",
        "",
        "| program | topic | count |",
        "|---|---|---:|",
    ]
    lines += [f"| {p} | {f} | {c} |" for (p, f), c in asked.most_common(20)]
    (out / "unanswered.md").write_text("\n".join(lines) + "\n")
    _chart(groups, out / "unanswered.png")


def _chart(groups: list[Group], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [" / ".join(x for x in (g.reason, g.program, g.topic) if x) for g in groups[:15]]
    figure, axis = plt.subplots(figsize=(9, 0.45 * max(len(labels), 2) + 1.2))
    axis.barh(labels[::-1], [g.count for g in groups[:15]][::-1], color="#3b6ea5")
    axis.set_xlabel("questions")
    axis.set_title("Unanswered questions by kind")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("TRACKER_STORE_URL") or DEFAULT_DB)
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args(argv)
    turns = read_turns(args.db)
    groups = unanswered(turns)
    write(groups, topics(turns), args.out)
    total = sum(g.count for g in groups)
    print(f"{len(turns)} questions read, {total} unanswered in {len(groups)} groups")
    for g in groups[:10]:
        print(f"{g.count:5d}  {g.reason}  {g.program} {g.topic}".rstrip())
    print(f"written: {args.out / 'unanswered.md'}, unanswered.csv, topics.csv, unanswered.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
