"""The append-only case history. Every change to a case is one event with who, when and why;
the obligations engine cites events as the evidence that a specification output was met."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    # Case lifecycle (Manage the Sentence: the sentence is commenced ... the sentence is terminated)
    CASE_CREATED = "case_created"
    AGENCIES_NOTIFIED = "agencies_notified"
    FEMALE_OPTIONS_RECORDED = "female_options_recorded"
    ALLOCATED = "allocated"
    INDUCTION_COMPLETED = "induction_completed"
    TRANSFER_REQUESTED = "transfer_requested"
    TRANSFER_ACCEPTED = "transfer_accepted"
    TRANSFER_REJECTED = "transfer_rejected"
    JURISDICTION_CHANGED = "jurisdiction_changed"
    RESTRICTION_CHANGED = "restriction_changed"
    TERMINATED = "terminated"
    CLOSED = "closed"

    # Recorded by later features (appointments, risk, plans, enforcement, interventions, EM).
    # Until a feature records a kind it stays out of RECORDED_KINDS, and the obligations engine
    # shows rows that need it as awaiting evidence, never as met.
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
    # likelihood of reoffending (OGRS3 and later predictors) scored against the case
    REOFFENDING_PREDICTOR_SCORED = "reoffending_predictor_scored"
    # needs, referrals, commissioned options and end-of-sentence outcomes (interventions)
    NEEDS_ASSESSED = "needs_assessed"
    REFERRAL_UPDATED = "referral_updated"
    OPTION_OFFERED = "option_offered"
    OPTION_UPDATED = "option_updated"
    OUTCOMES_COMPARED = "outcomes_compared"


# The kinds some feature of the platform records today. A feature that starts recording a kind
# adds it here (one line), which turns the rows it evidences from "awaiting evidence" into live
# obligations.
RECORDED_KINDS: frozenset[EventKind] = frozenset({
    # delivery (appointments, contacts, RAR)
    EventKind.APPOINTMENT_SCHEDULED, EventKind.APPOINTMENT_ATTENDED, EventKind.APPOINTMENT_OUTCOME_RECORDED,
    EventKind.CONTACT_OCCURRED, EventKind.CONTACT_RECORDED, EventKind.OFFENDER_MANAGER_INFORMED,
    EventKind.DIVERSE_NEEDS_RECORDED,
    EventKind.FAILURE_TO_COMPLY_RECORDED, EventKind.RAR_ACTIVITY_INSTRUCTED,
    EventKind.WARNING_ISSUED, EventKind.BREACH_INITIATED, EventKind.ENFORCEMENT_DECISION_RECORDED,
    EventKind.EARLY_REVOCATION_CRITERIA_MET, EventKind.COURT_REPORT_REQUESTED, EventKind.COURT_REPORT_SUBMITTED,
    EventKind.CASE_CREATED, EventKind.AGENCIES_NOTIFIED, EventKind.FEMALE_OPTIONS_RECORDED, EventKind.ALLOCATED,
    EventKind.INDUCTION_COMPLETED, EventKind.TRANSFER_REQUESTED, EventKind.TRANSFER_ACCEPTED,
    EventKind.TRANSFER_REJECTED, EventKind.JURISDICTION_CHANGED, EventKind.RESTRICTION_CHANGED,
    EventKind.TERMINATED, EventKind.CLOSED,
    # risk and public protection (services/protection*.py)
    EventKind.ROSH_ASSESSED, EventKind.REOFFENDING_PREDICTOR_SCORED, EventKind.REGISTER_ADDED,
    EventKind.REGISTERS_REVIEWED, EventKind.RISK_ESCALATION_INDICATED, EventKind.RISK_ESCALATION_REFERRED,
    EventKind.NPS_RISK_DECISION_RECORDED, EventKind.NPS_DECISION_ACTIONED, EventKind.CHILDREN_SERVICES_CHECKED,
    EventKind.CHILDREN_SERVICES_NOTIFIED, EventKind.CHILD_CONCERN_IDENTIFIED, EventKind.DOMESTIC_ABUSE_CHECKED,
    EventKind.INTER_AGENCY_INFORMATION_SHARED, EventKind.SAFETY_PLAN_OFFERED, EventKind.HOME_VISIT_COMPLETED,
    EventKind.PLAN_COMPLETED, EventKind.PLAN_REVIEWED, EventKind.END_OF_SENTENCE_REVIEW_COMPLETED,
    # electronic monitoring and police liaison for exclusion (the probation.em package)
    EventKind.EM_NOTIFICATION_RECEIVED, EventKind.EM_NOTIFICATION_QUERY_RAISED,
    EventKind.EM_NOTIFICATION_QUERY_RESOLVED, EventKind.EM_IDENTITY_CONFIRMED, EventKind.EM_ZONE_CONFIGURED,
    EventKind.EM_INSTALLED, EventKind.EM_INDUCTION_INFORMATION_GIVEN, EventKind.EM_POSITIONS_RECEIVED,
    EventKind.EM_VIOLATION_DETECTED, EventKind.EM_ALERT_RAISED, EventKind.EM_VIOLATION_FOLLOWED_UP,
    EventKind.EM_FAULT_VISIT_MADE, EventKind.EM_EQUIPMENT_REPAIRED_OR_REPLACED, EventKind.EM_VISIT_SCHEDULED,
    EventKind.EM_VISIT_MADE, EventKind.EM_FEMALE_STAFF_PRESENT, EventKind.EM_WITNESS_REQUESTED,
    EventKind.EM_WITNESS_ATTENDED, EventKind.EM_MONITORING_ENDED, EventKind.EM_EQUIPMENT_RECOVERED,
    EventKind.POLICE_VIOLATION_NOTIFIED, EventKind.ENFORCEMENT_DECISION_RECORDED,
    EventKind.POLICE_OUTCOME_NOTIFIED, EventKind.TERMINATION_NOTIFICATIONS_SENT,
    # needs, interventions and outcomes (services/interventions*.py)
    EventKind.REFERRAL_MADE, EventKind.STRUCTURED_SESSION_DELIVERED, EventKind.STRUCTURED_PROGRAMME_STARTED,
    EventKind.COMPLIANCE_PROGRAMME_STARTED, EventKind.MENTOR_ASSIGNED, EventKind.NEEDS_ASSESSED,
    EventKind.REFERRAL_UPDATED, EventKind.OPTION_OFFERED, EventKind.OPTION_UPDATED,
    EventKind.OUTCOMES_COMPARED,
})


@dataclass(frozen=True, kw_only=True)
class CaseEvent:
    kind: EventKind
    occurred_at: datetime
    actor: str
    reason: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.occurred_at.tzinfo is None:
            raise ValueError("event times carry a time zone (UTC)")
