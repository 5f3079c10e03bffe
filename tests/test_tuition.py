"""How tuition figures are said: amount, unit and residency together, and a figure's caveat
wherever the figure goes (a card, a ranking, a comparison, an answer)."""

from advisor.knowledge import Residency, TuitionFigure, Unit
from advisor.tuition import describe, money


def test_an_amount_is_said_with_its_unit_and_residency():
    figure = TuitionFigure(amount=6228, unit=Unit.PER_YEAR, residency=Residency.IN_STATE)
    assert describe(figure) == "$6,228 per year (in-state)"


def test_a_figure_for_anyone_names_no_residency():
    assert describe(TuitionFigure(amount=632, unit=Unit.PER_CREDIT)) == "$632 per credit hour"


def test_a_figures_caveat_is_said_beside_it_every_time():
    figure = TuitionFigure(
        amount=14198, unit=Unit.PROGRAM_TOTAL, note="an estimate; the source gives no unit"
    )
    assert describe(figure) == (
        "$14,198 for the whole program (an estimate; the source gives no unit)"
    )
    noted = TuitionFigure(
        amount=100, unit=Unit.PER_CREDIT, residency=Residency.OUT_OF_STATE, note="2024 rate"
    )
    assert describe(noted) == "$100 per credit hour (out-of-state; 2024 rate)"


def test_cents_only_when_there_are_cents():
    assert (money(7584), money(632.5)) == ("$7,584", "$632.50")
