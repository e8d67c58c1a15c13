"""Risk and public protection use cases: RoSH assessments and predictor scores (Manage row 29),
registers and flags (rows 2, 12, 19). Escalations, safeguarding and plans are in the sibling
protection_*.py modules. Each runs in the caller's transaction: bad input raises before anything
is flushed; every change appends case events and, for risk and flags, a notice to the offender
manager through protection_notices.risk_changed (the obligations engine's hook)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CaseRow, PersonRow
from probation.adapters.db.tables_protection import (
    PredictorScoreRow,
    RegisterEntryRow,
    RoshAssessmentRow,
)
from probation.domain.case import Case
from probation.domain.errors import Forbidden, InvalidValue, NotFound, require
from probation.domain.events import CaseEvent, EventKind
from probation.domain.organisations import OrganisationKind
from probation.domain.people import Sex
from probation.domain.protection import registers as reg
from probation.domain.protection.assessments import (
    RoshAssessment,
    RoshTarget,
    parse_level,
    rosh_change,
    validate_assessment_date,
)
from probation.domain.risk import Ogrs3Inputs, Ogrs3Result, default_registry
from probation.domain.risk.rosh import RoshLevel, responsible_provider_kind
from probation.domain.roles import Role
from probation.services import access, audit
from probation.services.context import Actor
from probation.services.protection_notices import risk_changed

# Who records protection work: offender managers, team managers, administrators; the NPS risk
# team also assesses RoSH ("undertake renewed risk assessments", strategic context).
RECORDERS = frozenset(access.WRITERS)
ASSESSORS = RECORDERS | {Role.NPS_RISK}


@dataclass(frozen=True, kw_only=True)
class Loaded:
    case: Case
    row: CaseRow
    person: PersonRow


def ensure_role(actor: Actor, roles: frozenset[Role], what: str) -> None:
    if actor.role not in roles:
        names = ", ".join(sorted(r.label.lower() for r in roles))
        raise Forbidden(f"the {actor.role.label} role cannot {what}", field="role",
                        value=actor.role.value, rule=f"{what}: {names}")


def load(session: Session, actor: Actor, case_id: int) -> Loaded:
    """The case if the actor may see it (404 otherwise, so its existence is not disclosed)."""
    case, row = repo.load_case(session, case_id)
    access.ensure_can_see(actor, case, has_em=access.has_em(session, case_id))
    person = session.get(PersonRow, row.person_id)
    assert person is not None
    return Loaded(case=case, row=row, person=person)


def load_for_change(session: Session, actor: Actor, case_id: int, roles: frozenset[Role],
                    what: str) -> Loaded:
    ensure_role(actor, roles, what)
    loaded = load(session, actor, case_id)
    loaded.case.ensure_open(what)
    return loaded


def occurred(on: date, now: datetime) -> datetime:
    """When a dated fact happened: now if today, else noon UTC that day (noon keeps the date the
    same in Europe/London all year)."""
    return now if on == now.date() else datetime.combine(on, time(12), tzinfo=UTC)


def event(kind: EventKind, at: datetime, actor: Actor, reason: str | None = None,
          **data: Any) -> CaseEvent:
    return CaseEvent(kind=kind, occurred_at=at, actor=actor.username, reason=reason, data=data)


def record(session: Session, actor: Actor, loaded: Loaded, events: list[CaseEvent], *, what: str,
           now: datetime) -> None:
    repo.append_events(session, loaded.row.id, events, now=now)
    audit.record(session, actor, "write", loaded.row.crn, f"case {loaded.row.id}: {what}", at=now)
    session.flush()


# Registers --------------------------------------------------------------------------------------

def entry_from_row(r: RegisterEntryRow) -> reg.RegisterEntry:
    return reg.RegisterEntry(register=reg.Register(r.register), start_date=r.start_date,
                             review_date=r.review_date, end_date=r.end_date, category=r.category,
                             level=r.level, notes=r.notes)


def register_rows(session: Session, case_id: int) -> list[RegisterEntryRow]:
    return list(session.scalars(select(RegisterEntryRow).where(RegisterEntryRow.case_id == case_id)
                                .order_by(RegisterEntryRow.start_date, RegisterEntryRow.id)))


def active_registers(session: Session, case_id: int, on: date) -> frozenset[reg.Register]:
    return reg.active(map(entry_from_row, register_rows(session, case_id)), on)


def add_register(session: Session, actor: Actor, case_id: int, *, register: str, start_date: date,
                 review_date: date | None = None, end_date: date | None = None,
                 category: int | None = None, level: int | None = None, notes: str | None = None,
                 now: datetime) -> RegisterEntryRow:
    loaded = load_for_change(session, actor, case_id, RECORDERS, "add a register")
    entry = reg.RegisterEntry(register=reg.parse_register(register), start_date=start_date,
                              review_date=review_date, end_date=end_date, category=category,
                              level=level, notes=notes)
    rows = register_rows(session, case_id)
    reg.validate_new(entry, existing=map(entry_from_row, rows), as_of=now.date(),
                     sentence_date=loaded.case.sentence.sentence_date)
    row = RegisterEntryRow(case_id=case_id, register=entry.register.value, start_date=start_date,
                           review_date=review_date, end_date=end_date, category=category, level=level,
                           notes=notes, recorded_at=now, recorded_by=actor.username, updated_at=now)
    session.add(row)
    session.flush()
    active = sorted(r.value for r in reg.active([*map(entry_from_row, rows), entry], now.date()))
    ev = event(EventKind.REGISTER_ADDED, occurred(min(start_date, now.date()), now), actor, notes,
               register_id=row.id, register=entry.register.value, category=category, level=level,
               start_date=start_date.isoformat(), review_date=_iso(review_date),
               end_date=_iso(end_date), active_registers=active,
               mappa=reg.Register.MAPPA.value in active,
               agencies_to_notify=sorted(a.value for a in reg.agencies_to_notify([entry.register])))
    record(session, actor, loaded, [ev], what=f"register {entry.register.value} added", now=now)
    label = entry.register.label + (f" category {category} level {level}" if category else "")
    risk_changed(session, loaded.row, [ev], summary=f"{loaded.row.crn}: {label} registration added "
                 f"from {start_date.isoformat()}", now=now)
    return row


def _register_row(session: Session, case_id: int, register_id: int) -> RegisterEntryRow:
    row = session.get(RegisterEntryRow, register_id)
    if row is None or row.case_id != case_id:
        raise NotFound(f"no register entry {register_id} on case {case_id}", field="register_id",
                       value=register_id, rule="the registration must exist on this case")
    return row


def end_register(session: Session, actor: Actor, case_id: int, register_id: int, *, end_date: date,
                 reason: str, now: datetime) -> RegisterEntryRow:
    loaded = load_for_change(session, actor, case_id, RECORDERS, "end a register")
    row = _register_row(session, case_id, register_id)
    require(bool(reason.strip()), "no reason for ending the registration", field="reason",
            value=reason, rule="every change records why")
    ended = reg.end(entry_from_row(row), on=end_date)
    row.end_date, row.updated_at = ended.end_date, now
    active = sorted(r.value for r in active_registers(session, case_id, now.date()))
    ev = event(EventKind.REGISTERS_REVIEWED, occurred(min(end_date, now.date()), now), actor, reason,
               action="ended", register_id=row.id, register=row.register,
               end_date=end_date.isoformat(), active_registers=active,
               mappa=reg.Register.MAPPA.value in active)
    record(session, actor, loaded, [ev], what=f"register {row.register} ended", now=now)
    risk_changed(session, loaded.row, [ev], summary=f"{loaded.row.crn}: "
                 f"{reg.Register(row.register).label} registration ends {end_date.isoformat()}",
                 now=now)
    return row


def review_register(session: Session, actor: Actor, case_id: int, register_id: int, *,
                    reviewed_on: date, next_review_date: date | None, level: int | None,
                    notes: str | None, now: datetime) -> RegisterEntryRow:
    loaded = load_for_change(session, actor, case_id, RECORDERS, "review a register")
    row = _register_row(session, case_id, register_id)
    require(reviewed_on <= now.date(), f"review date {reviewed_on.isoformat()} is after today",
            field="reviewed_on", value=reviewed_on.isoformat(), rule="a review is recorded once done")
    reviewed = reg.review(entry_from_row(row), reviewed_on=reviewed_on,
                          next_review=next_review_date, level=level)
    level_changed = reviewed.level != row.level
    row.review_date, row.level, row.updated_at = reviewed.review_date, reviewed.level, now
    active = sorted(r.value for r in active_registers(session, case_id, now.date()))
    ev = event(EventKind.REGISTERS_REVIEWED, occurred(reviewed_on, now), actor, notes,
               action="reviewed", register_id=row.id, register=row.register, level=row.level,
               level_changed=level_changed, next_review_date=_iso(next_review_date),
               active_registers=active, mappa=reg.Register.MAPPA.value in active)
    record(session, actor, loaded, [ev], what=f"register {row.register} reviewed", now=now)
    if level_changed:
        risk_changed(session, loaded.row, [ev], summary=f"{loaded.row.crn}: "
                     f"{reg.Register(row.register).label} level now {row.level}", now=now)
    return row


def check_schemes(session: Session, actor: Actor, case_id: int, *, checked_on: date,
                  schemes_checked: list[str], note: str | None, now: datetime) -> list[str]:
    """Row 12: the offender manager establishes which multi-agency or special schemes cover the
    person. The answer is the registers active on the day (none is an answer too)."""
    loaded = load_for_change(session, actor, case_id, RECORDERS, "check multi-agency schemes")
    require(checked_on <= now.date(), f"check date {checked_on.isoformat()} is after today",
            field="checked_on", value=checked_on.isoformat(), rule="a check is recorded once done")
    require(checked_on >= loaded.case.sentence.sentence_date, f"check date {checked_on.isoformat()}"
            " is before the sentence date", field="checked_on", value=checked_on.isoformat(),
            rule="managing the sentence starts at commencement")
    checked = sorted({reg.parse_register(s).value for s in schemes_checked})
    require(bool(checked), "no scheme checked", field="schemes_checked", value=None,
            rule="the check names the schemes it established (MAPPA, PPO, IOM, MARAC, ...)")
    active = sorted(r.value for r in active_registers(session, case_id, checked_on))
    ev = event(EventKind.REGISTERS_REVIEWED, occurred(checked_on, now), actor, note,
               action="schemes_checked", schemes_checked=checked, active_registers=active,
               mappa=reg.Register.MAPPA.value in active)
    record(session, actor, loaded, [ev], what="multi-agency schemes checked", now=now)
    return active


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# RoSH -------------------------------------------------------------------------------------------

def rosh_rows(session: Session, case_id: int) -> list[RoshAssessmentRow]:
    return list(session.scalars(select(RoshAssessmentRow).where(RoshAssessmentRow.case_id == case_id)
                                .order_by(RoshAssessmentRow.assessed_on, RoshAssessmentRow.id)))


def current_rosh(session: Session, case_id: int) -> RoshLevel | None:
    rows = rosh_rows(session, case_id)
    return RoshLevel(rows[-1].overall) if rows else None


def assess_rosh(session: Session, actor: Actor, case_id: int, *, assessed_on: date, assessor: str,
                levels: dict[str, str], summary: str | None, now: datetime) -> RoshAssessmentRow:
    loaded = load_for_change(session, actor, case_id, ASSESSORS, "record a RoSH assessment")
    parsed: dict[RoshTarget, RoshLevel] = {}
    for key, value in levels.items():
        try:
            target = RoshTarget(key)
        except ValueError:
            raise InvalidValue(f"RoSH group {key!r} is not known", field="levels", value=key,
                               rule="groups: " + ", ".join(t.value for t in RoshTarget)) from None
        parsed[target] = parse_level(value, field=f"levels.{key}")
    assessment = RoshAssessment(assessed_on=assessed_on, assessor=assessor, levels=parsed,
                                summary=summary)
    validate_assessment_date(assessed_on, date_of_birth=loaded.person.date_of_birth,
                             as_of=now.date())
    previous_rows = rosh_rows(session, case_id)
    latest_before = previous_rows[-1] if previous_rows else None
    if latest_before is not None and assessed_on < latest_before.assessed_on:
        raise InvalidValue(f"assessment date {assessed_on.isoformat()} is before the current "
                           f"assessment of {latest_before.assessed_on.isoformat()}",
                           field="assessed_on", value=assessed_on.isoformat(),
                           rule="assessments are recorded in date order; the latest is current")
    previous = RoshLevel(latest_before.overall) if latest_before else None
    mappa = reg.Register.MAPPA in active_registers(session, case_id, now.date())
    change = rosh_change(previous, assessment.overall, mappa=mappa)
    row = RoshAssessmentRow(case_id=case_id, assessed_on=assessed_on, assessor=assessor.strip(),
                            overall=assessment.overall.value,
                            levels={t.value: lv.value for t, lv in parsed.items()}, summary=summary,
                            recorded_at=now, recorded_by=actor.username)
    session.add(row)
    session.flush()
    org_kind = repo.get_organisation(session, loaded.case.organisation_code).kind
    ev = event(EventKind.ROSH_ASSESSED, occurred(assessed_on, now), actor, summary,
               assessment_id=row.id, rosh=assessment.overall.value,
               previous_rosh=previous.value if previous else None, changed=change.changed,
               escalated=change.escalated, levels=row.levels, assessor=row.assessor,
               assessed_on=assessed_on.isoformat(), mappa=mappa,
               responsible=change.responsible_now.value,
               managed_by=org_kind.value,
               needs_nps=change.responsible_now is OrganisationKind.NPS_REGION
               and org_kind is not OrganisationKind.NPS_REGION)
    record(session, actor, loaded, [ev], what=f"RoSH {assessment.overall.value}", now=now)
    was = f" (was {previous.value})" if previous and change.changed else ""
    risk_changed(session, loaded.row, [ev], summary=f"{loaded.row.crn}: RoSH "
                 f"{assessment.overall.value.replace('_', ' ')}{was} on {assessed_on.isoformat()}",
                 now=now)
    return row


# Predictor scores (OGRS3) -----------------------------------------------------------------------

def score_ogrs3(session: Session, actor: Actor, case_id: int, *, total_sanctions: int,
                age_at_first_sanction: int, offence_code: str | None = None,
                conviction_date: date | None = None, follow_up_date: date | None = None,
                model_version: str = "3.0", now: datetime) -> PredictorScoreRow:
    """Score OGRS3 from the person's sex and date of birth and the case (sentence date and
    offence by default), and keep the inputs, the result and the model version."""
    loaded = load_for_change(session, actor, case_id, ASSESSORS, "record an OGRS3 score")
    sentence = loaded.case.sentence
    conviction = conviction_date or sentence.sentence_date
    require(conviction <= now.date(), f"conviction date {conviction.isoformat()} is after today",
            field="conviction_date", value=conviction.isoformat(),
            rule="a conviction has happened")
    follow_up = follow_up_date or sentence.sentence_date
    inputs = Ogrs3Inputs(sex=Sex(loaded.person.sex), date_of_birth=loaded.person.date_of_birth,
                         conviction_date=conviction, follow_up_date=follow_up,
                         total_sanctions=total_sanctions,
                         age_at_first_sanction=age_at_first_sanction,
                         offence_code=offence_code or sentence.offence.code)
    predictor = default_registry().get("ogrs3", model_version)
    result = predictor.predict(inputs)
    assert isinstance(result, Ogrs3Result)
    row = PredictorScoreRow(
        case_id=case_id, model_name=result.model.name, model_version=result.model.version,
        scored_on=now.date(), inputs=ogrs3_inputs_json(inputs), score=result.score,
        one_year=result.one_year, two_year=result.two_year, band=result.band.value,
        recorded_at=now, recorded_by=actor.username)
    session.add(row)
    session.flush()
    previous = session.scalar(select(PredictorScoreRow.band).where(
        PredictorScoreRow.case_id == case_id, PredictorScoreRow.model_name == row.model_name,
        PredictorScoreRow.id != row.id).order_by(PredictorScoreRow.id.desc()).limit(1))
    ev = event(EventKind.REOFFENDING_PREDICTOR_SCORED, now, actor, None, score_id=row.id,
               model=row.model_name, version=row.model_version, one_year=row.one_year,
               two_year=row.two_year, band=row.band, likelihood=result.likelihood.value,
               previous_band=previous, changed=previous != row.band)
    record(session, actor, loaded, [ev], what=f"OGRS3 {row.two_year}%", now=now)
    risk_changed(session, loaded.row, [ev], summary=f"{loaded.row.crn}: OGRS3 {row.one_year}% / "
                 f"{row.two_year}% ({row.band.replace('_', ' ')})", now=now)
    return row


def ogrs3_inputs_json(i: Ogrs3Inputs) -> dict[str, Any]:
    return {"sex": i.sex.value, "date_of_birth": i.date_of_birth.isoformat(),
            "conviction_date": i.conviction_date.isoformat(),
            "follow_up_date": i.follow_up_date.isoformat(), "total_sanctions": i.total_sanctions,
            "age_at_first_sanction": i.age_at_first_sanction, "offence_code": i.offence_code}


# Reading ----------------------------------------------------------------------------------------

def risk_summary(session: Session, actor: Actor, case_id: int, *, now: datetime) -> dict[str, Any]:
    """The case's current RoSH, latest scores, active registers and who should manage it: what a
    level-of-contact matrix reads."""
    loaded = load(session, actor, case_id)
    roshes = rosh_rows(session, case_id)
    scores = list(session.scalars(select(PredictorScoreRow).where(PredictorScoreRow.case_id == case_id)
                                  .order_by(PredictorScoreRow.id)))
    latest_scores: dict[str, PredictorScoreRow] = {}
    for s in scores:
        latest_scores[s.model_name] = s
    entries = register_rows(session, case_id)
    active = reg.active(map(entry_from_row, entries), now.date())
    rosh = RoshLevel(roshes[-1].overall) if roshes else None
    audit.record(session, actor, "read", loaded.row.crn, f"case {case_id}: risk summary", at=now)
    return {
        "rosh": rosh, "rosh_history": roshes, "scores": scores, "latest_scores": latest_scores,
        "registers": entries, "active_registers": sorted(r.value for r in active),
        "mappa": reg.Register.MAPPA in active,
        "responsible": responsible_provider_kind(rosh, reg.Register.MAPPA in active).value
        if rosh else ("nps_region" if reg.Register.MAPPA in active else None),
        "managed_by": repo.get_organisation(session, loaded.case.organisation_code).kind.value,
        "agencies_to_notify": sorted(a.value for a in reg.agencies_to_notify(active)),
    }
