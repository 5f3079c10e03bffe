"""Narrow, rank and compare programs — honestly.

Each constraint is checked against one program with three possible outcomes: it holds, it
fails (with the reason), or the knowledge file does not say (never taken as a yes or a no).
A reason is a short phrase ("takes three years"); ``advisor.replies`` builds the sentences.
Tuition is ranked only like with like: the same unit and residency, or a whole-program total
derived from credit hours x rate with its arithmetic shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from advisor.knowledge import Knowledge, OnlineStatus, Program, Residency, Unit
from advisor.tuition import applicable, derived_totals, describe, money

# The student's residency at a program (advisor.profile.Profile.residency_at), when known.
ResidencyOf = Callable[[Program], "Residency | None"]


class Outcome(str, Enum):
    MEETS = "meets"
    FAILS = "fails"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Budget:
    amount: float
    unit: Unit | None = None  # None: the student did not say per what
    residency: Residency = Residency.ANY

    def as_dict(self) -> dict[str, Any]:
        """As the parse data, the tracker's slots and the guided form keep it (JSON)."""
        return {
            "amount": self.amount,
            "unit": self.unit.value if self.unit else None,
            "residency": self.residency.value,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Budget:
        """The inverse of ``as_dict``; raises ValueError, TypeError or KeyError on anything
        else, for the caller to treat as "no budget"."""
        return cls(
            float(data["amount"]),
            Unit(data["unit"]) if data.get("unit") else None,
            Residency(data.get("residency") or Residency.ANY.value),
        )


@dataclass(frozen=True)
class Constraints:
    """What a student asked for; None / empty means "no preference"."""

    fully_online: bool | None = None
    states: tuple[str, ...] = ()
    accreditor: str | None = None
    max_months: int | None = None
    abii: bool | None = None  # leads to the ABII examination
    continuing_education: bool | None = None  # courses count as continuing education
    start_term: str | None = None
    no_licence: bool | None = None
    standalone: bool | None = None
    budget: Budget | None = None
    credential: str | None = None  # "degree" or "certificate"

    def is_empty(self) -> bool:
        return self == Constraints()

    def fact(self) -> str | None:
        """The per-program fact a filter on one thing asks about ("which ones start in
        summer?": start_terms), so that "and the other one?" asks it again; None for a
        filter on several things."""
        asked = {
            "online": self.fully_online,
            "location": self.states,
            "accreditation": self.accreditor,
            "duration": self.max_months,
            "exams": self.abii,
            "continuing_education": self.continuing_education,
            "start_terms": self.start_term,
            "licence": self.no_licence,
            "cost": self.budget,
            "credential": self.credential,
        }
        facts = [name for name, value in asked.items() if value not in (None, ())]
        return facts[0] if len(facts) == 1 else None


@dataclass(frozen=True)
class Check:
    outcome: Outcome
    reason: str


@dataclass
class Verdict:
    program: Program
    checks: list[Check] = field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        outcomes = {c.outcome for c in self.checks}
        if Outcome.FAILS in outcomes:
            return Outcome.FAILS
        return Outcome.UNKNOWN if Outcome.UNKNOWN in outcomes else Outcome.MEETS

    def reasons(self, outcome: Outcome) -> list[str]:
        return [c.reason for c in self.checks if c.outcome is outcome]


def _online(program: Program) -> Check:
    status = program.online.status
    if status is OnlineStatus.FULLY_ONLINE:
        return Check(Outcome.MEETS, "can be taken online")
    if status is OnlineStatus.ON_CAMPUS:
        return Check(Outcome.FAILS, "is taught on campus")
    if status is OnlineStatus.DISTANCE_OPTIONS:
        return Check(Outcome.UNKNOWN, "offers distance learning, but not stated as fully online")
    return Check(Outcome.UNKNOWN, "online status is not in my records")


def _duration(program: Program, max_months: int) -> Check:
    if not program.duration:
        return Check(Outcome.UNKNOWN, "time to completion is not in my records")
    text = program.duration.text
    if program.duration.max_months <= max_months:
        return Check(Outcome.MEETS, f"takes {text}")
    if program.duration.min_months <= max_months:
        return Check(Outcome.UNKNOWN, f"takes {text}, so it may take longer")
    return Check(Outcome.FAILS, f"takes {text}")


def _abii(program: Program) -> Check:
    """Exam eligibility only: courses that count as ABII continuing education do not make a
    student eligible for the ABII examination (Weber's, for instance)."""
    cert = program.certification
    if cert.abii_exam_eligible:
        # The condition the file gives travels with the claim ("after three years in the field").
        condition = f" ({cert.abii_condition})" if cert.abii_condition else ""
        return Check(Outcome.MEETS, f"qualifies you for the ABII examination{condition}")
    if cert.abii_exam_eligible is False:
        return Check(Outcome.FAILS, "does not lead to ABII eligibility")
    if any("ABII" in c for c in cert.continuing_education):
        return Check(
            Outcome.UNKNOWN,
            "its courses count as ABII continuing education; exam eligibility is not in my "
            "records",
        )
    return Check(Outcome.UNKNOWN, "ABII eligibility is not in my records")


def _continuing_education(program: Program) -> Check:
    bodies = program.certification.continuing_education
    if bodies:
        return Check(
            Outcome.MEETS, f"its courses count as continuing education ({', '.join(bodies)})"
        )
    return Check(Outcome.UNKNOWN, "continuing-education credit is not in my records")


def _start(program: Program, term: str) -> Check:
    if not program.start_terms:
        return Check(Outcome.UNKNOWN, "start terms are not in my records")
    if term in program.start_terms:
        return Check(Outcome.MEETS, f"starts in the {term}")
    return Check(Outcome.FAILS, f"starts only in the {', '.join(program.start_terms)}")


def _no_licence(program: Program) -> Check:
    required = program.admission.licensure_required
    if required:
        return Check(Outcome.FAILS, f"requires a license ({' / '.join(required)})")
    return Check(Outcome.MEETS, "no license requirement in my records")


def _standalone(program: Program) -> Check:
    if program.admission.standalone:
        return Check(Outcome.MEETS, "is stand-alone: no admission to the institution needed")
    if program.admission.standalone is False:
        return Check(Outcome.FAILS, "requires admission to the institution")
    return Check(Outcome.UNKNOWN, "whether it is stand-alone is not in my records")


def _budget(program: Program, budget: Budget, theirs: Residency | None = None) -> Check:
    """Within budget only when a figure in the same unit (and residency) is at most the budget.
    ``theirs``: the student's residency at this program, when the budget does not say."""
    limit = money(budget.amount)
    if budget.residency is Residency.ANY and theirs is not None:
        budget = replace(budget, residency=theirs)
    if budget.unit is None:
        stated = _all_figures(program, budget.residency)
        return Check(Outcome.UNKNOWN, f"tuition is {stated}; per what is {limit}?")
    figures = [
        (f.amount, describe(f))
        for f in applicable(program, budget.residency)
        if f.unit is budget.unit
    ]
    if budget.unit is Unit.PROGRAM_TOTAL:
        figures += [
            (t.amount, f"{money(t.amount)} for the whole program ({t.basis})")
            for t in derived_totals(program)
        ]
    if not figures:
        return Check(
            Outcome.UNKNOWN,
            f"{_all_figures(program, budget.residency)}, not comparable with {limit} "
            f"{_unit_words(budget.unit)}",
        )
    cheapest = min(figures)
    if cheapest[0] <= budget.amount:
        within = [text for amount, text in figures if amount <= budget.amount]
        return Check(Outcome.MEETS, f"costs {'; '.join(within)}")
    return Check(Outcome.FAILS, f"costs {cheapest[1]}, over {limit}")


def _unit_words(unit: Unit) -> str:
    return {
        Unit.PER_CREDIT: "per credit hour",
        Unit.PER_SEMESTER: "per semester",
        Unit.PER_YEAR: "a year",
        Unit.PROGRAM_TOTAL: "in total",
    }[unit]


def _all_figures(program: Program, residency: Residency = Residency.ANY) -> str:
    return "; ".join(describe(f) for f in applicable(program, residency)) or "not in my records"


def judge(
    program: Program, wanted: Constraints, residency_of: ResidencyOf | None = None
) -> Verdict:
    verdict = Verdict(program)
    checks = verdict.checks
    if wanted.fully_online:
        checks.append(_online(program))
    if wanted.states:
        place = program.location
        if place.state in wanted.states:
            checks.append(Check(Outcome.MEETS, f"is in {place.city}, {place.state}"))
        else:
            checks.append(Check(Outcome.FAILS, f"is in {place.state}"))
    if wanted.accreditor:
        body = program.accreditation
        names = {body.body.lower(), (body.abbreviation or "").lower()} if body else set()
        if not body:
            checks.append(Check(Outcome.UNKNOWN, "accreditation is not in my records"))
        else:
            ok = wanted.accreditor.lower() in names
            abbreviation = body.abbreviation or body.body
            checks.append(
                Check(Outcome.MEETS if ok else Outcome.FAILS, f"is accredited by {abbreviation}")
            )
    if wanted.max_months is not None:
        checks.append(_duration(program, wanted.max_months))
    if wanted.abii:
        checks.append(_abii(program))
    if wanted.continuing_education:
        checks.append(_continuing_education(program))
    if wanted.start_term:
        checks.append(_start(program, wanted.start_term))
    if wanted.no_licence:
        checks.append(_no_licence(program))
    if wanted.standalone:
        checks.append(_standalone(program))
    if wanted.budget:
        theirs = residency_of(program) if residency_of else None
        checks.append(_budget(program, wanted.budget, theirs))
    if wanted.credential:
        checks.append(_credential(program, wanted.credential))
    return verdict


def _credential(program: Program, wanted: str) -> Check:
    kind, name = program.credential.kind, program.credential.name
    if kind is None:
        return Check(Outcome.UNKNOWN, "the kind of credential is not in my records")
    described = f"awards {name}" if name else f"awards a {kind.value}"
    return Check(Outcome.MEETS if kind.value == wanted else Outcome.FAILS, described)


def nearest(verdicts: list[Verdict]) -> list[Verdict]:
    """When nothing matches: the programs with the fewest failed checks, in file order."""
    failing = [v for v in verdicts if v.outcome is Outcome.FAILS]
    if not failing:
        return []
    fewest = min(len(v.reasons(Outcome.FAILS)) for v in failing)
    return [v for v in failing if len(v.reasons(Outcome.FAILS)) == fewest]


def filter_programs(
    knowledge: Knowledge, wanted: Constraints, residency_of: ResidencyOf | None = None
) -> list[Verdict]:
    """Every program's verdict, in file order (deterministic: "the first one" is stable).
    ``residency_of``: which tuition applies to the student (where they live), if known."""
    return [judge(program, wanted, residency_of) for program in knowledge.programs]


# --- ranking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """Programs ranked within one comparable group (one unit and residency)."""

    label: str
    # (program id, amount, as stated beside the group's unit, as stated alone)
    entries: tuple[tuple[str, float, str, str], ...]
    unit: Unit = Unit.PROGRAM_TOTAL


def rank_by_cost(
    knowledge: Knowledge,
    program_ids: list[str] | None = None,
    dearest: bool = False,
    residency_of: ResidencyOf | None = None,
) -> list[Ranked]:
    """Cheapest first (``dearest``: most expensive first), within groups of like figures;
    whole-program totals include derived ones. ``residency_of``: the residency that applies
    to the student at each program (None: all figures).

    Groups are never merged: a per-credit rate and a per-year rate are not comparable.
    """
    chosen = [p for p in knowledge.programs if program_ids is None or p.id in program_ids]
    groups: dict[tuple[Unit, Residency], list[tuple[str, float, str, str]]] = {}
    for program in chosen:
        theirs = residency_of(program) if residency_of else None

        def applies(residency: Residency, theirs: Residency | None = theirs) -> bool:
            return theirs is None or residency in (theirs, Residency.ANY)

        for figure in program.tuition:
            if applies(figure.residency):
                groups.setdefault((figure.unit, figure.residency), []).append(
                    (program.id, figure.amount, describe(figure, unit=False), describe(figure))
                )
        for total in derived_totals(program):
            if applies(total.residency):
                stated = f"{money(total.amount)} ({total.basis})"
                groups.setdefault((Unit.PROGRAM_TOTAL, total.residency), []).append(
                    (program.id, total.amount, stated, f"{stated} for the whole program")
                )
    order = [Unit.PROGRAM_TOTAL, Unit.PER_YEAR, Unit.PER_SEMESTER, Unit.PER_CREDIT]
    ranked = []
    for (unit, residency), entries in sorted(
        groups.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1].value)
    ):
        label = {
            Unit.PROGRAM_TOTAL: "whole program",
            Unit.PER_YEAR: "per year",
            Unit.PER_SEMESTER: "per semester",
            Unit.PER_CREDIT: "per credit hour",
        }[unit]
        if residency is not Residency.ANY:
            label += f", {residency.value.replace('_', '-')}"
        ordered = sorted(entries, key=lambda e: (-e[1] if dearest else e[1], e[0]))
        ranked.append(Ranked(label, tuple(ordered), unit))
    return ranked


def rank_by_duration(
    knowledge: Knowledge, program_ids: list[str] | None = None, longest: bool = False
) -> list[list[Program]]:
    """Programs in order of time to completion, ties grouped; unknown durations last."""
    chosen = [p for p in knowledge.programs if program_ids is None or p.id in program_ids]
    tiers: dict[tuple[int, int], list[Program]] = {}
    for program in chosen:
        if program.duration:
            key = (program.duration.max_months, program.duration.min_months)
            tiers.setdefault(key, []).append(program)
    ordered = [tiers[key] for key in sorted(tiers, reverse=longest)]
    unknown = [p for p in chosen if not p.duration]
    return ordered + ([unknown] if unknown else [])


# --- references to what was shown -------------------------------------------------------------

ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "1st": 0, "2nd": 1,
            "3rd": 2, "4th": 3, "5th": 4}  # fmt: skip


def resolve_reference(
    reference: str,
    shown: list[str],
    knowledge: Knowledge,
    focus: Sequence[str] = (),
    recent: Sequence[Sequence[str]] = (),
    again: bool = False,
) -> list[str]:
    """'first', 'last', 'first_two', 'all', 'cheaper', 'shorter' against the list shown, in its
    order;
    'others' and 'other' against the programs in ``focus`` (the last answered about).

    ``recent``: the groups of programs the student saw or asked about, latest first. "Those
    two" after two questions about one program each means those two programs; after a list,
    its first two (lists are shown best match first). ``again``: the previous message said
    "the others" too, so "which of the others is cheapest" means the same others."""
    if reference == "others":
        if again and focus:
            return list(focus)  # the others, still
        # "what about the others?": every program not just talked about
        talked = list(focus) or shown[:1]
        return [p.id for p in knowledge.programs if p.id not in talked]
    if reference == "other":
        # "and the other one?": the one of the pair last talked about that was not just
        # answered about
        pair = next((list(g) for g in recent if len(g) >= 2), shown)
        rest = [p for p in pair if p not in focus]
        return rest[:1] if len(pair) >= 2 and focus else []
    if reference == "both" and recent:
        return last_two(recent)
    if not shown:
        return []
    if reference in ORDINALS:
        index = ORDINALS[reference]
        return [shown[index]] if index < len(shown) else []
    if reference == "last":
        return [shown[-1]]
    if reference in ("both", "first_two"):
        return list(shown[:2]) if len(shown) >= 2 else []  # the two shown first
    if reference in ("all", "them"):
        return list(shown)
    if reference in ("cheaper", "cheapest"):
        for group in rank_by_cost(knowledge, shown):
            if len({e[0] for e in group.entries}) == len(shown):
                return [group.entries[0][0]]
        return []  # no like-for-like figure covers all of them: no honest "cheaper"
    if reference in ("shorter", "shortest", "faster", "fastest"):
        tiers = rank_by_duration(knowledge, shown)
        return [p.id for p in tiers[0]] if tiers and len(tiers[0]) == 1 else []
    return []


def last_two(recent: Sequence[Sequence[str]]) -> list[str]:
    """ "Those two": the last two programs asked about one at a time (in the order asked), or
    else the first two of the last list shown."""
    singles: list[str] = []
    for group in recent:
        if len(group) >= 2:
            return list(group[:2])
        if group and group[0] not in singles:
            singles.append(group[0])
            if len(singles) == 2:
                return singles[::-1]
    return []
