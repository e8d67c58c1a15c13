"""The case: one sentence being managed for one person, from court outcome to closure.

Each command is a pure function from the current case to the next case and the event that
records the change (Manage the Sentence for a CO or SSO, service elements "the sentence is
commenced", "case transfer" and "the sentence is terminated").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from probation.domain.errors import Conflict, InvalidValue, require
from probation.domain.events import CaseEvent, EventKind
from probation.domain.organisations import Court, Organisation, Staff, Team
from probation.domain.people import Person, Sex, validate_date_of_birth
from probation.domain.sentences import Sentence


class CaseStatus(StrEnum):
    ACTIVE = "active"
    TERMINATED = "terminated"
    CLOSED = "closed"


class TerminationReason(StrEnum):
    COMPLETED = "completed"                  # ran its full term
    REVOKED_EARLY = "revoked_early"          # revoked for good progress (Manage row 25)
    REVOKED_ON_BREACH = "revoked_on_breach"  # revoked and re-sentenced after breach


@dataclass(frozen=True, kw_only=True)
class FemaleOptions:
    """The offer made to a woman and her answers (Manage rows 4 and 5)."""

    female_offender_manager_accepted: bool
    female_only_environment_accepted: bool


@dataclass(frozen=True, kw_only=True)
class PendingTransfer:
    to_organisation_code: str
    to_team_code: str
    to_court_code: str | None
    requested_at: datetime


@dataclass(frozen=True, kw_only=True)
class Case:
    id: int | None
    crn: str
    person_sex: Sex
    sentence: Sentence
    court_code: str
    organisation_code: str
    team_code: str
    offender_manager_code: str | None = None
    status: CaseStatus = CaseStatus.ACTIVE
    restricted: bool = False
    restricted_to: frozenset[str] = field(default_factory=frozenset)
    female_options: FemaleOptions | None = None
    inducted_at: datetime | None = None
    pending_transfer: PendingTransfer | None = None
    termination_reason: TerminationReason | None = None
    terminated_on: date | None = None
    version: int = 1

    def ensure_open(self, action: str) -> None:
        if self.status is not CaseStatus.ACTIVE:
            raise Conflict(f"cannot {action}: the case is {self.status.value}", field="status",
                           value=self.status.value, rule=f"only an active case can {action}")


def _event(kind: EventKind, at: datetime, actor: str, why: str | None = None, **data: Any) -> CaseEvent:
    return CaseEvent(kind=kind, occurred_at=at, actor=actor, reason=why, data=data)


def create_from_court_outcome(*, person: Person, sentence: Sentence, court: Court, organisation: Organisation,
                              team: Team, at: datetime, actor: str) -> tuple[Case, CaseEvent]:
    """Open the case when the court's outcome arrives (Manage: the sentence is commenced)."""
    validate_date_of_birth(person.date_of_birth, sentence.sentence_date)
    require(organisation.is_probation_provider, f"{organisation.name} is not a probation provider",
            field="organisation_code", value=organisation.code,
            rule="a CO, SSO or licence is managed by the NPS or a contracted provider")
    require(team.organisation_code == organisation.code, f"team {team.code} does not belong to {organisation.code}",
            field="team_code", value=team.code, rule="the case's team belongs to its provider")
    require(sentence.sentence_date <= at.date(), f"sentence date {sentence.sentence_date.isoformat()} is in the future",
            field="sentence.sentence_date", value=sentence.sentence_date.isoformat(),
            rule="a case is created from a court outcome that has happened")
    case = Case(id=None, crn=person.crn, person_sex=person.sex, sentence=sentence, court_code=court.code,
                organisation_code=organisation.code, team_code=team.code)
    return case, _event(EventKind.CASE_CREATED, at, actor, "court outcome received",
                        sentence_type=sentence.type.value, court=court.code, organisation=organisation.code,
                        team=team.code, requirements=[r.type.value for r in sentence.requirements])


def notify_agencies(case: Case, *, agencies: Sequence[Organisation], at: datetime,
                    actor: str) -> tuple[Case, CaseEvent]:
    """Agencies are told the case has commenced (Manage row 2; Exclusion rows 1, 23). The event
    records each agency and its kind, so evidence rules can ask for "police" without codes."""
    case.ensure_open("notify agencies")
    require(bool(agencies), "no agency named", field="agencies", value=[],
            rule="a notification names at least one agency")
    return case, _event(EventKind.AGENCIES_NOTIFIED, at, actor, None,
                        agencies=sorted({a.code for a in agencies}),
                        agency_kinds=sorted({a.kind.value for a in agencies}))


def record_female_options(case: Case, *, options: FemaleOptions, at: datetime, actor: str) -> tuple[Case, CaseEvent]:
    case.ensure_open("record the female offender options")
    require(case.person_sex is Sex.FEMALE, "female offender options recorded for a man", field="crn",
            value=case.crn, rule="the female offender manager and environment offer is made to women")
    return replace(case, female_options=options), _event(
        EventKind.FEMALE_OPTIONS_RECORDED, at, actor, None,
        female_offender_manager_accepted=options.female_offender_manager_accepted,
        female_only_environment_accepted=options.female_only_environment_accepted)


def allocate(case: Case, *, staff: Staff, team: Team, at: datetime, actor: str,
             reason: str | None = None) -> tuple[Case, CaseEvent]:
    """Allocate the offender manager who holds the case for its duration."""
    case.ensure_open("allocate")
    require(staff.team_code == team.code, f"{staff.full_name} is not in team {team.code}", field="staff_code",
            value=staff.code, rule="the offender manager belongs to the team")
    require(team.organisation_code == case.organisation_code,
            f"team {team.code} belongs to {team.organisation_code}, not the case's provider {case.organisation_code}",
            field="team_code", value=team.code, rule="allocation stays within the responsible provider")
    if case.person_sex is Sex.FEMALE:
        if case.female_options is None:
            raise Conflict("record the offer of a female offender manager before allocating a woman's case",
                           field="female_options", value=None,
                           rule="women are offered a female offender manager (Manage row 4)")
        if case.female_options.female_offender_manager_accepted and staff.sex is not Sex.FEMALE:
            raise InvalidValue(f"{staff.full_name} is not a woman, and a female offender manager was accepted",
                               field="staff_code", value=staff.code,
                               rule="a woman who accepts a female offender manager is allocated one")
    return replace(case, offender_manager_code=staff.code, team_code=team.code), _event(
        EventKind.ALLOCATED, at, actor, reason, staff=staff.code, team=team.code,
        previous=case.offender_manager_code)


INDUCTION_POINTS = ("sentence", "obligations", "rights", "consequences")


def record_induction(case: Case, *, understood: dict[str, bool], at: datetime, actor: str) -> tuple[Case, CaseEvent]:
    """Induction: the person understands the sentence, obligations, rights and consequences (Manage row 6)."""
    case.ensure_open("record induction")
    require(case.offender_manager_code is not None, "induction before an offender manager is allocated",
            field="offender_manager_code", value=None, rule="induction is done by the allocated offender manager")
    unknown = sorted(set(understood) - set(INDUCTION_POINTS))
    require(not unknown, f"unknown induction points {unknown}", field="understood", value=unknown,
            rule=f"induction covers {', '.join(INDUCTION_POINTS)}")
    missing = [p for p in INDUCTION_POINTS if not understood.get(p)]
    require(not missing, f"induction incomplete: not confirmed {', '.join(missing)}", field="understood",
            value=missing, rule="the person must understand the sentence, obligations, rights and consequences")
    return replace(case, inducted_at=at), _event(EventKind.INDUCTION_COMPLETED, at, actor, None,
                                                 points=list(INDUCTION_POINTS))


def request_transfer(case: Case, *, to_team: Team, to_court: Court | None, at: datetime, actor: str,
                     reason: str) -> tuple[Case, CaseEvent]:
    """Transfer out: another provider (or team) is asked to take the case, optionally with the court."""
    case.ensure_open("transfer")
    require(case.pending_transfer is None, "a transfer is already pending", field="pending_transfer",
            value=case.pending_transfer.to_team_code if case.pending_transfer else None,
            rule="one transfer at a time")
    require(to_team.code != case.team_code, f"the case is already held by team {to_team.code}", field="to_team_code",
            value=to_team.code, rule="a transfer moves the case to another team or provider")
    require(bool(reason.strip()), "a transfer needs a reason", field="reason", value=reason,
            rule="every change records why")
    pending = PendingTransfer(to_organisation_code=to_team.organisation_code, to_team_code=to_team.code,
                              to_court_code=to_court.code if to_court else None, requested_at=at)
    return replace(case, pending_transfer=pending), _event(
        EventKind.TRANSFER_REQUESTED, at, actor, reason, to_organisation=to_team.organisation_code,
        to_team=to_team.code, to_court=pending.to_court_code)


def accept_transfer(case: Case, *, staff: Staff, at: datetime, actor: str) -> tuple[Case, list[CaseEvent]]:
    """Transfer in: the receiving team accepts and names the new offender manager."""
    case.ensure_open("accept a transfer")
    pending = case.pending_transfer
    if pending is None:
        raise Conflict("no transfer is pending", field="pending_transfer", value=None,
                       rule="accept only a requested transfer")
    require(staff.team_code == pending.to_team_code, f"{staff.full_name} is not in the receiving team",
            field="staff_code", value=staff.code, rule="the receiving team names the new offender manager")
    if case.person_sex is Sex.FEMALE and case.female_options and case.female_options.female_offender_manager_accepted:
        require(staff.sex is Sex.FEMALE,
                f"{staff.full_name} is not a woman, and a female offender manager was accepted",
                field="staff_code", value=staff.code,
                rule="a woman who accepts a female offender manager keeps one on transfer")
    events = [_event(EventKind.TRANSFER_ACCEPTED, at, actor, None, from_organisation=case.organisation_code,
                     from_team=case.team_code, to_organisation=pending.to_organisation_code,
                     to_team=pending.to_team_code, staff=staff.code)]
    moved = replace(case, organisation_code=pending.to_organisation_code, team_code=pending.to_team_code,
                    offender_manager_code=staff.code, pending_transfer=None)
    if pending.to_court_code and pending.to_court_code != case.court_code:
        events.append(_event(EventKind.JURISDICTION_CHANGED, at, actor, "transferred with the case",
                             from_court=case.court_code, to_court=pending.to_court_code))
        moved = replace(moved, court_code=pending.to_court_code)
    return moved, events


def reject_transfer(case: Case, *, at: datetime, actor: str, reason: str) -> tuple[Case, CaseEvent]:
    if case.pending_transfer is None:
        raise Conflict("no transfer is pending", field="pending_transfer", value=None,
                       rule="reject only a requested transfer")
    require(bool(reason.strip()), "a rejected transfer needs a reason", field="reason", value=reason,
            rule="every change records why")
    return replace(case, pending_transfer=None), _event(
        EventKind.TRANSFER_REJECTED, at, actor, reason, to_team=case.pending_transfer.to_team_code)


def change_jurisdiction(case: Case, *, court: Court, at: datetime, actor: str, reason: str) -> tuple[Case, CaseEvent]:
    case.ensure_open("change jurisdiction")
    require(court.code != case.court_code, f"{court.name} already has jurisdiction", field="court_code",
            value=court.code, rule="a change of jurisdiction names a different court")
    return replace(case, court_code=court.code), _event(
        EventKind.JURISDICTION_CHANGED, at, actor, reason, from_court=case.court_code, to_court=court.code)


def set_restriction(case: Case, *, restricted: bool, staff_codes: frozenset[str], at: datetime, actor: str,
                    reason: str) -> tuple[Case, CaseEvent]:
    """A restricted case is visible only to the staff named on it (plus its offender manager)."""
    named = frozenset(staff_codes | ({case.offender_manager_code} if case.offender_manager_code else set()))
    require(not restricted or bool(named), "a restricted case must name who may see it", field="staff_codes",
            value=sorted(staff_codes), rule="restriction names the staff with access")
    return replace(case, restricted=restricted, restricted_to=named if restricted else frozenset()), _event(
        EventKind.RESTRICTION_CHANGED, at, actor, reason, restricted=restricted, staff=sorted(named))


def terminate(case: Case, *, reason: TerminationReason, on: date, at: datetime, actor: str,
              note: str | None = None) -> tuple[Case, CaseEvent]:
    case.ensure_open("terminate")
    require(on >= case.sentence.sentence_date, f"termination on {on.isoformat()} precedes the sentence",
            field="terminated_on", value=on.isoformat(), rule="termination follows the sentence date")
    require(on <= at.date(), f"termination date {on.isoformat()} is in the future", field="terminated_on",
            value=on.isoformat(), rule="record a termination when it has happened")
    if reason is TerminationReason.COMPLETED:
        require(on >= case.sentence.end_date - timedelta(days=1),
                f"completed on {on.isoformat()}, before the order ends "
                f"{case.sentence.end_date.isoformat()}", field="reason", value=reason.value,
                rule="an order completes at its end; earlier endings are revocations")
    return replace(case, status=CaseStatus.TERMINATED, termination_reason=reason, terminated_on=on,
                   pending_transfer=None), _event(EventKind.TERMINATED, at, actor, note, reason=reason.value,
                                                  on=on.isoformat())


def close(case: Case, *, at: datetime, actor: str) -> tuple[Case, CaseEvent]:
    if case.status is not CaseStatus.TERMINATED:
        raise Conflict(f"cannot close a case that is {case.status.value}", field="status", value=case.status.value,
                       rule="a case is closed after its sentence is terminated")
    return replace(case, status=CaseStatus.CLOSED), _event(EventKind.CLOSED, at, actor, None)

