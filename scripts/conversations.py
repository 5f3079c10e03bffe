"""Replay scripted multi-turn conversations against a real bot and score every turn.

The conversations (``tests/conversations/*.yml``, one per file) are written as students type:
run-on messages, two questions in one, "that one", "those two", corrections, "so X is cheaper
for me, right?". Each turn says what a good reply must hold and must not hold; the checks
read the reply text (every bot message of the turn and its button titles), never which
intent or action produced it, so they hold however the behaviour is built.

A turn is right when
- every ``contains`` item appears (case-insensitive; an item that is a list is met by any
  one of its alternatives),
- no ``absent`` item appears,
- the ``in_order`` items appear in that order (the answers to a message's questions, in
  the order they were asked),
- each bot message's text is at most ``max_chars`` characters (default 600) and, when
  ``max_lines`` is given, at most that many non-empty lines,
- the reply is not the previous turn's reply again (the suite never asks the same thing
  twice in a row, so a repeated reply means the new message was not understood),
- no message makes a claim of the forbidden-overstatement list
  (``tests/conversations/forbidden.yml``), nor breaks its style rules (British spelling,
  a program's name twice in one sentence).

Usage: python -m scripts.conversations [--url http://localhost:5005] [files...]
Without --url a fresh bot is started on free ports (scripts/live.py). Writes
reports/conversations.md and reports/conversations.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "conversations"
FORBIDDEN = SUITE / "forbidden.yml"
PROGRAMS = ROOT / "knowledge" / "programs.yml"
REPORTS = ROOT / "reports"
MAX_CHARS = 600  # the hard limit for one bot message
READABLE_CHARS = 300  # what reads in under 20 seconds on a phone; reported, not enforced


@dataclass(frozen=True)
class Message:
    """One bot message: its text and the titles of its buttons."""

    text: str
    buttons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One forbidden overstatement (kind ``claim``) or style slip (kind ``style``).

    A rule fires in a piece of text (a sentence, a line or a whole message: its ``scope``)
    when every ``all`` pattern matches there and no ``none`` pattern does; ``none`` holds the
    words that make the statement honest (a negation, the caveat that must travel with it).
    """

    id: str
    kind: str
    scope: str
    all: tuple[str, ...]
    none: tuple[str, ...]
    why: str

    def fires(self, text: str) -> bool:
        return all(re.search(p, text, re.IGNORECASE) for p in self.all) and not any(
            re.search(p, text, re.IGNORECASE) for p in self.none
        )


@dataclass
class Finding:
    rule: str
    kind: str
    text: str


@dataclass
class TurnResult:
    conversation: str
    index: int
    user: str
    why: str
    reply: str
    missing: list = field(default_factory=list)
    present: list = field(default_factory=list)
    out_of_order: list = field(default_factory=list)
    too_long: list[int] = field(default_factory=list)
    too_many_lines: list[int] = field(default_factory=list)
    repeated: bool = False
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def correct(self) -> bool:
        return not (
            self.missing
            or self.present
            or self.out_of_order
            or self.too_long
            or self.too_many_lines
            or self.findings
            or self.repeated
            or self.error
        )


# --- the suite's files ----------------------------------------------------------------------


def load_rules(path: Path = FORBIDDEN) -> list[Rule]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    for entry in data["rules"]:
        rules.append(
            Rule(
                id=entry["id"],
                kind=entry.get("kind", "claim"),
                scope=entry.get("scope", "sentence"),
                all=tuple(_as_list(entry["all"])),
                none=tuple(_as_list(entry.get("none", []))),
                why=entry["why"],
            )
        )
    return rules


def conversation_files(folder: Path = SUITE) -> list[Path]:
    return sorted(p for p in folder.glob("*.yml") if p.name != FORBIDDEN.name)


def load_conversation(path: Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# --- checking one reply ---------------------------------------------------------------------

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(•*-])|\n+")


def sentences(text: str) -> list[str]:
    """The sentences of a message: split after . ! ? followed by a space and a capital, a
    digit, a quote or a bullet, and at line breaks. "$6,228 per year. Clarkson ..." splits;
    "$6,228" and "Weber's" do not. An abbreviation before a capital ("e.g. Weber") splits
    too: a rule's words then have to be in the shorter piece, which errs toward not firing."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def pieces(message: Message, scope: str) -> list[str]:
    """The texts a rule of this scope looks at; button titles always count as lines."""
    if scope == "message":
        return [message.text, *message.buttons]
    if scope == "line":
        lines = [line for line in message.text.splitlines() if line.strip()]
        return [*lines, *message.buttons]
    return [*sentences(message.text), *message.buttons]


def findings_in(messages: Sequence[Message], rules: Sequence[Rule]) -> list[Finding]:
    found = []
    for message in messages:
        for rule in rules:
            for piece in pieces(message, rule.scope):
                if rule.fires(piece):
                    found.append(Finding(rule.id, rule.kind, piece))
    return found


def joined(messages: Sequence[Message]) -> str:
    """All the texts and button titles of a turn, one per line (what `contains` reads)."""
    parts = []
    for message in messages:
        parts.append(message.text)
        parts.extend(message.buttons)
    return "\n".join(parts)


def check_turn(
    turn: dict,
    messages: Sequence[Message],
    rules: Sequence[Rule],
    conversation: str = "",
    index: int = 0,
) -> TurnResult:
    reply = joined(messages)
    low = reply.lower()
    limit = int(turn.get("max_chars", MAX_CHARS))
    lines = turn.get("max_lines")
    result = TurnResult(
        conversation=conversation,
        index=index,
        user=turn["user"],
        why=turn.get("why", ""),
        reply=reply,
    )
    for item in _as_list(turn.get("contains")):
        options = _as_list(item)
        if not any(str(option).lower() in low for option in options):
            result.missing.append(item)
    result.out_of_order = out_of_order(low, _as_list(turn.get("in_order")))
    result.present = [item for item in _as_list(turn.get("absent")) if str(item).lower() in low]
    for message in messages:
        if len(message.text) > limit:
            result.too_long.append(len(message.text))
        if lines is not None:
            count = len([line for line in message.text.splitlines() if line.strip()])
            if count > int(lines):
                result.too_many_lines.append(count)
    if not messages:
        result.error = "no reply"
    result.findings = findings_in(messages, rules)
    return result


def out_of_order(low: str, items: Sequence) -> list:
    """``in_order`` items (each a text or a list of alternatives) that are missing or come
    before the previous one: the answers to a message's questions, in the order asked."""
    wrong, position = [], -1
    for item in items:
        found = [low.find(str(o).lower(), position + 1) for o in _as_list(item)]
        found = [f for f in found if f >= 0]
        if not found:
            wrong.append(item)
            continue
        position = min(found)
    return wrong


# --- talking to the bot ---------------------------------------------------------------------


def exchange(url: str, sender: str, text: str, timeout: float = 60.0) -> list[Message]:
    """One turn over the REST channel: the bot's messages, each with its button titles."""
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    request = urllib.request.Request(
        f"{url.rstrip('/')}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = json.loads(response.read().decode("utf-8"))
    return [
        Message(
            text=item.get("text", "") or "",
            buttons=tuple(button.get("title", "") for button in item.get("buttons", []) or []),
        )
        for item in raw
    ]


Talk = Callable[[str, str], list[Message]]


def run_conversation(path: Path, talk: Talk, rules: Sequence[Rule]) -> list[TurnResult]:
    """Every turn of one conversation, from a fresh sender id."""
    data = load_conversation(path)
    sender = f"convo-{uuid.uuid4().hex[:12]}"
    results: list[TurnResult] = []
    for index, turn in enumerate(data["turns"], 1):
        try:
            messages = talk(sender, turn["user"])
        except OSError as error:  # a dead bot is a wrong turn, not a crash of the report
            result = check_turn(turn, [], rules, data["id"], index)
            result.error = f"no answer: {error}"
            results.append(result)
            continue
        result = check_turn(turn, messages, rules, data["id"], index)
        # The same reply to a new message ("what about the others?" answered like "those
        # two") means the new message was not understood; the suite never asks twice.
        result.repeated = bool(results) and bool(result.reply) and results[-1].reply == result.reply
        results.append(result)
    return results


def run_suite(
    url: str, paths: Sequence[Path] | None = None, rules: Sequence[Rule] | None = None
) -> list[TurnResult]:
    rules = load_rules() if rules is None else rules
    results: list[TurnResult] = []
    for path in paths or conversation_files():
        results.extend(run_conversation(path, lambda s, t: exchange(url, s, t), rules))
    return results


# --- figures and report ---------------------------------------------------------------------


def figures(results: Sequence[TurnResult]) -> dict:
    """The issue's figures: turns right, messages over 600 characters, unsupported claims
    (with their text), style slips, and the score of each conversation."""
    per_conversation: dict[str, dict] = {}
    for result in results:
        row = per_conversation.setdefault(result.conversation, {"right": 0, "turns": 0})
        row["turns"] += 1
        row["right"] += result.correct
    claims = [
        {"conversation": r.conversation, "turn": r.index, "rule": f.rule, "text": f.text}
        for r in results
        for f in r.findings
        if f.kind == "claim"
    ]
    style = [
        {"conversation": r.conversation, "turn": r.index, "rule": f.rule, "text": f.text}
        for r in results
        for f in r.findings
        if f.kind != "claim"
    ]
    right = sum(r.correct for r in results)
    return {
        "turns": len(results),
        "turns_right": right,
        "turns_right_share": right / len(results) if results else 0.0,
        "messages_over_600": over_600(results),
        "over_600": [
            {"conversation": r.conversation, "turn": r.index, "chars": n}
            for r in results
            for n in r.too_long
            if n > MAX_CHARS
        ],
        "unsupported_claims": claims,
        "style_slips": style,
        "per_conversation": per_conversation,
    }


def over_600(results: Sequence[TurnResult]) -> int:
    return sum(1 for r in results for n in r.too_long if n > MAX_CHARS)


def failure_lines(result: TurnResult) -> list[str]:
    lines = [f"WRONG {result.conversation} #{result.index} {result.user!r} ({result.why})"]
    if result.missing:
        lines.append(f"   missing {result.missing}")
    if result.present:
        lines.append(f"   should be absent {result.present}")
    if result.out_of_order:
        lines.append(f"   not found in the order asked: {result.out_of_order}")
    if result.too_long:
        lines.append(f"   message too long: {result.too_long} characters")
    if result.too_many_lines:
        lines.append(f"   too many lines: {result.too_many_lines}")
    for finding in result.findings:
        lines.append(f"   {finding.kind} {finding.rule}: {finding.text!r}")
    if result.repeated:
        lines.append("   the same reply as the turn before")
    if result.error:
        lines.append(f"   {result.error}")
    lines.append("   reply: " + result.reply.replace("\n", " | "))
    return lines


def markdown(results: Sequence[TurnResult], numbers: dict) -> str:
    lines = [
        "# Conversation suite (tests/conversations)",
        "",
        f"- turns right: **{numbers['turns_right']} / {numbers['turns']} "
        f"({numbers['turns_right_share']:.1%})** (target 90 %)",
        f"- bot messages over {MAX_CHARS} characters: **{numbers['messages_over_600']}** "
        "(target 0)",
        f"- unsupported claims: **{len(numbers['unsupported_claims'])}** (target 0)",
        f"- style slips (British spelling, a name twice in a sentence): "
        f"{len(numbers['style_slips'])}",
        "",
        "| conversation | right | turns |",
        "|---|---:|---:|",
        *[
            f"| {name} | {row['right']} | {row['turns']} |"
            for name, row in numbers["per_conversation"].items()
        ],
    ]
    if numbers["unsupported_claims"]:
        lines += ["", "## Unsupported claims", ""]
        lines += [
            f"- {c['conversation']} #{c['turn']} {c['rule']}: {c['text']!r}"
            for c in numbers["unsupported_claims"]
        ]
    wrong = [r for r in results if not r.correct]
    if wrong:
        lines += ["", "## Wrong turns", "", "```"]
        for result in wrong:
            lines += failure_lines(result)
        lines += ["```"]
    return "\n".join(lines) + "\n"


def evaluate(url: str | None = None, paths: Sequence[Path] | None = None) -> dict:
    """Run the suite (against ``url``, or a freshly started bot) and write the reports."""
    if url:
        results = run_suite(url, paths)
    else:
        from scripts.live import Bot

        with tempfile.TemporaryDirectory() as workdir:
            bot = Bot(Path(workdir)).start()
            try:
                results = run_suite(bot.url, paths)
            finally:
                bot.stop()
    numbers = figures(results)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "conversations.json").write_text(
        json.dumps({**numbers, "results": [asdict(r) for r in results]}, indent=2)
    )
    text = markdown(results, numbers)
    (REPORTS / "conversations.md").write_text(text)
    return {"figures": numbers, "results": results, "markdown": text}


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running bot (make run); default: start a fresh one")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    outcome = evaluate(args.url, args.files or None)
    for result in outcome["results"]:
        if not result.correct:
            print("\n".join(failure_lines(result)))
    print(outcome["markdown"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
