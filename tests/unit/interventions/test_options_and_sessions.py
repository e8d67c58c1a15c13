"""Who qualifies for each commissioned option, the offer lifecycle, and structured sessions."""

from __future__ import annotations

from datetime import date

import pytest

from probation.catalogue import load_catalogue
from probation.domain.errors import Conflict, InvalidValue
from probation.domain.events import EventKind
from probation.domain.interventions import options as o
from probation.domain.interventions.sessions import (
    SESSION_PLANS,
    DeliveredSession,
    Response,
    Topic,
    coverage,
)
from probation.domain.people import Sex
from probation.domain.sentences import SentenceType


def facts(**overrides: object) -> o.QualifyingFacts:
    values: dict[str, object] = dict(sex=Sex.MALE, age=36, sentence_type=SentenceType.COMMUNITY_ORDER)
    values.update(overrides)
    return o.QualifyingFacts(**values)  # type: ignore[arg-type]


def test_option_ids_and_rows_match_the_catalogue() -> None:
    cat = load_catalogue()
    assert {x.value for x in o.OptionId} == set(cat.option_ids)
    for option in o.OptionId:
        assert cat.row(*option.row).option_id == option.value


def test_take_up_records_the_event_each_rows_timescale_names_as_evidence() -> None:
    cat = load_catalogue()
    for option, kind in o.TAKE_UP_EVENT.items():
        assert kind.value in cat.rules[option.row].evidence  # type: ignore[union-attr]
    assert o.TAKE_UP_EVENT[o.OptionId.MENTORING] is EventKind.MENTOR_ASSIGNED


def test_the_compliance_programme_is_for_those_at_risk_of_enforcement() -> None:
    assert not o.qualifies(o.OptionId.COMPLIANCE_PROGRAMME, facts()).qualifies
    assert o.qualifies(o.OptionId.COMPLIANCE_PROGRAMME, facts(warnings_last_12_months=1)).qualifies
    assert o.qualifies(o.OptionId.COMPLIANCE_PROGRAMME, facts(breach_in_progress=True)).qualifies


@pytest.mark.parametrize(("age", "young"), [(24, True), (25, False), (18, True)])
def test_young_adults_are_18_to_24(age: int, young: bool) -> None:
    assert o.qualifies(o.OptionId.MENTORING, facts(age=age)).qualifies is young


def test_women_qualify_for_enhanced_contact_and_mentoring() -> None:
    woman = facts(sex=Sex.FEMALE)
    assert o.qualifies(o.OptionId.WOMEN_ENHANCED_CONTACT, woman).qualifies
    assert not o.qualifies(o.OptionId.WOMEN_ENHANCED_CONTACT, facts()).qualifies
    assert o.qualifies(o.OptionId.MENTORING, woman).qualifies


def test_declared_groups_place_a_man_in_a_vulnerable_group() -> None:
    declared = facts(declared_groups=frozenset({o.VulnerableGroup.OTHER_VULNERABLE_GROUP}))
    assert o.qualifies(o.OptionId.MENTORING, declared).qualifies
    # post-release enhanced contact names women, young and vulnerable adults only, and licences
    assert not o.qualifies(o.OptionId.POST_RELEASE_ENHANCED_CONTACT, declared).qualifies
    licence = facts(sentence_type=SentenceType.CUSTODIAL,
                    declared_groups=frozenset({o.VulnerableGroup.VULNERABLE_ADULT}))
    assert o.qualifies(o.OptionId.POST_RELEASE_ENHANCED_CONTACT, licence).qualifies
    assert not o.qualifies(o.OptionId.POST_RELEASE_ENHANCED_CONTACT, facts(sex=Sex.FEMALE)).qualifies


def test_groups_that_follow_from_sex_and_age_cannot_be_declared() -> None:
    with pytest.raises(InvalidValue, match="follows from sex and age"):
        o.parse_groups(["female"])
    assert o.parse_groups(["vulnerable_adult"]) == {o.VulnerableGroup.VULNERABLE_ADULT}


def test_an_offer_is_taken_up_or_declined_then_completed_or_withdrawn() -> None:
    o.check_transition(1, o.OfferStatus.OFFERED, o.OfferStatus.TAKEN_UP, reason=None)
    o.check_transition(1, o.OfferStatus.TAKEN_UP, o.OfferStatus.COMPLETED, reason=None)
    with pytest.raises(Conflict):
        o.check_transition(1, o.OfferStatus.OFFERED, o.OfferStatus.COMPLETED, reason=None)
    with pytest.raises(InvalidValue, match="without a reason"):
        o.check_transition(1, o.OfferStatus.OFFERED, o.OfferStatus.DECLINED, reason=" ")


def test_a_session_records_items_from_its_plan() -> None:
    plan = SESSION_PLANS[Topic.PROBLEM_SOLVING][1]
    s = DeliveredSession(topic=Topic.PROBLEM_SOLVING, number=2, delivered_on=date(2026, 11, 20),
                         covered=(plan.items[0],), response=Response.ENGAGED)
    assert s.plan.title == "Generating options"
    with pytest.raises(InvalidValue, match="not in session 2"):
        DeliveredSession(topic=Topic.PROBLEM_SOLVING, number=2, delivered_on=date(2026, 11, 20),
                         covered=("identifying the problem",), response=Response.ENGAGED)
    with pytest.raises(InvalidValue, match="has no session 4"):
        DeliveredSession(topic=Topic.PROBLEM_SOLVING, number=4, delivered_on=date(2026, 11, 20),
                         covered=(plan.items[0],), response=Response.ENGAGED)
    with pytest.raises(InvalidValue, match="without notes"):
        DeliveredSession(topic=Topic.PROBLEM_SOLVING, number=2, delivered_on=date(2026, 11, 20),
                         covered=(plan.items[0],), response=Response.PARTLY_ENGAGED)


def test_coverage_counts_distinct_sessions_of_each_plan() -> None:
    items = SESSION_PLANS[Topic.MOTIVATION]
    done = [DeliveredSession(topic=Topic.MOTIVATION, number=n, delivered_on=date(2026, 11, d),
                             covered=(items[n - 1].items[0],), response=Response.ENGAGED)
            for n, d in ((1, 2), (1, 9), (3, 16))]
    assert coverage(done) == {Topic.MOTIVATION: (2, 3)}
