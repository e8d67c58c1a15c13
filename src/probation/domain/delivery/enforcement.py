"""Compliance and enforcement: failures to comply counted per order, and the next action they
call for, driven by a policy table per order type (configuration as data, not branches).

Counting follows nDelius (REFERENCE.md "Enforcement"): distinct dates of non-compliant
national-standards contacts since the later of the sentence date and the end of the last breach
(the day after a breach concludes). The default policy is the statutory one: a first failure
without reasonable excuse gets a warning; a further failure within 12 months of it is breached
(Sentencing Code Sch 10 paras 5-6 for community orders, Sch 16 for suspended sentence orders;
CJA 2003 s.256AC for post-sentence supervision). On licence the escalation is a recall
recommendation (CJA 2003 s.254). Deadlines are working days (England and Wales) after the
failure; 10 working days is a platform default, configurable per order type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from probation.domain.calendar import add_working_days
from probation.domain.errors import Conflict, InvalidValue
from probation.domain.periods import add_months
from probation.domain.release import SupervisionPhase
from probation.domain.sentences import SentenceType


class Action(StrEnum):
    NONE = "none"
    WARNING_LETTER = "warning_letter"
    BREACH_TO_COURT = "breach_to_court"
    RECALL_RECOMMENDATION = "recall_recommendation"
    AWAIT_OUTCOME = "await_outcome"  # a breach or recall is in progress


ESCALATIONS = (Action.BREACH_TO_COURT, Action.RECALL_RECOMMENDATION)


class CourtOutcome(StrEnum):
    CONTINUE = "continue"                          # order continues, perhaps with a fine
    AMEND = "amend"                                # more onerous requirements
    REVOKE_AND_RESENTENCE = "revoke_and_resentence"
    RECALLED = "recalled"                          # licence recall: returned to custody
    NOT_RECALLED = "not_recalled"                  # recall refused: supervision continues

    @property
    def route(self) -> Action:
        if self in (CourtOutcome.RECALLED, CourtOutcome.NOT_RECALLED):
            return Action.RECALL_RECOMMENDATION
        return Action.BREACH_TO_COURT


@dataclass(frozen=True, kw_only=True)
class EnforcementPolicy:
    key: str
    warnings_before_escalation: int  # failures within the window that get a warning
    window_months: int               # a later failure within this many months escalates
    escalation: Action               # breach to court or recall recommendation
    deadline_working_days: int       # the action is due this many working days after the failure
    source: str

    def __post_init__(self) -> None:
        if self.escalation not in ESCALATIONS:
            raise InvalidValue(f"policy {self.key} escalates to {self.escalation.value}",
                               field="escalation", value=self.escalation.value,
                               rule="a policy escalates to breach or recall")
        if self.warnings_before_escalation < 0 or self.window_months < 1 \
                or self.deadline_working_days < 1:
            raise InvalidValue(f"policy {self.key} has a negative or empty limit", field="policy",
                               value=self.key, rule="limits are positive")


DEFAULT_POLICIES: Mapping[str, EnforcementPolicy] = MappingProxyType({
    "community_order": EnforcementPolicy(
        key="community_order", warnings_before_escalation=1, window_months=12,
        escalation=Action.BREACH_TO_COURT, deadline_working_days=10,
        source="Sentencing Code Sch 10 paras 5-6; deadline is a platform default"),
    "suspended_sentence_order": EnforcementPolicy(
        key="suspended_sentence_order", warnings_before_escalation=1, window_months=12,
        escalation=Action.BREACH_TO_COURT, deadline_working_days=10,
        source="Sentencing Code Sch 16; deadline is a platform default"),
    "licence": EnforcementPolicy(
        key="licence", warnings_before_escalation=1, window_months=12,
        escalation=Action.RECALL_RECOMMENDATION, deadline_working_days=10,
        source="CJA 2003 s.254 recall; warning count and deadline are platform defaults"),
    "post_sentence_supervision": EnforcementPolicy(
        key="post_sentence_supervision", warnings_before_escalation=1, window_months=12,
        escalation=Action.BREACH_TO_COURT, deadline_working_days=10,
        source="CJA 2003 s.256AC; deadline is a platform default"),
})


def policy_key(sentence_type: SentenceType, phase: SupervisionPhase | None) -> str | None:
    """The policy row for an order, or for a custodial sentence the phase it is in (None: in
    custody or after supervision ended, when there is nothing to enforce)."""
    if sentence_type is not SentenceType.CUSTODIAL:
        return sentence_type.value
    if phase in (SupervisionPhase.LICENCE, SupervisionPhase.POST_SENTENCE_SUPERVISION):
        return phase.value
    return None


@dataclass(frozen=True, kw_only=True)
class BreachRecord:
    id: int
    action: Action          # breach to court or recall recommendation
    failure_day: date       # the failure that triggered it
    initiated_on: date
    concluded_on: date | None = None
    outcome: CourtOutcome | None = None

    @property
    def in_progress(self) -> bool:
        return self.concluded_on is None


@dataclass(frozen=True, kw_only=True)
class Decision:
    action: Action
    failure_day: date | None = None
    due_by: date | None = None
    number: int = 0        # the failure's position in the window (1 = first)
    policy: str | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ComplianceSummary:
    as_of: date
    counted_from: date
    failures: tuple[date, ...]            # counted failures since counted_from
    failures_last_12_months: int
    warnings_issued: int
    breach_in_progress: BreachRecord | None
    previous_breaches: int
    next: Decision


def counted_from(sentence_date: date, breaches: list[BreachRecord]) -> date:
    ends = [b.concluded_on for b in breaches if b.concluded_on is not None]
    return max([sentence_date, *[e + timedelta(days=1) for e in ends]])


def window_start(day: date, months: int) -> date:
    """First day of the `months` ending on `day`: a failure exactly 12 months earlier (same day of
    the month) is outside, so 1 Mar 2026 is not within 12 months of 1 Mar 2027."""
    return add_months(day, -months) + timedelta(days=1)


def summarise(*, sentence_date: date, failure_days: list[date], warned_days: set[date],
              breaches: list[BreachRecord], as_of: date, policy_for: Mapping[date, str | None],
              policies: Mapping[str, EnforcementPolicy] = DEFAULT_POLICIES) -> ComplianceSummary:
    """The compliance summary and the next enforcement action.

    `policy_for` names the policy row for each failure day (a licence case changes row when
    licence gives way to post-sentence supervision); `warned_days` are failures already warned.
    """
    start = counted_from(sentence_date, breaches)
    counted = sorted({d for d in failure_days if start <= d <= as_of})
    open_breach = next((b for b in breaches if b.in_progress), None)
    previous = sum(1 for b in breaches if not b.in_progress)
    last_year = sum(1 for d in set(failure_days) if window_start(as_of, 12) <= d <= as_of)
    warnings = sum(1 for d in warned_days if d >= start)
    if open_breach is not None:
        nxt = Decision(action=Action.AWAIT_OUTCOME, failure_day=open_breach.failure_day,
                       reason=f"{open_breach.action.value.replace('_', ' ')} started "
                              f"{open_breach.initiated_on.isoformat()} awaits its outcome")
    else:
        nxt = next_action(counted, warned_days, policy_for=policy_for, policies=policies)
    return ComplianceSummary(as_of=as_of, counted_from=start, failures=tuple(counted),
                             failures_last_12_months=last_year, warnings_issued=warnings,
                             breach_in_progress=open_breach, previous_breaches=previous, next=nxt)


def next_action(counted: list[date], warned_days: set[date], *, policy_for: Mapping[date, str | None],
                policies: Mapping[str, EnforcementPolicy] = DEFAULT_POLICIES) -> Decision:
    """The action for the earliest failure not yet acted on."""
    pending = [d for d in counted if d not in warned_days]
    if not pending:
        return Decision(action=Action.NONE, reason="no failure to comply awaits a decision")
    day = pending[0]
    key = policy_for.get(day)
    if key is None:
        return Decision(action=Action.NONE, failure_day=day,
                        reason=f"not under supervision on {day.isoformat()}: nothing to enforce")
    policy = policies[key]
    first = window_start(day, policy.window_months)
    number = sum(1 for d in counted if first <= d <= day)
    due = add_working_days(day, policy.deadline_working_days)
    if number <= policy.warnings_before_escalation:
        return Decision(action=Action.WARNING_LETTER, failure_day=day, due_by=due, number=number,
                        policy=key, reason=f"failure {number} within {policy.window_months} months "
                        f"({policy.warnings_before_escalation} warning(s) allowed)")
    return Decision(action=policy.escalation, failure_day=day, due_by=due, number=number,
                    policy=key, reason=f"failure {number} within {policy.window_months} months "
                    f"exceeds {policy.warnings_before_escalation} warning(s) ({policy.source})")


def check_decision(summary: ComplianceSummary, action: Action) -> Decision:
    """The practitioner's decision must be the one the policy calls for."""
    expected = summary.next
    if expected.action in (Action.NONE, Action.AWAIT_OUTCOME):
        raise Conflict(f"no enforcement action is due: {expected.reason}", field="action",
                       value=action.value, rule="enforcement follows a failure to comply")
    if action is not expected.action:
        raise Conflict(f"the failure on {expected.failure_day} calls for "
                       f"{expected.action.value.replace('_', ' ')}, not "
                       f"{action.value.replace('_', ' ')}", field="action", value=action.value,
                       rule=expected.reason)
    return expected


def check_outcome(breach: BreachRecord, outcome: CourtOutcome, *, on: date) -> None:
    if not breach.in_progress:
        raise Conflict(f"breach {breach.id} already concluded on {breach.concluded_on}",
                       field="breach_id", value=breach.id, rule="an outcome is recorded once")
    if outcome.route is not breach.action:
        raise InvalidValue(f"{outcome.value} is not an outcome of a "
                           f"{breach.action.value.replace('_', ' ')}", field="outcome",
                           value=outcome.value,
                           rule="court outcomes: continue, amend, revoke_and_resentence; recall "
                                "outcomes: recalled, not_recalled")
    if on < breach.initiated_on:
        raise InvalidValue(f"outcome on {on.isoformat()} precedes the breach started "
                           f"{breach.initiated_on.isoformat()}", field="on", value=on.isoformat(),
                           rule="an outcome follows the breach")
