"""Risk escalation between a contracted provider and the National Probation Service (Manage rows
22, 30 and 31). The provider's offender manager sees that risk of serious harm may be escalating
to high (indicated) and informs the NPS (referred); the NPS risk team decides to take
responsibility (the case transfers to an NPS team) or to leave it with the provider with a
planned review of risk; the provider acts on the decision. Each step is timestamped and evidenced.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from probation.domain.errors import Conflict, InvalidValue, require
from probation.domain.risk.rosh import RoshLevel


class EscalationStatus(StrEnum):
    INDICATED = "indicated"   # the provider has seen the signs, not yet told the NPS
    REFERRED = "referred"     # in the NPS risk team's queue
    DECIDED = "decided"       # the NPS has decided; the provider has still to act on it
    ACTIONED = "actioned"


class NpsDecision(StrEnum):
    TAKE_RESPONSIBILITY = "take_responsibility"  # the NPS assumes management (RoSH high)
    KEEP_WITH_PROVIDER = "keep_with_provider"    # not high: stays, with a planned review of risk


@dataclass(frozen=True, kw_only=True)
class Escalation:
    status: EscalationStatus
    indicated_at: datetime
    indicated_by: str
    concern: str
    evidence: str
    referred_at: datetime | None = None
    referred_by: str | None = None
    decision: NpsDecision | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    assessed_rosh: RoshLevel | None = None
    rationale: str | None = None
    to_team_code: str | None = None
    planned_review_date: date | None = None
    actioned_at: datetime | None = None
    actioned_by: str | None = None
    action_note: str | None = None


def _text(value: str, field: str, what: str) -> None:
    require(bool(value.strip()), f"no {what} given", field=field, value=value,
            rule=f"every escalation step records its {what}")


def indicate(*, at: datetime, actor: str, concern: str, evidence: str) -> Escalation:
    _text(concern, "concern", "concern")
    _text(evidence, "evidence", "evidence")
    return Escalation(status=EscalationStatus.INDICATED, indicated_at=at, indicated_by=actor,
                      concern=concern.strip(), evidence=evidence.strip())


def refer(e: Escalation, *, at: datetime, actor: str) -> Escalation:
    if e.status is not EscalationStatus.INDICATED:
        raise Conflict(f"the escalation is already {e.status.value}", field="status",
                       value=e.status.value, rule="only an indicated escalation is referred")
    return replace(e, status=EscalationStatus.REFERRED, referred_at=at, referred_by=actor)


def decide(e: Escalation, *, at: datetime, actor: str, decision: NpsDecision,
           assessed_rosh: RoshLevel, rationale: str, to_team_code: str | None,
           planned_review_date: date | None) -> Escalation:
    """Row 30: high RoSH -> the NPS takes the case; otherwise it may set a planned review date
    (this platform requires one, so the case cannot drop out of sight)."""
    if e.status is not EscalationStatus.REFERRED:
        raise Conflict(f"the escalation is {e.status.value}, not referred", field="status",
                       value=e.status.value, rule="the NPS decides referred escalations only")
    _text(rationale, "rationale", "rationale")
    if decision is NpsDecision.TAKE_RESPONSIBILITY:
        require(assessed_rosh.is_high_or_above, f"the NPS takes responsibility but assessed RoSH as "
                f"{assessed_rosh.value}", field="assessed_rosh", value=assessed_rosh.value,
                rule="the NPS assumes responsibility where it determines RoSH is high or very high")
        require(to_team_code is not None and bool(to_team_code.strip()),
                "no NPS team named to take the case", field="to_team_code", value=to_team_code,
                rule="taking responsibility names the NPS team the case transfers to")
        require(planned_review_date is None, "a planned review date with a transfer",
                field="planned_review_date", value=planned_review_date.isoformat()
                if planned_review_date else None,
                rule="a planned review of risk is set only for cases the NPS leaves with the provider")
    else:
        require(not assessed_rosh.is_high_or_above, f"RoSH assessed as {assessed_rosh.value} but "
                "the case is left with the provider", field="assessed_rosh",
                value=assessed_rosh.value,
                rule="a case the NPS determines is high RoSH is the NPS's to manage")
        if planned_review_date is None:
            raise InvalidValue("no planned review date", field="planned_review_date", value=None,
                               rule="a case left with the provider has a planned review of risk")
        require(planned_review_date > at.date(), f"planned review {planned_review_date.isoformat()} "
                f"is not after the decision ({at.date().isoformat()})", field="planned_review_date",
                value=planned_review_date.isoformat(), rule="a planned review is in the future")
        require(to_team_code is None, "an NPS team named for a case left with the provider",
                field="to_team_code", value=to_team_code,
                rule="only a case the NPS takes transfers to an NPS team")
    return replace(e, status=EscalationStatus.DECIDED, decision=decision, decided_at=at,
                   decided_by=actor, assessed_rosh=assessed_rosh, rationale=rationale.strip(),
                   to_team_code=to_team_code, planned_review_date=planned_review_date)


def action(e: Escalation, *, at: datetime, actor: str, note: str) -> Escalation:
    """Row 31: the offender manager receives and acts upon the NPS assessment."""
    if e.status is not EscalationStatus.DECIDED:
        raise Conflict(f"the escalation is {e.status.value}, not decided", field="status",
                       value=e.status.value, rule="the provider acts on an NPS decision once made")
    _text(note, "note", "action taken")
    return replace(e, status=EscalationStatus.ACTIONED, actioned_at=at, actioned_by=actor,
                   action_note=note.strip())
