"""Tuition figures: how to say them, and which totals may honestly be derived.

A tuition figure is an amount *with* a unit (per credit, per semester, per year, whole
program) and a residency (in-state, out-of-state, anyone). Two figures are comparable only
when both agree; a derived figure always carries the arithmetic that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.knowledge import Program, Residency, TuitionFigure, Unit

UNIT_LABELS = {
    Unit.PER_CREDIT: "per credit hour",
    Unit.PER_SEMESTER: "per semester",
    Unit.PER_YEAR: "per year",
    Unit.PROGRAM_TOTAL: "for the whole program",
}
RESIDENCY_LABELS = {
    Residency.ANY: "",
    Residency.IN_STATE: "in-state",
    Residency.OUT_OF_STATE: "out-of-state",
}


def money(amount: float) -> str:
    """$14,198 — whole dollars when the amount is whole, cents otherwise."""
    if float(amount).is_integer():
        return f"${int(amount):,}"
    return f"${amount:,.2f}"


def describe(figure: TuitionFigure, unit: bool = True) -> str:
    """'$6,228 per year (in-state)'; a figure's caveat goes wherever the figure goes:
    '$14,198 for the whole program (an estimate; the source gives no unit)'. Without
    ``unit`` ('$6,228 (in-state)') where the unit is said once for several figures."""
    text = f"{money(figure.amount)} {UNIT_LABELS[figure.unit]}" if unit else money(figure.amount)
    qualifiers = [q for q in (RESIDENCY_LABELS[figure.residency], figure.note) if q]
    return f"{text} ({'; '.join(qualifiers)})" if qualifiers else text


def applicable(program: Program, residency: Residency | None) -> list[TuitionFigure]:
    """The figures that apply to a student of this residency (None or ANY: every figure); a
    figure for anyone applies to all."""
    if residency in (None, Residency.ANY):
        return list(program.tuition)
    return [f for f in program.tuition if f.residency in (residency, Residency.ANY)]


@dataclass(frozen=True)
class DerivedTotal:
    """A whole-program figure computed from published ones, with its basis spelled out."""

    amount: float
    residency: Residency
    basis: str


def derived_totals(program: Program) -> list[DerivedTotal]:
    """Totals that follow from the file by arithmetic alone (credit hours x per-credit rate).

    Per-year and per-semester rates are not turned into totals: the number of years or
    semesters a student needs is not a published fact.
    """
    hours = program.credential.credit_hours
    if not hours:
        return []
    return [
        DerivedTotal(
            amount=hours * figure.amount,
            residency=figure.residency,
            basis=f"{hours} credit hours x {money(figure.amount)}",
        )
        for figure in program.tuition
        if figure.unit is Unit.PER_CREDIT
    ]
