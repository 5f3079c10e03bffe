"""Read a student's constraints from free text: "fully online and done within a year",
"anything in Utah under $7,000 a year", "no licence needed, starting in the summer".

Names (states, accreditors) come from the knowledge file via ``advisor.matching`` and the
snapshot's accreditation entries; the rest are the handful of phrasings people use for
duration, money, online study, licences and start terms.
"""

from __future__ import annotations

import re

from advisor.advising import Budget, Constraints
from advisor.knowledge import TERMS, Knowledge, Residency, Unit, drop_article
from advisor.matching import US_STATE, NameMatcher, matcher_for

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "six": 6, "nine": 9,
                 "twelve": 12, "half": 0.5}  # fmt: skip
_LIMIT = (
    r"(?:under|below|less than|within|at most|no more than|max(?:imum)?|up to|in under|"
    r"cheaper than|shorter than|faster than|quicker than|(?:finish|done|complete)(?:d)? in)"
)
# "12 months or less", "$5,000 at most": the limit after the amount.
_LIMIT_AFTER = r"\s*(?:or (?:less|fewer|under|below)|at most|max(?:imum)?)\b"
_AMOUNT_OF_TIME = (
    r"(?:a\s+)?(\d+|a|an|one|two|three|six|nine|twelve|half)\s*(?:a\s+)?(year|month)s?"
)
_DURATION = re.compile(
    _LIMIT + r"\s+" + _AMOUNT_OF_TIME + "|" + _AMOUNT_OF_TIME + _LIMIT_AFTER, re.IGNORECASE
)
_DURATION_BARE = re.compile(r"(?:" + _LIMIT + r"\s+)?" + _AMOUNT_OF_TIME, re.IGNORECASE)
_AMOUNT_OF_MONEY = (
    r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k\b)?"  # a digit first: "tight, maybe" is no amount
    r"(?:\s*(?:a|per|/|each)?\s*(year|yr|semester|term|credit(?:\s+hour)?|total|overall|"
    r"program(?:me)?|in total))?"
)
_MONEY = re.compile(_LIMIT + r"\s*" + _AMOUNT_OF_MONEY, re.IGNORECASE)
# An answer to "what is your budget?" may be just "$7,000 a year" or "7000 per year".
_MONEY_BARE = re.compile(
    r"(?:" + _LIMIT + r"\s*)?" + _AMOUNT_OF_MONEY.replace(r"\$\s?", r"\$?\s?", 1),
    re.IGNORECASE,
)
_ONLINE = re.compile(r"\b(?:fully |100% |completely |entirely )?(?:online|remote(?:ly)?|"
                     r"distance|from home|virtual(?:ly)?)\b", re.IGNORECASE)  # fmt: skip
_NO_LICENCE = re.compile(
    r"\b(?:no|without|don'?t (?:have|hold|need)|do not (?:have|hold|need)|not|never been|"
    r"(?:doesn'?t|does not|don'?t|do not) require)\b[^.?!]{0,25}"
    r"\b(?:licen[cs]e[ds]?|registered|ARRT|ARDMS|NMTCB|registry|certified)\b|"
    r"\b(?:beginner|new to the field|just starting)\b",
    re.IGNORECASE,
)
_STANDALONE = re.compile(
    r"\bstand[- ]?alone\b|without (?:being )?admi(?:ssion|tted)|"
    r"(?:not|n't|no) (?:require |need )?admission",
    re.IGNORECASE,
)
# "Leads to ABII certification" and "counts as (ABII) continuing education" are different
# wishes: the second is asked whenever continuing education is named.
_ABII = re.compile(r"\bABII\b|\bCIIP\b", re.IGNORECASE)
_CONTINUING_EDUCATION = re.compile(r"continuing[- ]education|\bCEU?s?\b", re.IGNORECASE)
_RESIDENCY = (
    (re.compile(r"\bout[- ]of[- ]state\b|non[- ]?resident|live outside", re.I),
     Residency.OUT_OF_STATE),
    (re.compile(r"\bin[- ]state\b|\bresident\b", re.I), Residency.IN_STATE),
)  # fmt: skip
_UNITS = {"year": Unit.PER_YEAR, "yr": Unit.PER_YEAR, "semester": Unit.PER_SEMESTER,
          "term": Unit.PER_SEMESTER, "credit": Unit.PER_CREDIT, "total": Unit.PROGRAM_TOTAL,
          "overall": Unit.PROGRAM_TOTAL, "program": Unit.PROGRAM_TOTAL}  # fmt: skip


def parse(text: str, knowledge: Knowledge, matcher: NameMatcher | None = None) -> Constraints:
    matcher = matcher or matcher_for(knowledge)
    states = tuple(m.value for m in matcher.find(text) if m.entity == US_STATE)
    return Constraints(
        fully_online=True if _ONLINE.search(text) else None,
        states=states,
        accreditor=_accreditor(text, knowledge),
        max_months=parse_months(text),
        abii=True if _ABII.search(text) and not _CONTINUING_EDUCATION.search(text) else None,
        continuing_education=True if _CONTINUING_EDUCATION.search(text) else None,
        start_term=_term(text),
        no_licence=True if _NO_LICENCE.search(text) else None,
        standalone=True if _STANDALONE.search(text) else None,
        budget=parse_budget(text),
    )


def parse_months(text: str, bare: bool = False) -> int | None:
    """Months from "within a year" (or, ``bare``, from an answer such as "6 months")."""
    match = (_DURATION_BARE if bare else _DURATION).search(text)
    if not match:
        return None
    count, unit = (g.lower() for g in match.groups() if g is not None)
    number = float(_NUMBER_WORDS.get(count, 0) or count)
    return int(round(number * (12 if unit == "year" else 1)))


def parse_budget(text: str, bare: bool = False) -> Budget | None:
    """A budget from "under $7,000 a year" (or, ``bare``, from an answer "7000 per year")."""
    match = (_MONEY_BARE if bare else _MONEY).search(text)
    if not match:
        return None
    amount = float(match.group(1).replace(",", "")) * (1000 if match.group(2) else 1)
    # "credit hour" -> "credit", "in total" -> "total"
    unit_word = (
        (match.group(3) or "").lower().removeprefix("in ").split()[0] if match.group(3) else ""
    )
    unit = next((u for key, u in _UNITS.items() if unit_word.startswith(key)), None)
    residency = next((r for pattern, r in _RESIDENCY if pattern.search(text)), Residency.ANY)
    return Budget(amount, unit, residency)


def _term(text: str) -> str | None:
    lowered = text.lower().replace("autumn", "fall")
    return next((t for t in TERMS if re.search(rf"\b{t}\b", lowered)), None)


def _accreditor(text: str, knowledge: Knowledge) -> str | None:
    for program in knowledge.programs:
        body = program.accreditation
        if not body:
            continue
        # the abbreviation, the full name, or its first three words ("Middle States
        # Commission")
        short = " ".join(drop_article(body.body).split()[:3])
        for name in (body.abbreviation, body.body, short):
            if name and re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
                return body.abbreviation or body.body
    return None
