"""The end-of-sentence review of outcomes (Manage row 34): needs, risk and plan objectives at the
start against the end. The plan's objectives and their outcomes come from the protection
end-of-sentence review; this adds the needs and risk comparison."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from probation.domain.errors import Conflict
from probation.domain.interventions.needs import (
    Direction,
    NeedChange,
    NeedsAssessment,
    Stage,
    changes,
    plan_needs_direction,
)
from probation.domain.protection.plans import NeedArea
from probation.domain.risk.rosh import RoshLevel


@dataclass(frozen=True, kw_only=True)
class RiskComparison:
    rosh_start: RoshLevel | None
    rosh_end: RoshLevel | None
    ogrs3_start: int | None  # two-year probability, per cent
    ogrs3_end: int | None

    @property
    def rosh_direction(self) -> Direction | None:
        if self.rosh_start is None or self.rosh_end is None:
            return None
        return Direction.of(self.rosh_end.rank - self.rosh_start.rank)


@dataclass(frozen=True, kw_only=True)
class OutcomeComparison:
    needs: tuple[NeedChange, ...]
    needs_direction: Direction
    risk: RiskComparison
    objectives: tuple[dict[str, str | None], ...]  # description, need_area, requirement, outcome
    outcome_counts: dict[str, int]


def compare(*, assessments: Sequence[NeedsAssessment], plan_areas: Sequence[NeedArea],
            risk: RiskComparison, objectives: Sequence[dict[str, str | None]],
            outcomes: Sequence[str]) -> OutcomeComparison:
    """Needs from the start assessment to the end assessment (both must exist), risk from the
    first to the latest RoSH and OGRS3, and each objective with its outcome."""
    stages = {a.stage for a in assessments}
    for needed in (Stage.START, Stage.END):
        if needed not in stages:
            raise Conflict(f"no {needed.value} needs assessment is recorded", field="stage",
                           value=needed.value, rule="the end-of-sentence comparison needs the start "
                           "and end needs assessments")
    found = changes(assessments, plan_areas)
    direction = plan_needs_direction(found)
    assert direction is not None
    paired = tuple({**o, "outcome": out} for o, out in zip(objectives, outcomes, strict=True))
    counts: dict[str, int] = {}
    for out in outcomes:
        counts[out] = counts.get(out, 0) + 1
    return OutcomeComparison(needs=found, needs_direction=direction, risk=risk, objectives=paired,
                             outcome_counts=counts)
