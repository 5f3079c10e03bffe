"""Constraints read from what students type."""

import pytest
from conftest import FIXTURE_KNOWLEDGE

from advisor.advising import Budget, Constraints
from advisor.constraints import parse, parse_budget
from advisor.knowledge import Residency, Unit, load

KNOWLEDGE = load(FIXTURE_KNOWLEDGE)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("fully online and done within a year", Constraints(fully_online=True, max_months=12)),
        (
            "anything in Utah under $7,000 a year",
            Constraints(states=("Utah",), budget=Budget(7000, Unit.PER_YEAR)),
        ),
        ("programs I can finish in under 6 months", Constraints(max_months=6)),
        ("which ones need no licence?", Constraints(no_licence=True)),
        ("I'm not ARRT registered, what can I take", Constraints(no_licence=True)),
        ("stand-alone programs", Constraints(standalone=True)),
        ("accredited by NWCCU", Constraints(accreditor="NWCCU")),
        ("by the Higher Learning Commission", Constraints(accreditor="HLC")),
        ("can I start in the summer", Constraints(start_term="summer")),
        ("programs that count for ABII", Constraints(abii=True)),
        (
            "out-of-state, under $10k total",
            Constraints(budget=Budget(10000, Unit.PROGRAM_TOTAL, Residency.OUT_OF_STATE)),
        ),
        ("under $500 per credit hour", Constraints(budget=Budget(500, Unit.PER_CREDIT))),
        ("under $3000", Constraints(budget=Budget(3000, None))),
        ("which programs are there?", Constraints()),
    ],
)
def test_constraints_are_read_from_free_text(text, expected):
    assert parse(text, KNOWLEDGE) == expected


def test_a_comma_is_no_amount_of_money():
    from advisor.constraints import parse_budget

    # "tight, maybe" once matched as an amount and crashed the NLU on this message
    assert parse_budget("my budget is tight, maybe $5,000 total", bare=True) == Budget(
        5000, Unit.PROGRAM_TOTAL, Residency.ANY
    )
    assert parse_budget("tight, really", bare=True) is None


def test_a_budget_in_total_as_the_guided_form_suggests_is_a_whole_program_budget():
    assert parse_budget("$10,000 in total", bare=True) == Budget(10000, Unit.PROGRAM_TOTAL)
