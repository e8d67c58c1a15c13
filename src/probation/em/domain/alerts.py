"""The alert workflow of the monitoring centre and the MoJ violation record.

An alert is raised by the geofence engine, then acknowledged by an operator, assigned (to a field
officer or a responsible officer), possibly escalated, and closed with an outcome. The violation
record keeps the timestamps the MoJ EM datastore holds for a violation (REFERENCE.md "Electronic
monitoring"): breach time, identified, authority first notified, agency response, breach pack
requested and sent, warning letter, summons and hearing. Each is recorded once, and none may be
earlier than the breach itself or than the step it follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from probation.domain.errors import Conflict, InvalidValue


class AlertStatus(StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    ESCALATED = "escalated"
    CLOSED = "closed"


class AlertAction(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    ESCALATE = "escalate"
    CLOSE = "close"


class Outcome(StrEnum):
    VIOLATION_CONFIRMED = "violation_confirmed"  # goes on to enforcement
    EXPLAINED = "explained"  # a reasonable excuse was given and accepted
    FALSE_ALERT = "false_alert"  # GPS drift or equipment error
    EQUIPMENT_FIXED = "equipment_fixed"  # repaired or replaced at a visit
    NO_ACTION = "no_action"  # information only


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# Engine alert kinds (geofence AlertKind values) by priority. A violation is potential
# non-compliance with the requirement (row 16): entering an exclusion zone, leaving an inclusion
# zone, or interfering with the equipment. Approach, loss of signal or contact and a critical
# battery need attention but are not in themselves non-compliance.
VIOLATION_KINDS = frozenset({"tamper", "case_opened"})
ATTENTION_KINDS = frozenset({"approach", "no_signal", "no_communication", "battery_critical"})


def is_violation(kind: str, *, breach: bool) -> bool:
    return breach or kind in VIOLATION_KINDS


def priority_of(kind: str, *, breach: bool) -> Priority:
    if is_violation(kind, breach=breach):
        return Priority.HIGH
    if kind in ATTENTION_KINDS:
        return Priority.MEDIUM
    return Priority.LOW


def needs_attention(kind: str, *, breach: bool) -> bool:
    """Alerts an operator must act on (the platform records em_alert_raised for these)."""
    return priority_of(kind, breach=breach) is not Priority.LOW


# Which action is allowed from which status, and where it leads.
_TRANSITIONS: Mapping[tuple[AlertStatus, AlertAction], AlertStatus] = {
    (AlertStatus.RAISED, AlertAction.ACKNOWLEDGE): AlertStatus.ACKNOWLEDGED,
    (AlertStatus.RAISED, AlertAction.CLOSE): AlertStatus.CLOSED,
    (AlertStatus.ACKNOWLEDGED, AlertAction.ASSIGN): AlertStatus.ASSIGNED,
    (AlertStatus.ACKNOWLEDGED, AlertAction.ESCALATE): AlertStatus.ESCALATED,
    (AlertStatus.ACKNOWLEDGED, AlertAction.CLOSE): AlertStatus.CLOSED,
    (AlertStatus.ASSIGNED, AlertAction.ASSIGN): AlertStatus.ASSIGNED,
    (AlertStatus.ASSIGNED, AlertAction.ESCALATE): AlertStatus.ESCALATED,
    (AlertStatus.ASSIGNED, AlertAction.CLOSE): AlertStatus.CLOSED,
    (AlertStatus.ESCALATED, AlertAction.ASSIGN): AlertStatus.ESCALATED,
    (AlertStatus.ESCALATED, AlertAction.CLOSE): AlertStatus.CLOSED,
}


def next_status(status: AlertStatus, action: AlertAction, *, priority: Priority,
                outcome: Outcome | None = None) -> AlertStatus:
    """The status after `action`; raises Conflict for an action the status does not allow."""
    target = _TRANSITIONS.get((status, action))
    if target is None:
        raise Conflict(f"an alert that is {status.value} cannot be given '{action.value}'",
                       field="action", value=action.value,
                       rule="raised -> acknowledged -> assigned/escalated -> closed")
    if action is AlertAction.CLOSE:
        if outcome is None:
            raise InvalidValue("closing an alert needs an outcome", field="outcome", value=None,
                               rule="an alert is closed with an outcome")
        if status is AlertStatus.RAISED and priority is not Priority.LOW:
            raise Conflict(f"a {priority.value}-priority alert must be acknowledged before it is "
                           "closed", field="action", value=action.value,
                           rule="alerts needing attention are acknowledged first")
    return target


class ViolationStep(StrEnum):
    """Timestamps of the violation record, in the order a violation runs through them."""

    IDENTIFIED = "identified_at"
    AUTHORITY_NOTIFIED = "authority_notified_at"
    AGENCY_RESPONSE = "agency_response_at"
    FOLLOWED_UP = "followed_up_at"
    BREACH_PACK_REQUESTED = "breach_pack_requested_at"
    BREACH_PACK_SENT = "breach_pack_sent_at"
    WARNING_LETTER = "warning_letter_at"
    SUMMONS = "summons_at"
    HEARING = "hearing_at"


# A step may not be recorded before the step it depends on (and none before the breach).
PREREQUISITE: Mapping[ViolationStep, ViolationStep] = {
    ViolationStep.AUTHORITY_NOTIFIED: ViolationStep.IDENTIFIED,
    ViolationStep.AGENCY_RESPONSE: ViolationStep.AUTHORITY_NOTIFIED,
    ViolationStep.BREACH_PACK_SENT: ViolationStep.BREACH_PACK_REQUESTED,
    ViolationStep.HEARING: ViolationStep.SUMMONS,
}
FUTURE_TOLERANCE_S = 300  # a step is recorded when it has happened, not in advance (hearing aside)


@dataclass(frozen=True, kw_only=True)
class ViolationRecord:
    breach_at: datetime
    steps: Mapping[ViolationStep, datetime]


def check_step(record: ViolationRecord, step: ViolationStep, at: datetime, *,
               now: datetime) -> None:
    """Raise unless `step` may be recorded at `at`."""
    if step in record.steps:
        raise Conflict(f"{step.value} is already recorded ({record.steps[step].isoformat()})",
                       field=step.value, value=at.isoformat(),
                       rule="each violation timestamp is recorded once")
    if at < record.breach_at:
        raise InvalidValue(f"{step.value} {at.isoformat()} is before the breach at "
                           f"{record.breach_at.isoformat()}", field=step.value,
                           value=at.isoformat(), rule="violation steps follow the breach")
    if step is not ViolationStep.HEARING and (at - now).total_seconds() > FUTURE_TOLERANCE_S:
        raise InvalidValue(f"{step.value} {at.isoformat()} is in the future", field=step.value,
                           value=at.isoformat(), rule="a step is recorded once it has happened")
    before = PREREQUISITE.get(step)
    if before is not None:
        prior = record.steps.get(before)
        if prior is None:
            raise Conflict(f"{step.value} needs {before.value} first", field=step.value,
                           value=at.isoformat(), rule=f"{before.value} precedes {step.value}")
        if at < prior:
            raise InvalidValue(f"{step.value} {at.isoformat()} is before {before.value} "
                               f"{prior.isoformat()}", field=step.value, value=at.isoformat(),
                               rule=f"{before.value} precedes {step.value}")
