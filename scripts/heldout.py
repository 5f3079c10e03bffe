"""Replay held-out questions against a running bot and score the answers.

The question sets (``tests/heldout/*.yml``) are never used for training and are worded
differently from ``data/nlu.yml``. Each conversation is a list of turns; a turn is correct
when every expected piece of text appears in the bot's reply (case-insensitive) and none of
the forbidden pieces does. An expectation names a figure instead of copying it
("{clarkson.tuition[0]}"): it is read from the knowledge file the bot answers from
(``figures``), so staff may edit a figure without editing the question sets.

Usage: python scripts/heldout.py [--url http://localhost:5005] [files...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import yaml

from advisor.knowledge import Knowledge, load
from advisor.tuition import derived_totals, describe, money

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = sorted((ROOT / "tests" / "heldout").glob("*.yml"))


@dataclass
class TurnResult:
    set_name: str
    category: str
    said: str
    reply: str
    missing: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return not self.missing and not self.forbidden


def send(url: str, sender: str, text: str, timeout: float = 30.0) -> str:
    """One turn over the REST channel; the reply texts (and button titles) joined."""
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if os.environ.get("REST_TOKEN"):  # the bot of `make run` may require it
        headers["Authorization"] = f"Bearer {os.environ['REST_TOKEN']}"
    request = urllib.request.Request(
        f"{url.rstrip('/')}/webhooks/rest/webhook", data=body, headers=headers
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        messages = json.loads(response.read().decode("utf-8"))
    parts = []
    for message in messages:
        parts.append(message.get("text", ""))
        parts.extend(button.get("title", "") for button in message.get("buttons", []))
    return "\n".join(parts)


def figures(knowledge: Knowledge) -> dict[str, SimpleNamespace]:
    """The figures an expectation may name, per program id, worded as the bot words them:
    ``tuition[i]`` ("$632 per credit hour"), ``amount[i]`` ("$632"), ``total[i]`` (a derived
    whole-program total, "$7,584"), ``credit_hours`` ("12") and ``duration`` ("six to 12
    months"); i counts the program's tuition lines (its derived totals) in file order."""
    return {
        program.id: SimpleNamespace(
            tuition=[describe(figure) for figure in program.tuition],
            amount=[money(figure.amount) for figure in program.tuition],
            total=[money(total.amount) for total in derived_totals(program)],
            credit_hours=str(program.credential.credit_hours),
            duration=program.duration.text if program.duration else "",
        )
        for program in knowledge.programs
    }


def replay(
    url: str, paths: Sequence[Path] = DEFAULT_SETS, knowledge: Knowledge | None = None
) -> list[TurnResult]:
    """Every conversation of ``paths``, each as a new student. ``knowledge``: the files the
    bot answers from, for the figures the expectations name (default: ``load()``, i.e.
    PACS_KNOWLEDGE_DIR or knowledge/, as for a bot started by ``make run``)."""
    named = figures(knowledge or load())
    results: list[TurnResult] = []
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        for conversation in data["conversations"]:
            sender = f"heldout-{uuid.uuid4().hex[:12]}"
            for turn in conversation["turns"]:
                reply = send(url, sender, turn["say"])
                low = reply.lower()
                expect = [text.format_map(named) for text in turn.get("expect", [])]
                forbid = [text.format_map(named) for text in turn.get("forbid", [])]
                results.append(
                    TurnResult(
                        set_name=Path(path).stem,
                        category=conversation.get("category", "other"),
                        said=turn["say"],
                        reply=reply,
                        missing=[e for e in expect if e.lower() not in low],
                        forbidden=[e for e in forbid if e.lower() in low],
                    )
                )
    return results


def summary(results: Sequence[TurnResult]) -> dict[str, dict[str, float]]:
    """Correct / total per category, plus 'all'."""
    table: dict[str, dict[str, float]] = {}
    for result in results:
        for key in (result.category, "all"):
            row = table.setdefault(key, {"correct": 0, "total": 0})
            row["total"] += 1
            row["correct"] += result.correct
    for row in table.values():
        row["accuracy"] = row["correct"] / row["total"]
    return table


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_SETS)
    args = parser.parse_args(argv)
    results = replay(args.url, args.files)
    for result in results:
        if not result.correct:
            print(f"WRONG [{result.category}] {result.said!r}")
            print(f"   missing {result.missing} forbidden {result.forbidden}")
            print("   reply: " + result.reply.replace("\n", " | "))
    for category, row in sorted(summary(results).items()):
        print(f"{category:24s} {row['correct']:3d}/{row['total']:3d}  {row['accuracy']:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
