"""Filtering, ranking and references: like compared with like, unknowns never guessed.

On the test knowledge files (tests/fixtures/knowledge, made-up tuition figures)."""

import pytest
from conftest import FIXTURE_KNOWLEDGE

from advisor.advising import (
    Budget,
    Constraints,
    Outcome,
    filter_programs,
    nearest,
    rank_by_cost,
    rank_by_duration,
    resolve_reference,
)
from advisor.knowledge import Residency, Unit, load

KNOWLEDGE = load(FIXTURE_KNOWLEDGE)


def outcomes(wanted):
    return {v.program.id: v.outcome for v in filter_programs(KNOWLEDGE, wanted)}


def test_fully_online_is_yes_only_where_the_file_says_so_and_unknown_where_it_is_silent():
    assert outcomes(Constraints(fully_online=True)) == {
        "oit": Outcome.UNKNOWN,
        "hacc": Outcome.UNKNOWN,  # distance learning, not stated as fully online
        "weber": Outcome.MEETS,
        "clarkson": Outcome.MEETS,
        "efsc": Outcome.UNKNOWN,
    }


def test_several_constraints_fully_online_and_within_a_year():
    result = outcomes(Constraints(fully_online=True, max_months=12))
    assert [p for p, o in result.items() if o is Outcome.MEETS] == ["weber", "clarkson"]
    assert result["hacc"] is Outcome.FAILS  # three years


def test_under_a_year_strictly_means_the_longest_estimate_fits():
    result = outcomes(Constraints(max_months=6))
    assert result["efsc"] is Outcome.MEETS
    assert result["weber"] is Outcome.UNKNOWN  # six to 12 months: may take longer
    assert result["hacc"] is Outcome.FAILS


def test_a_yearly_budget_is_compared_only_with_yearly_figures():
    verdicts = {
        v.program.id: v
        for v in filter_programs(
            KNOWLEDGE, Constraints(states=("Utah",), budget=Budget(7000, Unit.PER_YEAR))
        )
    }
    assert verdicts["weber"].outcome is Outcome.MEETS
    assert "$6,150 per year (in-state)" in verdicts["weber"].reasons(Outcome.MEETS)[1]
    assert verdicts["clarkson"].outcome is Outcome.FAILS  # not in Utah
    budget_only = {
        v.program.id: v
        for v in filter_programs(KNOWLEDGE, Constraints(budget=Budget(7000, Unit.PER_YEAR)))
    }
    assert budget_only["oit"].outcome is Outcome.UNKNOWN
    assert "not comparable with $7,000 a year" in budget_only["oit"].reasons(Outcome.UNKNOWN)[0]


def test_an_out_of_state_budget_uses_the_out_of_state_rate():
    result = filter_programs(
        KNOWLEDGE, Constraints(budget=Budget(7000, Unit.PER_YEAR, Residency.OUT_OF_STATE))
    )
    weber = next(v for v in result if v.program.id == "weber")
    assert weber.outcome is Outcome.FAILS
    assert "$15,900 per year (out-of-state)" in weber.reasons(Outcome.FAILS)[0]


def test_a_whole_program_budget_counts_derived_totals_with_their_arithmetic():
    result = {
        v.program.id: v
        for v in filter_programs(KNOWLEDGE, Constraints(budget=Budget(10000, Unit.PROGRAM_TOTAL)))
    }
    assert result["clarkson"].outcome is Outcome.MEETS
    assert "12 credit hours x $645" in result["clarkson"].reasons(Outcome.MEETS)[0]
    assert result["hacc"].outcome is Outcome.FAILS
    assert result["oit"].outcome is Outcome.UNKNOWN  # per credit, no credit hours


def test_no_licence_needed_excludes_efsc_and_standalone_is_oit_only():
    assert outcomes(Constraints(no_licence=True))["efsc"] is Outcome.FAILS
    standalone = outcomes(Constraints(standalone=True))
    assert standalone["oit"] is Outcome.MEETS
    assert standalone["weber"] is Outcome.UNKNOWN


def test_accreditor_state_start_term_and_abii_filters():
    assert [
        p for p, o in outcomes(Constraints(accreditor="NWCCU")).items() if o is Outcome.MEETS
    ] == ["oit", "weber"]
    assert outcomes(Constraints(start_term="summer"))["clarkson"] is Outcome.MEETS
    assert outcomes(Constraints(start_term="summer"))["weber"] is Outcome.UNKNOWN
    abii = outcomes(Constraints(abii=True))
    assert [p for p, o in abii.items() if o is Outcome.MEETS] == ["hacc", "clarkson"]


def test_continuing_education_credit_is_not_abii_exam_eligibility():
    exam = {v.program.id: v for v in filter_programs(KNOWLEDGE, Constraints(abii=True))}
    assert exam["weber"].outcome is Outcome.UNKNOWN
    assert "continuing education" in exam["weber"].checks[0].reason
    ce = outcomes(Constraints(continuing_education=True))
    assert ce["weber"] is Outcome.MEETS


def test_abii_continuing_education_is_asked_as_continuing_education():
    from advisor.constraints import parse

    asked = parse("which programs count toward ABII continuing education?", KNOWLEDGE)
    assert (asked.abii, asked.continuing_education) == (None, True)
    assert parse("which programs get me ABII eligible?", KNOWLEDGE).abii is True


def test_cost_ranking_keeps_units_apart_and_orders_within_each():
    groups = {g.label: [e[0] for e in g.entries] for g in rank_by_cost(KNOWLEDGE)}
    assert groups == {
        "whole program": ["clarkson", "hacc"],  # $7,740 derived < $13,950
        "per year, in-state": ["weber"],
        "per year, out-of-state": ["weber"],
        "per semester, in-state": ["efsc"],
        "per semester, out-of-state": ["efsc"],
        "per credit hour": ["oit", "clarkson"],  # $295 < $645
    }


def test_duration_ranking_groups_ties_and_reverses_for_longest():
    fastest = [[p.id for p in tier] for tier in rank_by_duration(KNOWLEDGE)]
    assert fastest == [["efsc"], ["oit", "weber", "clarkson"], ["hacc"]]
    longest = [[p.id for p in tier] for tier in rank_by_duration(KNOWLEDGE, longest=True)]
    assert longest[0] == ["hacc"]


def test_references_resolve_against_the_list_in_the_order_shown():
    shown = ["clarkson", "hacc", "oit"]
    assert resolve_reference("first", shown, KNOWLEDGE) == ["clarkson"]
    assert resolve_reference("second", shown, KNOWLEDGE) == ["hacc"]
    assert resolve_reference("last", shown, KNOWLEDGE) == ["oit"]
    assert resolve_reference("fifth", shown, KNOWLEDGE) == []
    assert resolve_reference("both", ["weber", "efsc"], KNOWLEDGE) == ["weber", "efsc"]
    assert resolve_reference("both", shown, KNOWLEDGE) == ["clarkson", "hacc"]  # best two first
    assert resolve_reference("first", [], KNOWLEDGE) == []


def test_the_cheaper_one_needs_a_like_for_like_figure():
    assert resolve_reference("cheaper", ["hacc", "clarkson"], KNOWLEDGE) == ["clarkson"]
    assert resolve_reference("cheaper", ["oit", "clarkson"], KNOWLEDGE) == ["oit"]
    # per year vs per semester: no honest answer
    assert resolve_reference("cheaper", ["weber", "efsc"], KNOWLEDGE) == []
    assert resolve_reference("shorter", ["weber", "efsc"], KNOWLEDGE) == ["efsc"]
    assert resolve_reference("shorter", ["weber", "clarkson"], KNOWLEDGE) == []  # a tie


def test_a_degree_or_a_certificate_is_read_from_the_credential_name():
    result = outcomes(Constraints(credential="degree"))
    assert [p for p, o in result.items() if o is Outcome.MEETS] == ["hacc"]
    assert outcomes(Constraints(credential="certificate"))["hacc"] is Outcome.FAILS


def test_when_nothing_matches_the_nearest_options_are_those_failing_least():
    verdicts = filter_programs(KNOWLEDGE, Constraints(states=("Nebraska",), credential="degree"))
    assert all(v.outcome is Outcome.FAILS for v in verdicts)
    assert [v.program.id for v in nearest(verdicts)] == ["hacc", "clarkson"]


def test_those_two_are_the_last_two_asked_about_one_by_one_else_the_first_two_of_a_list():
    one_by_one = [["efsc"], ["weber"], ["oit", "weber", "clarkson"]]
    assert resolve_reference("both", [], KNOWLEDGE, recent=one_by_one) == ["weber", "efsc"]
    after_a_list = [["clarkson"], ["clarkson", "hacc", "oit"]]
    assert resolve_reference("both", [], KNOWLEDGE, recent=after_a_list) == ["clarkson", "hacc"]


def test_the_top_two_are_the_first_two_of_the_list_shown_whatever_was_asked_since():
    shown = ["oit", "clarkson", "hacc"]
    recent = [["weber"], ["efsc"]]
    assert resolve_reference("first_two", shown, KNOWLEDGE, recent=recent) == ["oit", "clarkson"]


def test_the_others_asked_about_again_are_the_same_others():
    focus = ["oit", "hacc", "efsc"]  # "what about the others?" answered about these
    assert resolve_reference("others", [], KNOWLEDGE, focus, again=True) == focus
    assert resolve_reference("others", [], KNOWLEDGE, focus) == ["weber", "clarkson"]


def test_the_other_one_is_from_the_pair_last_talked_about():
    recent = [["clarkson"], ["weber", "clarkson"]]
    assert resolve_reference("other", ["clarkson"], KNOWLEDGE, ["clarkson"], recent) == ["weber"]


@pytest.mark.parametrize(
    "wanted, fact",
    [
        (Constraints(start_term="summer"), "start_terms"),
        (Constraints(accreditor="HLC"), "accreditation"),
        (Constraints(fully_online=True), "online"),
        (Constraints(fully_online=True, start_term="fall"), None),  # several things
    ],
)
def test_a_filter_on_one_thing_asks_for_that_fact(wanted, fact):
    assert wanted.fact() == fact


def test_a_budget_is_checked_against_the_tuition_that_applies_to_the_student():
    budget = Constraints(budget=Budget(7000, Unit.PER_YEAR))
    utah = {"weber": Residency.IN_STATE}
    verdicts = filter_programs(KNOWLEDGE, budget, lambda p: utah.get(p.id, Residency.OUT_OF_STATE))
    weber = next(v for v in verdicts if v.program.id == "weber")
    assert weber.outcome is Outcome.MEETS
    assert "$15,900" not in weber.reasons(Outcome.MEETS)[0]
