"""Schools a student names that the knowledge file does not hold.

"How much is Stanford?" after a question about Clarkson must not be answered about
Clarkson, nor about the program in Utah when "University of Utah" is named. Names are
found from their form (capitalised words before "University", "College", ...; a capitalised
word or acronym after "at", "is", "vs", ...), and ordinary words are told apart by spaCy's
English word table and the question library's own vocabulary.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from advisor.knowledge import Knowledge, normalise
from advisor.matching import PROGRAM, US_STATE, US_STATES, NameMatch

_KINDS = ("University", "College", "Institute", "School", "Academy", "Polytechnic")
_SCHOOL_WORDS = rf"(?:{'|'.join(_KINDS)})"
_NAME_WORD = r"[A-Z][\w.'&-]*"
_SCHOOL = re.compile(
    rf"\b(?:{_SCHOOL_WORDS} of(?: the)?(?: {_NAME_WORD})+|(?:{_NAME_WORD} ){{1,4}}{_SCHOOL_WORDS}"
    rf"(?: of(?: {_NAME_WORD})+)?)\b(?!s\b)"
)
_TITLE_WORD = re.compile(r"\b[A-Za-z][a-z']{3,}\b")
# A lone capitalised word or acronym is taken for a school only after these words.
# After "attend" or "transfer from", a capitalised name is a school whatever follows, and so
# is an acronym after a preposition ("a degree from UF", "Oregon Tech and MIT").
_SCHOOL_STRONG = re.compile(
    r"\b(?:attend(?:ing|ed)?|enrolled (?:at|in)|transfer(?:ring)? (?:from|to)|outside of)\s+"
    r"((?:[A-Z][a-z]+|[A-Z]{2,6})(?:\s+[A-Z][a-z]+)?)(?:'s)?\b"
    r"|\b(?:at|from|and|or|vs\.?|versus|than|with|about|is)\s+([A-Z]{2,6})\b(?!-)"
)
# ... otherwise only when what follows is the end of the question or a word about programs:
# "how much is Stanford?", "is Johns Hopkins online?", but not "is Cerner experience
# required?" or "I'm from Chicago, what does it cost?".
_SCHOOL_CONTEXT = re.compile(
    r"\b(?:at|is|about|attend(?:ing)?|vs\.?|versus|than|does|through)\s+"
    r"((?:[A-Z][a-z]+|[A-Z]{2,6})(?:\s+[A-Z][a-z]+)?)(?:'s)?\b"
    r"(?=\s*(?:[?.!,]|$)|'s\b|\s+(?:online|accredited|program|programs|offer|offers|have|has|"
    r"cost|costs|charge|tuition|good|better|cheaper|or|and|vs|compared?)\b)"
)
# Capitalised words that are not school names.
_NOT_SCHOOLS = frozenset(
    normalise(w)
    for w in """
    I PACS ABII CIIP ARRT ARDMS NMTCB PARCA CPAS CPSA CPIA CPIT SIIM AHRA JRCERT AART GPA SAT
    ACT TOEFL FAFSA GI VA HR IT CE CEU CEUs DICOM HL7 RIS HIS EHR MRI CT US USA AAS AS BS MS RT
    RN FAQ NWCCU HLC MSCHE SACS SACSCOC WASC NEASC HIPAA English Spanish Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Spring Summer Fall Autumn Winter PhD MBA OK Bachelor
    Bachelors Associate Associates Master Masters Certificate Certification Radiology
    Radiologic Imaging Informatics Medical Health Nursing Sonography Online Hi Hello Thanks
    Yes No Which What Who How Why When Where Can Could Do Does Is Are Will Would Should The A
    An It My Me You Your Please Also Both All First Second Third Last Tech Program Programs
    IELTS GED TEAS HESI CPR BLS HIT HIM HIMS RHIT RHIA MR NM LPN CNA EMT ASRT AHIMA HIMSS
    CompTIA UK EU AI ID PDF DUI TB CV ACCUPLACER SARA NC CAAHEP ABHES DOE ED USMLE MSN BSN
    """.split()  # noqa: SIM905 - a word list reads better as text
)


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Common English words (spaCy's English lemma table, which ships with the project's
    requirements): a capitalised "Regional" or "Trade" is not a school's name."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    return frozenset(table) | frozenset(table.values())


def _ordinary(key: str, knowledge: Knowledge) -> bool:
    """Every word of ``key`` is an ordinary word (English, or used in the library's
    examples), not a place: "Trade School" is no school's name, "University of Utah" is."""
    vocabulary = _library_words(knowledge.questions)
    english = _english_words()
    places = {w for state in US_STATES for w in normalise(state).split()}
    places |= {w for p in knowledge.programs for w in normalise(p.location.city).split()}
    return all(
        (w in english or w in vocabulary or w in _NOT_SCHOOLS) and w not in places
        for w in key.split()
    )


_LIBRARY_WORDS: list[tuple[tuple, frozenset[str]]] = []


def _library_words(questions: tuple) -> frozenset[str]:
    """The words of the library's examples, kept for the latest snapshot only (compared by
    identity: a snapshot's tuple is never changed, only replaced)."""
    if not _LIBRARY_WORDS or _LIBRARY_WORDS[0][0] is not questions:
        words = frozenset(w for q in questions for e in q.examples for w in normalise(e).split())
        _LIBRARY_WORDS[:] = [(questions, words)]
    return _LIBRARY_WORDS[0][1]


def unknown_schools(
    text: str, known: Sequence[NameMatch], knowledge: Knowledge
) -> list[tuple[str, int, int]]:
    """School names in the text that are not in the knowledge file ("Stanford University",
    "how much is Stanford?"), with where they are, so that they are never answered as
    another program ("University of Utah" is not the program in Utah)."""
    programs = [m for m in known if m.entity == PROGRAM]
    taken = [(m.start, m.end) for m in programs]
    states = [(m.start, m.end) for m in known if m.entity == US_STATE]
    own = {
        normalise(name)
        for p in knowledge.programs
        for name in (*p.names, p.location.city, p.location.state)
    }
    words = {w for name in own for w in name.split()}
    if _title_case(text):
        return []  # "Does the GI Bill Cover Trade School?": capitals say nothing about names
    found: list[tuple[str, int, int]] = []
    for pattern in (_SCHOOL, _SCHOOL_STRONG, _SCHOOL_CONTEXT):
        for match in pattern.finditer(text):
            # the whole match for a "... University", else the name after the context word
            group = 0 if pattern is _SCHOOL else next(i for i in (1, 2) if match.group(i))
            start, end = match.span(group)
            name = match.group(group).strip()
            key = normalise(name)
            if not group and _another_institution(match, programs, knowledge):
                # "The Clarkson School", "Clarkson University": not Clarkson College
                found.append((name, start, end))
                continue
            if any(s < end and start < e for s, e in taken) or key in own:
                continue
            if group and any(s < end and start < e for s, e in states):
                continue  # "is Texas any good?": a state, not a school
            if key in words or _ordinary(key, knowledge):
                continue
            if not group and _ordinary(_drop_school_words(key), knowledge):
                continue
            taken.append((start, end))
            found.append((name, start, end))
    return found


def _another_institution(
    match: re.Match, programs: Sequence[NameMatch], knowledge: Knowledge
) -> bool:
    """A program's name inside a "... University" whose kind of school differs from every
    name of that program: "Clarkson University" is not Clarkson College, "Harrisburg
    University" not Harrisburg Area Community College; "Weber State University" is Weber."""
    start, end = match.span()
    inside = [m for m in programs if start <= m.start and m.end <= end]
    if not inside or match.group(0).lower().startswith(tuple(f"{k.lower()} of" for k in _KINDS)):
        return False  # "University of Utah" names no program; handled as a place
    kinds = set(re.findall(_SCHOOL_WORDS, match.group(0)))
    for found in inside:
        program = knowledge.program(found.value) if knowledge.has_program(found.value) else None
        if program is None:
            return False
        own_kinds = {k for name in program.names for k in re.findall(_SCHOOL_WORDS, name)}
        if normalise(match.group(0)) in {normalise(n) for n in program.names}:
            return False
        if not own_kinds or kinds & own_kinds:
            return False
    return True


def _drop_school_words(key: str) -> str:
    """ "trade school" -> "trade": is what names the school an ordinary word?"""
    return re.sub(rf"\b(?:{_SCHOOL_WORDS.lower()}|of|the)\b", " ", key).strip()


def _title_case(text: str) -> bool:
    long_words = _TITLE_WORD.findall(text)
    capitalised = sum(w[0].isupper() for w in long_words)
    return len(long_words) >= 5 and capitalised / len(long_words) >= 0.6
