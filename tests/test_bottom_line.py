"""Yes, no or it depends: a student's conclusion checked against the facts, with any
assumption said. Figures come from the test knowledge files."""

from conftest import FIXTURE_KNOWLEDGE

from advisor import replies
from advisor.bottom_line import Answer, cheapest, estimate, fastest
from advisor.knowledge import Residency, load
from advisor.profile import Profile

KNOWLEDGE = load(FIXTURE_KNOWLEDGE)
UTAH, OHIO = Profile(state="Utah"), Profile(state="Ohio")


def test_a_whole_program_total_is_exact_and_needs_no_assumption():
    clarkson = estimate(KNOWLEDGE.program("clarkson"), None)
    assert (clarkson.low, clarkson.high, clarkson.assumption) == (7740, 7740, "")


def test_a_yearly_rate_for_a_six_to_12_month_program_is_a_range_under_a_stated_assumption():
    weber = estimate(KNOWLEDGE.program("weber"), Residency.IN_STATE)
    assert (weber.low, weber.high) == (6150 / 2, 6150)
    assert weber.assumption == "a part year is charged in proportion"


def test_a_per_credit_rate_without_credit_hours_gives_no_total():
    assert estimate(KNOWLEDGE.program("oit"), None).low is None


def test_cheaper_for_a_resident_where_the_ranges_do_not_overlap():
    assert cheapest(KNOWLEDGE, "weber", ["clarkson"], UTAH.residency_at).answer is Answer.YES
    assert cheapest(KNOWLEDGE, "clarkson", ["weber"], UTAH.residency_at).answer is Answer.NO
    assert cheapest(KNOWLEDGE, "clarkson", ["weber"], OHIO.residency_at).answer is Answer.YES


def test_it_depends_when_a_total_cannot_be_worked_out_or_residency_is_unknown():
    nobody = Profile().residency_at
    assert cheapest(KNOWLEDGE, "oit", ["clarkson"], nobody).answer is Answer.DEPENDS
    assert cheapest(KNOWLEDGE, "clarkson", ["weber"], nobody).answer is Answer.DEPENDS


def test_the_answer_says_yes_or_no_first_then_each_figure_then_the_assumption():
    text = replies.bottom_line(cheapest(KNOWLEDGE, "clarkson", ["weber"], OHIO.residency_at),
                               "cost", OHIO)  # fmt: skip
    lines = text.splitlines()
    assert lines[0] == "For you, as an Ohio resident: Yes: Clarkson comes out cheaper."
    assert lines[1] == "- Clarkson: $7,740 for the whole program (12 credit hours x $645)"
    assert lines[2].startswith("- Weber State: $7,950 to $15,900")
    assert lines[3] == "Assuming a part year is charged in proportion (my records don't say)."
    assert len(text) <= 600


def test_it_depends_names_what_the_records_lack():
    text = replies.bottom_line(cheapest(KNOWLEDGE, "oit", ["clarkson"], UTAH.residency_at), "cost")
    assert text.startswith("It depends")
    assert "My records don't give the whole-program cost of Oregon Tech." in text


def test_quicker_compares_both_ends_of_each_duration():
    assert fastest(KNOWLEDGE, "clarkson", ["hacc"]).answer is Answer.YES
    assert fastest(KNOWLEDGE, "hacc", ["clarkson"]).answer is Answer.NO
    same = replies.bottom_line(fastest(KNOWLEDGE, "clarkson", ["weber"]), "duration")
    assert same == "No: they take the same time (six to 12 months)."
