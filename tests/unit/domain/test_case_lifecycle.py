"""The case lifecycle: Manage the Sentence service elements as pure commands."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from probation.domain import case as lc
from probation.domain.case import CaseStatus, FemaleOptions, TerminationReason
from probation.domain.errors import Conflict, InvalidValue
from probation.domain.events import EventKind
from probation.domain.organisations import Court, Organisation, OrganisationKind, Staff, Team
from probation.domain.people import Sex
from tests.factories import community_order, person

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
NPS = Organisation(code="NPS", name="NPS", kind=OrganisationKind.NPS_REGION)
TEAM = Team(code="T1", name="Team 1", organisation_code="NPS")
OTHER = Team(code="T2", name="Team 2", organisation_code="NPS")
COURT = Court(code="C1", name="Court 1")
MAN = Staff(code="S1", first_name="A", last_name="B", sex=Sex.MALE, team_code="T1")
WOMAN = Staff(code="S2", first_name="C", last_name="D", sex=Sex.FEMALE, team_code="T1")


def new_case(sex: Sex = Sex.MALE) -> lc.Case:
    case, event = lc.create_from_court_outcome(person=person(sex=sex), sentence=community_order(), court=COURT,
                                               organisation=NPS, team=TEAM, at=AT, actor="om")
    assert event.kind is EventKind.CASE_CREATED
    return case


def test_a_case_is_created_active_and_unallocated() -> None:
    case = new_case()
    assert case.status is CaseStatus.ACTIVE and case.offender_manager_code is None


def test_only_a_probation_provider_manages_a_case() -> None:
    police = Organisation(code="P", name="Police", kind=OrganisationKind.POLICE)
    with pytest.raises(InvalidValue, match="not a probation provider"):
        lc.create_from_court_outcome(person=person(), sentence=community_order(), court=COURT, organisation=police,
                                     team=Team(code="X", name="X", organisation_code="P"), at=AT, actor="om")


def test_a_child_is_not_an_adult_probation_case() -> None:
    with pytest.raises(InvalidValue, match="18 or over"):
        lc.create_from_court_outcome(person=person(date_of_birth=date(2009, 3, 2)), sentence=community_order(),
                                     court=COURT, organisation=NPS, team=TEAM, at=AT, actor="om")


def test_a_woman_is_offered_a_female_offender_manager_and_her_choice_is_honoured() -> None:
    case = new_case(Sex.FEMALE)
    with pytest.raises(Conflict, match="record the offer"):
        lc.allocate(case, staff=WOMAN, team=TEAM, at=AT, actor="om")
    case, event = lc.record_female_options(case, options=FemaleOptions(female_offender_manager_accepted=True,
                                                                       female_only_environment_accepted=True),
                                           at=AT, actor="om")
    assert event.data["female_only_environment_accepted"] is True
    with pytest.raises(InvalidValue, match="not a woman"):
        lc.allocate(case, staff=MAN, team=TEAM, at=AT, actor="om")
    assert lc.allocate(case, staff=WOMAN, team=TEAM, at=AT, actor="om")[0].offender_manager_code == "S2"


def test_a_woman_who_declines_may_be_allocated_a_man() -> None:
    case, _ = lc.record_female_options(new_case(Sex.FEMALE), options=FemaleOptions(
        female_offender_manager_accepted=False, female_only_environment_accepted=False), at=AT, actor="om")
    assert lc.allocate(case, staff=MAN, team=TEAM, at=AT, actor="om")[0].offender_manager_code == "S1"


def test_female_options_are_not_recorded_for_men() -> None:
    with pytest.raises(InvalidValue, match="made to women"):
        lc.record_female_options(new_case(), options=FemaleOptions(female_offender_manager_accepted=True,
                                                                   female_only_environment_accepted=True),
                                 at=AT, actor="om")


def test_induction_needs_every_point_understood() -> None:
    case, _ = lc.allocate(new_case(), staff=MAN, team=TEAM, at=AT, actor="om")
    with pytest.raises(InvalidValue, match="not confirmed rights, consequences"):
        lc.record_induction(case, understood={"sentence": True, "obligations": True, "rights": False}, at=AT,
                            actor="om")
    done, event = lc.record_induction(case, understood=dict.fromkeys(lc.INDUCTION_POINTS, True), at=AT,
                                      actor="om")
    assert done.inducted_at == AT and event.kind is EventKind.INDUCTION_COMPLETED


def test_transfer_out_and_in_moves_team_offender_manager_and_court() -> None:
    case, _ = lc.allocate(new_case(), staff=MAN, team=TEAM, at=AT, actor="om")
    case, _ = lc.request_transfer(case, to_team=OTHER, to_court=Court(code="C2", name="Court 2"), at=AT, actor="om",
                                  reason="moved house")
    with pytest.raises(InvalidValue, match="already pending"):
        lc.request_transfer(case, to_team=OTHER, to_court=None, at=AT, actor="om", reason="again")
    new_om = Staff(code="S9", first_name="E", last_name="F", sex=Sex.MALE, team_code="T2")
    moved, events = lc.accept_transfer(case, staff=new_om, at=AT, actor="om2")
    assert (moved.team_code, moved.offender_manager_code, moved.court_code) == ("T2", "S9", "C2")
    assert [e.kind for e in events] == [EventKind.TRANSFER_ACCEPTED, EventKind.JURISDICTION_CHANGED]


def test_termination_and_closure() -> None:
    case = new_case()
    with pytest.raises(Conflict, match="cannot close"):
        lc.close(case, at=AT, actor="om")
    with pytest.raises(InvalidValue, match="before the order ends"):
        lc.terminate(case, reason=TerminationReason.COMPLETED, on=date(2026, 3, 2), at=AT, actor="om")
    ended, _ = lc.terminate(case, reason=TerminationReason.REVOKED_ON_BREACH, on=date(2026, 3, 2), at=AT,
                            actor="om")
    assert ended.status is CaseStatus.TERMINATED
    with pytest.raises(Conflict, match="terminated"):
        lc.allocate(ended, staff=MAN, team=TEAM, at=AT, actor="om")
    assert lc.close(ended, at=AT, actor="om")[0].status is CaseStatus.CLOSED


def test_an_order_completes_on_its_last_day() -> None:
    late = datetime(2027, 3, 1, 9, tzinfo=UTC)
    ended, _ = lc.terminate(new_case(), reason=TerminationReason.COMPLETED, on=date(2027, 2, 28), at=late,
                            actor="om")
    assert ended.termination_reason is TerminationReason.COMPLETED
