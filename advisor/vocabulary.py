"""Terms a student uses that the knowledge file never does.

"Is the GRE required?": the library holds no GRE, and its closest topic, the admission
requirements, would be answered as if the GRE had not been asked about, which reads as "no GRE
needed". An acronym that appears nowhere in the knowledge files (programs, topics, the
question library's examples) names a thing the bot knows nothing about, so the reply names it
as unknown before anything else ("I have nothing on the GRE in my records").

Only acronyms are taken: an unknown ordinary word ("cognate", "practicum") is as often a
paraphrase of something known as a new thing, and would make every other answer hedge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from advisor.knowledge import Knowledge, normalise

# "GRE", "CLEP", "NC-SARA", "HL7"; not "I", not "A".
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,6}(?:-[A-Z0-9]{1,6})?)(?![\w-])")
# Acronyms of everyday writing, not things a school's records would hold.
_EVERYDAY = frozenset(
    {
        "US", "USA", "UK", "EU", "OK", "FAQ", "ID", "PDF", "AM", "PM", "TV", "PC", "II", "III",
        "IV", "LOL", "ASAP", "FYI", "BTW",
    }
)  # fmt: skip
# A message mostly in capitals ("HOW MANY CE CREDITS DO I NEED?") says nothing by its capitals.
_SHOUTING = 0.6

_CACHE: list[tuple[Knowledge, frozenset[str]]] = []


def known_words(knowledge: Knowledge) -> frozenset[str]:
    """Every word of the knowledge files, lower-cased; kept for the latest snapshot only
    (compared by identity: a snapshot is never changed, only replaced)."""
    if not _CACHE or _CACHE[0][0] is not knowledge:
        texts: list[str] = []
        for program in knowledge.programs:
            texts.extend(_strings(program.dict()))
        for topic in knowledge.topics:
            texts.extend([topic.title, topic.text, *topic.points])
        for entry in knowledge.questions:
            texts.extend([entry.name, *entry.examples])
        words = frozenset(w for text in texts for w in normalise(text).split())
        _CACHE[:] = [(knowledge, words)]
    return _CACHE[0][1]


def unfamiliar_terms(
    text: str, skip: Sequence[tuple[int, int]], knowledge: Knowledge
) -> tuple[str, ...]:
    """Acronyms in ``text`` that the knowledge files never use, in order; ``skip``: spans
    already understood as names (programs, states, schools not in the file)."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) >= _SHOUTING:
        return ()
    known = known_words(knowledge)
    found: list[str] = []
    for match in _ACRONYM.finditer(text):
        start, end = match.span(1)
        term = match.group(1)
        if any(s < end and start < e for s, e in skip) or term in _EVERYDAY:
            continue
        if normalise(term).replace(" ", "") in known or all(
            part in known for part in normalise(term).split()
        ):
            continue
        found.append(term)
    return tuple(dict.fromkeys(found))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
