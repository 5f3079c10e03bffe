"""Find program and state names in what a student typed — derived from the knowledge file.

Names come from ``programs.yml`` only (official name, aliases, city, state), so a program that
staff add is recognised at once, with no new NLU examples and no retraining. Exact names are
found with a spaCy ``PhraseMatcher`` over a blank English tokenizer (no pretrained model is
needed); misspellings ("Clarksen", "Webber State") with ``rapidfuzz``, word by word, so that
ordinary words never turn into a school.

The word "state" needs care: it is part of school names (Weber State), of residency
("in-state") and a place ("which state is it in?"). Only a whole name is ever a match, and
generic words such as "state" or "college" can never carry a fuzzy match on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import spacy
from rapidfuzz import fuzz
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from advisor.knowledge import Knowledge, normalise

PROGRAM = "program"
US_STATE = "us_state"

# Words that occur in many school names or in ordinary questions: they may be part of a
# name but never make a name by themselves (short ones must also be spelled exactly).
GENERIC_WORDS = frozenset(
    """
    state states college colleges university universities community institute institutes
    technology tech of area the school schools eastern western northern southern program
    programs online cc univ center centre and at in for
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# Every US state (and DC), so that "anything in Texas?" is understood even when no program is
# there; the knowledge file's own states are added to these. Geography, not program facts.
_US_STATE_NAMES = """
    Alabama, Alaska, Arizona, Arkansas, California, Colorado, Connecticut, Delaware,
    District of Columbia, Florida, Georgia, Hawaii, Idaho, Illinois, Indiana, Iowa, Kansas,
    Kentucky, Louisiana, Maine, Maryland, Massachusetts, Michigan, Minnesota, Mississippi,
    Missouri, Montana, Nebraska, Nevada, New Hampshire, New Jersey, New Mexico, New York,
    North Carolina, North Dakota, Ohio, Oklahoma, Oregon, Pennsylvania, Rhode Island,
    South Carolina, South Dakota, Tennessee, Texas, Utah, Vermont, Virginia, Washington,
    West Virginia, Wisconsin, Wyoming
"""
US_STATES: tuple[str, ...] = tuple(name.strip() for name in _US_STATE_NAMES.split(","))
# A misspelled word must be at least this long and this close to a name word.
FUZZY_MIN_WORD_LENGTH = 5
FUZZY_WORD_SCORE = 80.0
FUZZY_NAME_SCORE = 86.0
# Very long messages are scanned for exact names everywhere, for typos only at the start.
FUZZY_MAX_TOKENS = 400


@dataclass(frozen=True)
class NameMatch:
    """One recognised mention: ``value`` is a program id or a state's name."""

    entity: str
    value: str
    start: int
    end: int
    text: str
    score: float = 100.0


@lru_cache(maxsize=1)
def _nlp() -> spacy.language.Language:
    return spacy.blank("en")


@dataclass(frozen=True)
class _Name:
    entity: str
    value: str
    words: tuple[str, ...]
    fuzzy: bool


def _names(knowledge: Knowledge) -> tuple[list[_Name], list[_Name]]:
    """(case-insensitive names, case-sensitive names) for every program and state."""
    plain: list[_Name] = []
    cased: list[_Name] = []
    for program in knowledge.programs:
        for name in program.names:
            words = tuple(normalise(name).split())
            distinctive = any(w not in GENERIC_WORDS for w in words)
            fuzzy = distinctive and len("".join(words)) >= FUZZY_MIN_WORD_LENGTH
            plain.append(_Name(PROGRAM, program.id, words, fuzzy))
        # A city is a name only when capitalised: "Cocoa, Florida" yes, "hot cocoa" no.
        cased.append(_Name(PROGRAM, program.id, tuple(program.location.city.split()), False))
    for state in sorted({*US_STATES, *(p.location.state for p in knowledge.programs)}):
        plain.append(_Name(US_STATE, state, tuple(normalise(state).split()), False))
    return plain, cased


class NameMatcher:
    """Recognises the names of one knowledge snapshot; build a new one when it changes."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        nlp = _nlp()
        self._plain, self._cased = _names(knowledge)
        self._by_key: dict[str, _Name] = {}
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        for matcher, names in ((self._lower, self._plain), (self._orth, self._cased)):
            for index, name in enumerate(names):
                key = f"{name.entity}|{name.value}|{index}|{matcher is self._orth}"
                self._by_key[key] = name
                matcher.add(key, [nlp.make_doc(" ".join(name.words))])
        self._fuzzy_names = [n for n in self._plain if n.fuzzy]

    def find(self, text: str) -> list[NameMatch]:
        """All non-overlapping mentions in reading order; longer names win over shorter."""
        if not text or not text.strip():
            return []
        doc = _nlp().make_doc(text)
        spans: list[Span] = []
        for matcher in (self._lower, self._orth):
            for match_id, start, end in matcher(doc):
                key = doc.vocab.strings[match_id]
                spans.append(Span(doc, start, end, label=key))
        exact = filter_spans(spans)
        taken = {i for span in exact for i in range(span.start, span.end)}
        found = [self._to_match(span, self._by_key[span.label_], 100.0) for span in exact]
        found.extend(self._fuzzy(doc, taken))
        return sorted(found, key=lambda m: m.start)

    def programs_in(self, text: str) -> list[str]:
        """Program ids mentioned, first mention first, each once."""
        return _unique(m.value for m in self.find(text) if m.entity == PROGRAM)

    @staticmethod
    def _to_match(span: Span, name: _Name, score: float) -> NameMatch:
        return NameMatch(
            entity=name.entity,
            value=name.value,
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            score=score,
        )

    def _fuzzy(self, doc: Doc, taken: set) -> list[NameMatch]:
        words = [normalise(t.text) for t in doc[:FUZZY_MAX_TOKENS]]
        candidates: list[tuple[float, int, int, _Name]] = []
        for name in self._fuzzy_names:
            size = len(name.words)
            for start in range(0, len(words) - size + 1):
                window = words[start : start + size]
                if any(i in taken for i in range(start, start + size)) or not all(window):
                    continue
                score = _name_score(window, name.words)
                if score is not None:
                    candidates.append((score, start, start + size, name))
        chosen: list[NameMatch] = []
        # Best score first; longer names first on a tie ("Weber State" over "Weber").
        for score, start, end, name in sorted(candidates, key=lambda c: (-c[0], -(c[2] - c[1]))):
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            chosen.append(self._to_match(doc[start:end], name, score))
        return chosen


def _name_score(window: Sequence[str], name: Sequence[str]) -> float | None:
    """Similarity of a window of typed words to a name, or None when it is not that name.

    Every word must correspond: short words exactly, longer ones closely, and at least one
    word must be distinctive (not "college", "state", ...), so generic words alone never match.
    """
    total = 0.0
    distinctive = 0
    for typed, wanted in zip(window, name, strict=True):
        if typed == wanted:
            total += 100.0
            distinctive += wanted not in GENERIC_WORDS
            continue
        # Short words ("of", "area", "state") must be exact; longer ones may be misspelled.
        if len(wanted) < FUZZY_MIN_WORD_LENGTH + (wanted in GENERIC_WORDS):
            return None
        if len(typed) < FUZZY_MIN_WORD_LENGTH - 1 or typed in GENERIC_WORDS:
            return None
        score = fuzz.ratio(typed, wanted)
        if score < FUZZY_WORD_SCORE:
            return None
        distinctive += wanted not in GENERIC_WORDS
        total += score
    if not distinctive:
        return None
    overall = fuzz.ratio(" ".join(window), " ".join(name))
    if overall < FUZZY_NAME_SCORE:
        return None
    return min(overall, total / len(name))


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


_current: NameMatcher | None = None


def matcher_for(knowledge: Knowledge) -> NameMatcher:
    """The matcher of this knowledge snapshot, built once per snapshot (per staff edit)."""
    global _current
    if _current is None or _current.knowledge is not knowledge:
        _current = NameMatcher(knowledge)
    return _current
