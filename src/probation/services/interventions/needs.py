"""Needs use cases (Supervision rows 6-11, Post-Release row 6): needs assessments at the start, at
each review and at the end, the change in each need per person, and the summary for commissioners.
Referrals, options, structured sessions and outcomes are in the sibling modules of this package.
Each runs in the caller's transaction and raises before anything is flushed when refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow
from probation.adapters.db.tables_interventions import NeedsAssessmentRow
from probation.adapters.db.tables_protection import RoshAssessmentRow, SentencePlanRow
from probation.domain.case import CaseStatus
from probation.domain.errors import InvalidValue
from probation.domain.events import EventKind
from probation.domain.interventions import needs
from probation.domain.protection.plans import NeedArea
from probation.domain.risk.rosh import RoshLevel
from probation.domain.roles import Role
from probation.services import access, audit
from probation.services.case_commands import (
    RECORDERS,
    ensure_role,
    event,
    load,
    occurred,
    record,
)
from probation.services.context import Actor

# Aggregates over every case (no person records): commissioners and those who manage services.
SUMMARY_READERS = frozenset({Role.COMMISSIONER, Role.ADMINISTRATOR, Role.TEAM_MANAGER, Role.NPS_RISK})


def to_assessment(r: NeedsAssessmentRow) -> needs.NeedsAssessment:
    return needs.NeedsAssessment(stage=needs.Stage(r.stage), assessed_on=r.assessed_on,
                                 assessor=r.assessor,
                                 scores={NeedArea(k): needs.Severity(v) for k, v in r.scores.items()})


def assessment_rows(session: Session, case_id: int) -> list[NeedsAssessmentRow]:
    return list(session.scalars(select(NeedsAssessmentRow).where(NeedsAssessmentRow.case_id == case_id)
                                .order_by(NeedsAssessmentRow.assessed_on, NeedsAssessmentRow.id)))


def plan_need_areas(session: Session, case_id: int) -> list[NeedArea]:
    """The need areas the current plan's objectives address."""
    plan = session.scalar(select(SentencePlanRow).where(SentencePlanRow.case_id == case_id))
    if plan is None:
        return []
    return sorted({NeedArea(o["need_area"]) for o in plan.objectives if o.get("need_area")})


def assess_needs(session: Session, actor: Actor, case_id: int, *, stage: str, assessed_on: Any,
                 assessor: str, scores: dict[str, Any], notes: str | None,
                 now: datetime) -> NeedsAssessmentRow:
    ensure_role(actor, RECORDERS, "assess needs")
    loaded = load(session, actor, case_id)
    parsed = needs.NeedsAssessment(stage=needs.parse_stage(stage), assessed_on=assessed_on,
                                   assessor=assessor, scores=needs.parse_scores(scores))
    # The end assessment is made at termination, so a terminated (not closed) case takes it.
    if not (parsed.stage is needs.Stage.END and loaded.case.status is CaseStatus.TERMINATED):
        loaded.case.ensure_open("assess needs")
    previous = [to_assessment(r) for r in assessment_rows(session, case_id)]
    needs.validate_next(parsed, previous, sentence_date=loaded.case.sentence.sentence_date,
                        as_of=now.date())
    row = NeedsAssessmentRow(case_id=case_id, stage=parsed.stage.value, assessed_on=assessed_on,
                             assessor=parsed.assessor.strip(),
                             scores={a.value: int(s) for a, s in parsed.scores.items()},
                             notes=notes, recorded_at=now, recorded_by=actor.username)
    session.add(row)
    session.flush()
    found = needs.changes([*previous, parsed], plan_need_areas(session, case_id))
    direction = needs.plan_needs_direction(found)
    ev = event(EventKind.NEEDS_ASSESSED, occurred(assessed_on, now), actor, notes,
               assessment_id=row.id, stage=parsed.stage.value, assessed_on=assessed_on.isoformat(),
               assessor=row.assessor, scores=row.scores, total=parsed.total,
               plan_needs=direction.value if direction else None,
               rows={"supervision": [11], "post_release": [6]})
    record(session, actor, loaded, [ev], what=f"needs assessed ({parsed.stage.value})", now=now)
    return row


@dataclass(frozen=True, kw_only=True)
class NeedsProgress:
    assessments: list[NeedsAssessmentRow]
    changes: tuple[needs.NeedChange, ...]
    plan_needs: needs.Direction | None
    rosh_first: RoshLevel | None
    rosh_latest: RoshLevel | None

    @property
    def rosh_direction(self) -> needs.Direction | None:
        if self.rosh_first is None or self.rosh_latest is None:
            return None
        return needs.Direction.of(self.rosh_latest.rank - self.rosh_first.rank)


def _rosh_range(session: Session, case_id: int) -> tuple[RoshLevel | None, RoshLevel | None]:
    rows = list(session.scalars(select(RoshAssessmentRow.overall).where(
        RoshAssessmentRow.case_id == case_id).order_by(RoshAssessmentRow.assessed_on,
                                                        RoshAssessmentRow.id)))
    if not rows:
        return None, None
    return RoshLevel(rows[0]), RoshLevel(rows[-1])


def needs_progress(session: Session, actor: Actor, case_id: int, *, now: datetime) -> NeedsProgress:
    """Per person: every assessment, each need first against latest, and the RoSH then and now
    (Supervision rows 10 and 11)."""
    loaded = load(session, actor, case_id)
    rows = assessment_rows(session, case_id)
    found = needs.changes([to_assessment(r) for r in rows], plan_need_areas(session, case_id))
    first, latest = _rosh_range(session, case_id)
    audit.record(session, actor, "read", loaded.row.crn, f"case {case_id}: needs", at=now)
    return NeedsProgress(assessments=rows, changes=found, plan_needs=needs.plan_needs_direction(found),
                         rosh_first=first, rosh_latest=latest)


@dataclass(frozen=True, kw_only=True)
class NeedsSummary:
    organisation_code: str | None
    cases_assessed: int
    cases_compared: int  # two or more assessments
    plan_needs: dict[str, int]  # direction -> cases
    rosh: dict[str, int]
    areas: tuple[needs.AreaSummary, ...]


def needs_summary(session: Session, actor: Actor, *, organisation_code: str | None,
                  now: datetime) -> NeedsSummary:
    """For commissioners: change in each need across the caseload, never a person's record."""
    ensure_role(actor, SUMMARY_READERS, "read the needs summary")
    if organisation_code is not None and len(organisation_code) > 16:
        raise InvalidValue("organisation code is too long", field="organisation_code",
                           value=organisation_code, rule="at most 16 characters")
    stmt = select(NeedsAssessmentRow).join(CaseRow, CaseRow.id == NeedsAssessmentRow.case_id)
    if organisation_code:
        stmt = stmt.where(CaseRow.organisation_code == organisation_code)
    if actor.role is Role.TEAM_MANAGER:
        stmt = stmt.where(access.case_filter(actor))
    by_case: dict[int, list[NeedsAssessmentRow]] = {}
    for r in session.scalars(stmt.order_by(NeedsAssessmentRow.case_id, NeedsAssessmentRow.assessed_on,
                                           NeedsAssessmentRow.id)):
        by_case.setdefault(r.case_id, []).append(r)
    per_case, plan_dirs, rosh_dirs = [], {d.value: 0 for d in needs.Direction}, {d.value: 0 for d in needs.Direction}
    for case_id, rows in by_case.items():
        found = needs.changes([to_assessment(r) for r in rows], plan_need_areas(session, case_id))
        if not found:
            continue
        per_case.append(found)
        direction = needs.plan_needs_direction(found)
        assert direction is not None
        plan_dirs[direction.value] += 1
        first, latest = _rosh_range(session, case_id)
        if first is not None and latest is not None:
            rosh_dirs[needs.Direction.of(latest.rank - first.rank).value] += 1
    audit.record(session, actor, "read", None, "needs summary"
                 + (f" for {organisation_code}" if organisation_code else ""), at=now)
    return NeedsSummary(organisation_code=organisation_code, cases_assessed=len(by_case),
                        cases_compared=len(per_case), plan_needs=plan_dirs, rosh=rosh_dirs,
                        areas=needs.summarise(per_case))
