"""When each catalogue row falls due, and which recorded events show it was delivered.

Four kinds of due rule (the `kind` key of each rule in data/timescales.yaml):
- once_after_event: due `within` an offset after an event or a case date;
- by_date: due by a case date (less an optional `before` offset);
- recurring: due every `every` from an anchor, while the case is active (until a case date);
- per_occurrence: each occurrence of an event needs evidence `within` an offset.

Offsets count calendar days or working days (England and Wales bank holidays, via
probation.domain.calendar). Where a specification says "prescribed timescales", a rule names a
default from `named_timescales` instead of fixed days, so a contract can override it.

Evidence is any-of: one event of a listed kind (optionally whose data matches `evidence_data`)
discharges the obligation. Event kinds come from two vocabularies: the platform's EventKind
(recorded today) and FutureEventKind below (arrives with later features). A rule none of whose
evidence kinds is recorded yet is `awaiting_evidence`: an engine shows it as such, never as met.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from probation.domain.calendar import add_working_days
from probation.domain.events import EventKind

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_STRICT = ConfigDict(extra="forbid", frozen=True)


class DayUnit(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class CaseDate(StrEnum):
    """Dates known from the sentence record rather than from an event."""

    SENTENCE_DATE = "sentence_date"
    REQUIREMENT_START = "requirement_start"  # of the requirement the row is about
    REQUIREMENT_END = "requirement_end"
    ORDER_END = "order_end"                  # CO end, or SSO supervision period end
    RELEASE_DATE = "release_date"
    LICENCE_END = "licence_end"              # sentence and licence expiry (SLED)
    SUPERVISION_END = "supervision_end"      # top-up supervision end (TUSED)
    CONTRACT_START = "contract_start"        # service-level rows: the provider's contract year


class FutureEventKind(StrEnum):
    """Evidence and trigger events that later features will record. Until they exist an
    obligation that only they can discharge is shown as awaiting evidence, never met."""

    # appointments and contact
    APPOINTMENT_SCHEDULED = "appointment_scheduled"
    APPOINTMENT_ATTENDED = "appointment_attended"
    APPOINTMENT_OUTCOME_RECORDED = "appointment_outcome_recorded"
    CONTACT_OCCURRED = "contact_occurred"
    CONTACT_RECORDED = "contact_recorded"
    OFFENDER_MANAGER_INFORMED = "offender_manager_informed"
    DIVERSE_NEEDS_RECORDED = "diverse_needs_recorded"
    COMMUNICATION_SUPPORT_ARRANGED = "communication_support_arranged"
    COURT_INDUCTION_COMPLETED = "court_induction_completed"
    REPORTING_INSTRUCTIONS_GIVEN = "reporting_instructions_given"
    # assessment, plan and review
    ROSH_ASSESSED = "rosh_assessed"
    PLAN_COMPLETED = "plan_completed"
    PLAN_REVIEWED = "plan_reviewed"
    HOME_VISIT_COMPLETED = "home_visit_completed"
    CHILDREN_SERVICES_CHECKED = "children_services_checked"
    CHILDREN_SERVICES_NOTIFIED = "children_services_notified"
    CHILD_CONCERN_IDENTIFIED = "child_concern_identified"
    DOMESTIC_ABUSE_CHECKED = "domestic_abuse_checked"
    REGISTERS_REVIEWED = "registers_reviewed"
    REGISTER_ADDED = "register_added"
    INTER_AGENCY_INFORMATION_SHARED = "inter_agency_information_shared"
    INTER_AGENCY_CONTRIBUTION_REQUESTED = "inter_agency_contribution_requested"
    INTER_AGENCY_CONTRIBUTION_MADE = "inter_agency_contribution_made"
    PROVIDER_CONTRIBUTION_REQUESTED = "provider_contribution_requested"
    PROVIDER_CONTRIBUTION_MADE = "provider_contribution_made"
    SAFETY_PLAN_OFFERED = "safety_plan_offered"
    REFERRAL_MADE = "referral_made"
    END_OF_SENTENCE_REVIEW_COMPLETED = "end_of_sentence_review_completed"
    TERMINATION_NOTIFICATIONS_SENT = "termination_notifications_sent"
    # risk escalation between a contracted provider and the NPS
    RISK_ESCALATION_INDICATED = "risk_escalation_indicated"
    RISK_ESCALATION_REFERRED = "risk_escalation_referred"
    NPS_RISK_DECISION_RECORDED = "nps_risk_decision_recorded"
    NPS_DECISION_ACTIONED = "nps_decision_actioned"
    # enforcement and courts
    FAILURE_TO_COMPLY_RECORDED = "failure_to_comply_recorded"
    WARNING_ISSUED = "warning_issued"
    BREACH_INITIATED = "breach_initiated"
    COURT_REPORT_REQUESTED = "court_report_requested"
    COURT_REPORT_SUBMITTED = "court_report_submitted"
    EARLY_REVOCATION_CRITERIA_MET = "early_revocation_criteria_met"
    EARLY_REVOCATION_APPLIED = "early_revocation_applied"
    POLICE_VIOLATION_NOTIFIED = "police_violation_notified"
    ENFORCEMENT_DECISION_RECORDED = "enforcement_decision_recorded"
    POLICE_OUTCOME_NOTIFIED = "police_outcome_notified"
    # interventions
    STRUCTURED_SESSION_DELIVERED = "structured_session_delivered"
    STRUCTURED_PROGRAMME_STARTED = "structured_programme_started"
    COMPLIANCE_PROGRAMME_STARTED = "compliance_programme_started"
    MENTOR_ASSIGNED = "mentor_assigned"
    RAR_ACTIVITY_INSTRUCTED = "rar_activity_instructed"
    # electronic monitoring
    EM_NOTIFICATION_RECEIVED = "em_notification_received"
    EM_NOTIFICATION_QUERY_RAISED = "em_notification_query_raised"
    EM_NOTIFICATION_QUERY_RESOLVED = "em_notification_query_resolved"
    EM_IDENTITY_CONFIRMED = "em_identity_confirmed"
    EM_ZONE_CONFIGURED = "em_zone_configured"
    EM_INSTALLED = "em_installed"
    EM_INDUCTION_INFORMATION_GIVEN = "em_induction_information_given"
    EM_POSITIONS_RECEIVED = "em_positions_received"
    EM_VIOLATION_DETECTED = "em_violation_detected"
    EM_ALERT_RAISED = "em_alert_raised"
    EM_VIOLATION_FOLLOWED_UP = "em_violation_followed_up"
    EM_FAULT_VISIT_MADE = "em_fault_visit_made"
    EM_EQUIPMENT_REPAIRED_OR_REPLACED = "em_equipment_repaired_or_replaced"
    EM_VISIT_SCHEDULED = "em_visit_scheduled"
    EM_VISIT_MADE = "em_visit_made"
    EM_FEMALE_STAFF_PRESENT = "em_female_staff_present"
    EM_WITNESS_REQUESTED = "em_witness_requested"
    EM_WITNESS_ATTENDED = "em_witness_attended"
    EM_MONITORING_ENDED = "em_monitoring_ended"
    EM_EQUIPMENT_RECOVERED = "em_equipment_recovered"
    # service level (assured per provider, not per case)
    SERVICE_ASSURANCE_RECORDED = "service_assurance_recorded"


EvidenceKind = EventKind | FutureEventKind
Anchor = EventKind | FutureEventKind | CaseDate


def is_recorded_today(kind: Anchor) -> bool:
    """True for the platform's lifecycle events and for case dates (both are known now)."""
    return not isinstance(kind, FutureEventKind)


class Offset(BaseModel):
    model_config = _STRICT

    days: int = Field(ge=0, le=3660)
    unit: DayUnit = DayUnit.CALENDAR

    def after(self, start: date) -> date:
        if self.unit is DayUnit.WORKING:
            return add_working_days(start, self.days)
        return start + timedelta(days=self.days)

    def before(self, end: date) -> date:
        """`days` before `end` (working days step back over weekends and bank holidays)."""
        if self.unit is DayUnit.CALENDAR:
            return end - timedelta(days=self.days)
        # add_working_days only counts forwards; step back day by day and test each candidate.
        candidate = end
        while add_working_days(candidate, self.days) > end:
            candidate -= timedelta(days=1)
        return candidate

    def describe(self) -> str:
        return f"{self.days} {self.unit.value} day{'s' if self.days != 1 else ''}"


class TimescaleRef(BaseModel):
    """A named default from `named_timescales`, overridable per contract."""

    model_config = _STRICT

    timescale: Text


Within = Offset | TimescaleRef


class NamedTimescale(BaseModel):
    model_config = _STRICT

    days: int = Field(ge=0, le=3660)
    unit: DayUnit
    description: Text
    source: Text  # the specification or instruction it comes from, or "platform default: <why>"

    @property
    def offset(self) -> Offset:
        return Offset(days=self.days, unit=self.unit)


class _RuleBase(BaseModel):
    model_config = _STRICT

    evidence: tuple[EvidenceKind, ...] = Field(min_length=1)
    evidence_data: dict[Text, Text] | None = None  # the event's data[key] equals or contains value
    source: Text
    notes: tuple[Text, ...] = ()


class OnceAfterEvent(_RuleBase):
    kind: Literal["once_after_event"]
    after: Anchor
    within: Within


class ByDate(_RuleBase):
    kind: Literal["by_date"]
    date: CaseDate
    before: Within = Offset(days=0)


class Recurring(_RuleBase):
    kind: Literal["recurring"]
    anchor: Anchor
    every: Within
    until: CaseDate


class PerOccurrence(_RuleBase):
    kind: Literal["per_occurrence"]
    occurrence: Anchor
    within: Within


Rule = Annotated[OnceAfterEvent | ByDate | Recurring | PerOccurrence, Field(discriminator="kind")]


class TriggerKind(StrEnum):
    ONCE_AFTER_EVENT = "once_after_event"
    BY_DATE = "by_date"
    RECURRING = "recurring"
    PER_OCCURRENCE = "per_occurrence"


@dataclass(frozen=True, kw_only=True)
class DueRule:
    """A rule with every named timescale resolved for one contract: flat, one value per column."""

    spec_id: str
    row: int
    kind: TriggerKind
    trigger: Anchor | None          # event or date that starts it (None for by_date)
    offset: Offset                  # within / every / before, by kind
    due_date: CaseDate | None       # by_date: the date; recurring: until
    evidence: tuple[EvidenceKind, ...]
    evidence_data: tuple[tuple[str, str], ...]
    timescale: str | None           # the named default used, if any
    overridden: bool                # the contract changed this row's timing
    source: str

    @property
    def awaiting_evidence(self) -> bool:
        """No evidence kind is recorded by the platform yet."""
        return not any(is_recorded_today(e) for e in self.evidence)

    @property
    def trigger_recorded(self) -> bool:
        return self.trigger is None or is_recorded_today(self.trigger)

    def describe(self) -> str:
        match self.kind:
            case TriggerKind.ONCE_AFTER_EVENT:
                return f"once, within {self.offset.describe()} after {self.trigger}"
            case TriggerKind.BY_DATE:
                lead = f"{self.offset.describe()} before " if self.offset.days else ""
                return f"by {lead}{self.due_date}"
            case TriggerKind.RECURRING:
                return f"every {self.offset.describe()} from {self.trigger} until {self.due_date}"
            case TriggerKind.PER_OCCURRENCE:
                return f"within {self.offset.describe()} of each {self.trigger}"
        raise AssertionError(self.kind)  # pragma: no cover


def resolve(
    spec_id: str, row: int, rule: OnceAfterEvent | ByDate | Recurring | PerOccurrence,
    timescales: dict[str, NamedTimescale], overrides: dict[str, Offset], *, overridden: bool,
) -> DueRule:
    """Flatten one rule, substituting named timescales (contract overrides first)."""
    match rule:
        case OnceAfterEvent():
            trigger: Anchor | None = rule.after
            within, due = rule.within, None
        case ByDate():
            trigger, within, due = None, rule.before, rule.date
        case Recurring():
            trigger, within, due = rule.anchor, rule.every, rule.until
        case PerOccurrence():
            trigger, within, due = rule.occurrence, rule.within, None
    name = within.timescale if isinstance(within, TimescaleRef) else None
    if isinstance(within, TimescaleRef):
        offset = overrides.get(within.timescale) or timescales[within.timescale].offset
    else:
        offset = within
    return DueRule(
        spec_id=spec_id, row=row, kind=TriggerKind(rule.kind), trigger=trigger, offset=offset, due_date=due,
        evidence=rule.evidence, evidence_data=tuple(sorted((rule.evidence_data or {}).items())),
        timescale=name, overridden=overridden or (name is not None and name in overrides), source=rule.source,
    )


def timescale_refs(rule: OnceAfterEvent | ByDate | Recurring | PerOccurrence) -> list[str]:
    values: list[Within] = []
    match rule:
        case OnceAfterEvent() | PerOccurrence():
            values = [rule.within]
        case ByDate():
            values = [rule.before]
        case Recurring():
            values = [rule.every]
    return [v.timescale for v in values if isinstance(v, TimescaleRef)]
