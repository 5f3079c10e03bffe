"""Yes, no or it depends: checking a student's conclusion against the facts.

"so clarkson is cheaper for me, right?" deserves a straight answer with its reason. Tuition
comes in different units, so a straight answer is not always possible: a whole-program total
($7,584, from 12 credit hours x $632) and a yearly rate ($6,228 for a six-to-12-month program)
can only be set side by side under an assumption about how the yearly rate is charged. Such a
comparison is made only with the assumption said, and where even that does not settle it,
the answer is "it depends", with what it depends on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from advisor.advising import Budget, Outcome, Verdict, filter_programs, judge
from advisor.knowledge import Knowledge, Program, Residency, Unit
from advisor.profile import Profile
from advisor.tuition import applicable, derived_totals, describe, money

# The shortest a semester is taken to be, to bound the number of semesters of a program.
SEMESTER_MONTHS = 4


class Answer(Enum):
    YES = "yes"
    NO = "no"
    DEPENDS = "depends"


@dataclass(frozen=True)
class Estimate:
    """What a whole program costs one student, as far as the file allows: between ``low``
    and ``high`` (None: unknown), how the figure was stated, and the assumption made, if any."""

    program: Program
    low: float | None
    high: float | None
    stated: str
    assumption: str = ""


@dataclass(frozen=True)
class BottomLine:
    answer: Answer
    estimates: tuple[Estimate, ...]


def estimate(program: Program, residency: Residency | None) -> Estimate:
    """The whole program's tuition for a student of this residency (None: not known, so
    every residency's figure counts)."""
    if residency is None and any(f.residency is not Residency.ANY for f in program.tuition):
        each = [estimate(program, r) for r in (Residency.IN_STATE, Residency.OUT_OF_STATE)]
        lows, highs = [e.low for e in each], [e.high for e in each]
        low = None if None in lows else min(x for x in lows if x is not None)
        high = None if None in highs else max(x for x in highs if x is not None)
        stated = " or ".join(e.stated for e in each)
        return Estimate(program, low, high, stated, each[0].assumption)
    figures = applicable(program, residency)
    totals = [
        t
        for t in derived_totals(program)
        if residency is None or t.residency in (residency, Residency.ANY)
    ]
    whole = [f for f in figures if f.unit is Unit.PROGRAM_TOTAL]
    if whole:
        return Estimate(program, whole[0].amount, whole[0].amount, describe(whole[0]))
    if totals:
        total = totals[0]
        stated = f"{money(total.amount)} for the whole program ({total.basis})"
        return Estimate(program, total.amount, total.amount, stated)
    duration = program.duration
    for figure in figures:
        if figure.unit is Unit.PER_YEAR and duration:
            years = math.ceil(duration.max_months / 12)
            low, high = figure.amount * duration.min_months / 12, figure.amount * years
            return Estimate(
                program,
                low,
                high,
                f"{money(low)} to {money(high)} ({describe(figure)}, {duration.text})",
                "a part year is charged in proportion",
            )
        if figure.unit is Unit.PER_SEMESTER and duration:
            most = max(1, math.ceil(duration.max_months / SEMESTER_MONTHS))
            return Estimate(
                program,
                figure.amount,
                figure.amount * most,
                f"{money(figure.amount)} to {money(figure.amount * most)} ({describe(figure)}, "
                f"{duration.text})",
                f"a semester lasts at least {SEMESTER_MONTHS} months",
            )
    stated = " or ".join(describe(f) for f in figures) or "not in my records"
    return Estimate(program, None, None, stated)


def cheapest(
    knowledge: Knowledge,
    subject: str,
    among: Sequence[str],
    residency_of: Callable[[Program], Residency | None],
) -> BottomLine:
    """Is ``subject`` the cheapest of ``among`` (which includes it) for this student?"""
    ids = list(dict.fromkeys([subject, *among]))
    estimates = tuple(
        estimate(knowledge.program(p), residency_of(knowledge.program(p))) for p in ids
    )
    mine, others = estimates[0], estimates[1:]
    if mine.low is None or any(o.low is None for o in others):
        return BottomLine(Answer.DEPENDS, estimates)
    if all(o.low is not None and mine.high is not None and mine.high < o.low for o in others):
        return BottomLine(Answer.YES, estimates)
    if any(o.high is not None and o.high < mine.low for o in others):
        return BottomLine(Answer.NO, estimates)
    return BottomLine(Answer.DEPENDS, estimates)


def fastest(knowledge: Knowledge, subject: str, among: Sequence[str]) -> BottomLine:
    """Is ``subject`` the quickest of ``among`` to finish? (Durations are in months: no
    assumption is needed, only both ends of each range.)"""
    ids = list(dict.fromkeys([subject, *among]))
    programs = [knowledge.program(p) for p in ids]
    estimates = tuple(
        Estimate(p, p.duration.min_months, p.duration.max_months, p.duration.text)
        if p.duration
        else Estimate(p, None, None, "not in my records")
        for p in programs
    )
    mine, others = estimates[0], estimates[1:]
    if mine.high is None or any(o.low is None for o in others):
        return BottomLine(Answer.DEPENDS, estimates)
    if all(o.low is not None and mine.high < o.low for o in others):
        return BottomLine(Answer.YES, estimates)
    if any(o.high is not None and mine.low is not None and o.high < mine.low for o in others):
        return BottomLine(Answer.NO, estimates)
    return BottomLine(Answer.DEPENDS, estimates)


def confirm_figure(program: Program, residency: Residency | None, figure: Budget) -> BottomLine:
    """ "so it's 9739 a semester for me, and just one semester, right?": the student's figure
    against the whole program's cost for them. Yes only when the file gives exactly that
    total; it depends when the figure lies within what the file allows (the assumption
    said); no when it lies outside."""
    mine = estimate(program, residency)
    if mine.low is None or mine.high is None:
        return BottomLine(Answer.DEPENDS, (mine,))
    if mine.low == mine.high == figure.amount:
        return BottomLine(Answer.YES, (mine,))
    if mine.low <= figure.amount <= mine.high:
        return BottomLine(Answer.DEPENDS, (mine,))
    return BottomLine(Answer.NO, (mine,))


@dataclass(frozen=True)
class Fit:
    """ "Is that my best option?": how one program meets what the student told me, and which
    other programs meet it too. "Best" is theirs to weigh; the facts can only say whether a
    program fits their wishes, and whether it is the only one that does."""

    verdict: Verdict  # the program asked about, judged against the student's wishes
    others: tuple[Program, ...]  # other programs that meet every wish
    unsure: tuple[Program, ...]  # other programs the file can neither rule in nor out
    cost: str  # the tuition that applies to this student, as the file states it
    wished: bool  # the student has said what they want, not only where they live


def best_option(knowledge: Knowledge, subject: str, profile: Profile) -> Fit:
    """``subject`` judged against the student's wishes, beside every other program judged the
    same way, with the tuition that applies to them."""
    program = knowledge.program(subject)
    wishes = profile.wishes()
    residency = profile.residency_at(program)
    figures = applicable(program, residency)
    cost = " or ".join(describe(f) for f in figures) or "not in my records"
    everyone = filter_programs(knowledge, wishes, profile.residency_at)
    verdicts = [v for v in everyone if v.program.id != subject]
    return Fit(
        verdict=judge(program, wishes, profile.residency_at),
        others=tuple(v.program for v in verdicts if v.outcome is Outcome.MEETS),
        unsure=tuple(v.program for v in verdicts if v.outcome is Outcome.UNKNOWN),
        cost=cost,
        wished=not wishes.is_empty(),
    )
