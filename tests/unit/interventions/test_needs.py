"""Needs scoring, the order of assessments, change per need and the commissioners' summary."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from probation.domain.errors import Conflict, InvalidValue
from probation.domain.interventions.needs import (
    Direction,
    NeedsAssessment,
    Severity,
    Stage,
    changes,
    parse_scores,
    plan_needs_direction,
    summarise,
    validate_next,
)
from probation.domain.protection.plans import NeedArea

SENTENCED = date(2026, 3, 1)
TODAY = date(2026, 11, 23)


def assessed(stage: Stage, on: date, default: int = 1, **scores: int) -> NeedsAssessment:
    values = {a: Severity(scores.get(a.value, default)) for a in NeedArea}
    return NeedsAssessment(stage=stage, assessed_on=on, assessor="Alan Ash", scores=values)


def test_the_ten_oasys_need_areas_are_used() -> None:
    assert [a.value for a in NeedArea] == [
        "accommodation", "education_training_employability", "finance", "relationships",
        "lifestyle_associates", "drug_misuse", "alcohol_misuse", "emotional_wellbeing",
        "thinking_behaviour", "attitudes"]


@pytest.mark.parametrize("bad", [3, -1, 10, True, "2", 1.5])
def test_a_score_outside_zero_to_two_is_refused_naming_the_scale(bad: object) -> None:
    with pytest.raises(InvalidValue, match="outside the 0-2 scale") as e:
        parse_scores({"finance": bad})
    assert e.value.field == "scores.finance"


def test_scores_at_the_edges_of_the_scale_are_accepted() -> None:
    assert parse_scores({"finance": 0, "attitudes": 2}) == {
        NeedArea.FINANCE: Severity.NO_PROBLEMS, NeedArea.ATTITUDES: Severity.SIGNIFICANT_PROBLEMS}


def test_an_assessment_that_leaves_a_need_unscored_is_refused() -> None:
    with pytest.raises(InvalidValue, match="no score for attitudes"):
        NeedsAssessment(stage=Stage.START, assessed_on=TODAY, assessor="A",
                        scores={a: Severity(1) for a in NeedArea if a is not NeedArea.ATTITUDES})


def test_the_first_assessment_is_the_start_and_nothing_follows_the_end() -> None:
    start = assessed(Stage.START, date(2026, 3, 5))
    with pytest.raises(Conflict, match="needs a start assessment first"):
        validate_next(assessed(Stage.REVIEW, date(2026, 3, 5)), [], sentence_date=SENTENCED, as_of=TODAY)
    validate_next(start, [], sentence_date=SENTENCED, as_of=TODAY)
    with pytest.raises(Conflict, match="already recorded"):
        validate_next(assessed(Stage.START, date(2026, 4, 1)), [start], sentence_date=SENTENCED, as_of=TODAY)
    end = assessed(Stage.END, date(2026, 11, 1))
    with pytest.raises(Conflict, match="end assessment is already recorded"):
        validate_next(assessed(Stage.REVIEW, date(2026, 11, 2)), [start, end], sentence_date=SENTENCED,
                      as_of=TODAY)


def test_assessment_dates_stay_within_the_sentence_and_in_order() -> None:
    start = assessed(Stage.START, date(2026, 3, 5))
    with pytest.raises(InvalidValue, match="before the sentence date"):
        validate_next(assessed(Stage.START, date(2026, 2, 28)), [], sentence_date=SENTENCED, as_of=TODAY)
    with pytest.raises(InvalidValue, match="after today"):
        validate_next(assessed(Stage.START, date(2026, 11, 24)), [], sentence_date=SENTENCED, as_of=TODAY)
    with pytest.raises(InvalidValue, match="before the previous assessment"):
        validate_next(assessed(Stage.REVIEW, date(2026, 3, 4)), [start], sentence_date=SENTENCED, as_of=TODAY)
    validate_next(assessed(Stage.REVIEW, date(2026, 3, 5)), [start], sentence_date=SENTENCED, as_of=TODAY)
    validate_next(assessed(Stage.START, SENTENCED), [], sentence_date=SENTENCED, as_of=TODAY)


def test_change_is_first_against_latest_and_the_plan_needs_decide_the_verdict() -> None:
    first = assessed(Stage.START, date(2026, 3, 5), 2)
    middle = assessed(Stage.REVIEW, date(2026, 6, 5), 2, accommodation=2)
    latest = assessed(Stage.REVIEW, date(2026, 9, 5), 2, accommodation=0, finance=1)
    found = changes([latest, first, middle], [NeedArea.ACCOMMODATION, NeedArea.ATTITUDES])
    by = {c.area: c for c in found}
    assert by[NeedArea.ACCOMMODATION].change == -2 and by[NeedArea.ACCOMMODATION].in_plan
    assert by[NeedArea.FINANCE].direction is Direction.REDUCED and not by[NeedArea.FINANCE].in_plan
    assert by[NeedArea.ATTITUDES].direction is Direction.UNCHANGED
    assert plan_needs_direction(found) is Direction.REDUCED


def test_a_plan_need_that_rose_outweighs_others_that_fell_outside_the_plan() -> None:
    first = assessed(Stage.START, date(2026, 3, 5), 1)
    latest = assessed(Stage.REVIEW, date(2026, 9, 5), 0, drug_misuse=2)
    found = changes([first, latest], [NeedArea.DRUG_MISUSE])
    assert plan_needs_direction(found) is Direction.INCREASED
    assert plan_needs_direction(changes([first, latest])) is Direction.REDUCED  # no plan needs: all


def test_one_assessment_shows_no_change() -> None:
    assert changes([assessed(Stage.START, date(2026, 3, 5))]) == ()
    assert plan_needs_direction(()) is None


def test_the_summary_counts_cases_per_need_and_means() -> None:
    a = changes([assessed(Stage.START, date(2026, 3, 5), 2), assessed(Stage.END, date(2026, 9, 5), 0)])
    b = changes([assessed(Stage.START, date(2026, 3, 5), 1), assessed(Stage.END, date(2026, 9, 5), 2)])
    rows = {r.area: r for r in summarise([a, b])}
    acc = rows[NeedArea.ACCOMMODATION]
    assert (acc.cases, acc.reduced, acc.unchanged, acc.increased) == (2, 1, 0, 1)
    assert (acc.mean_first, acc.mean_latest) == (1.5, 1.0)
    assert summarise([])[0].cases == 0


@given(st.lists(st.integers(0, 2), min_size=10, max_size=10), st.lists(st.integers(0, 2), min_size=10, max_size=10))
def test_each_need_is_counted_in_exactly_one_direction(first: list[int], latest: list[int]) -> None:
    areas = list(NeedArea)
    one = NeedsAssessment(stage=Stage.START, assessed_on=date(2026, 3, 5), assessor="A",
                          scores={a: Severity(v) for a, v in zip(areas, first, strict=True)})
    two = NeedsAssessment(stage=Stage.END, assessed_on=date(2026, 9, 5), assessor="A",
                          scores={a: Severity(v) for a, v in zip(areas, latest, strict=True)})
    found = changes([one, two])
    for row in summarise([found]):
        assert row.reduced + row.unchanged + row.increased == row.cases == 1
    assert sum(c.change for c in found) == two.total - one.total
