"""Yes, no or it depends: a student's conclusion checked against the facts, with any
assumption said. Figures come from the test knowledge files."""

from conftest import FIXTURE_KNOWLEDGE

from advisor import replies
from advisor.advising import Budget, Outcome
from advisor.bottom_line import Answer, best_option, cheapest, confirm_figure, estimate, fastest
from advisor.knowledge import Residency, Unit, load
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


# --- "is that my best option?" -------------------------------------------------------------


def test_the_best_option_is_yes_when_it_alone_fits_what_the_student_told():
    degree = Profile(credential="degree")
    fit = best_option(KNOWLEDGE, "hacc", degree)
    assert fit.others == () and fit.verdict.outcome is Outcome.MEETS
    assert replies.best_option(fit, degree).startswith("Yes, as far as my records go:")


def test_the_best_option_is_no_with_the_reason_when_it_does_not_fit():
    unlicensed = Profile(licensed=False)
    text = replies.best_option(best_option(KNOWLEDGE, "efsc", unlicensed), unlicensed)
    assert text.startswith("It isn't a match for what you told me")
    assert "requires a license (ARRT / ARDMS / NMTCB)" in text


def test_the_best_option_depends_when_others_fit_too_or_nothing_was_wished():
    online = Profile(online_only=True)
    text = replies.best_option(best_option(KNOWLEDGE, "weber", online), online)
    assert text.startswith("It depends on what matters most to you") and "Clarkson" in text
    utah = replies.best_option(best_option(KNOWLEDGE, "weber", UTAH), UTAH)
    assert utah.startswith("For you, as a Utah resident: It depends on what matters most")
    assert "$6,150 per year (in-state)" in utah and "$15,900" not in utah


# --- "so it's 9,480 a semester for me, just one semester, right?" -------------------------------


def test_a_figure_within_what_the_file_allows_depends_on_the_assumption_said():
    efsc = KNOWLEDGE.program("efsc")
    line = confirm_figure(efsc, Residency.OUT_OF_STATE, Budget(9480, Unit.PER_SEMESTER))
    assert line.answer is Answer.DEPENDS
    text = replies.figure_confirmed(line)
    assert "$9,480" in text and "That assumes a semester lasts at least 4 months" in text


def test_an_exact_total_is_yes_and_one_outside_the_range_is_no():
    clarkson = KNOWLEDGE.program("clarkson")
    assert confirm_figure(clarkson, None, Budget(7740)).answer is Answer.YES
    assert confirm_figure(clarkson, None, Budget(5000)).answer is Answer.NO
