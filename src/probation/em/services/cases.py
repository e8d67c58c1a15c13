"""EM case use cases: access, zones from the order, identity, installation, induction
information, the end of monitoring and recovery of the equipment (exclusion rows 9-13, 18, 19).

Each runs in the caller's transaction, refuses before writing, appends the case events the
obligations engine reads, and tells the ingest runtime when devices or zones change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CaseEventRow, CaseRow, RequirementRow
from probation.domain.case import Case
from probation.domain.errors import Conflict, Forbidden, InvalidValue, NotFound
from probation.domain.events import CaseEvent, EventKind
from probation.domain.roles import Role
from probation.em.geofence import make_zone
from probation.em.geofence.times import parse_time
from probation.em.services.runtime import note_change, person_key
from probation.em.tables import EmDeviceRow, EmZoneRow
from probation.services import access, audit
from probation.services.context import Actor

EM_WRITERS = {Role.EM_OPERATOR, Role.ADMINISTRATOR}


@dataclass(frozen=True, kw_only=True)
class EmCase:
    case: Case
    row: CaseRow
    requirement: RequirementRow  # the electronically monitored exclusion requirement


def ensure_em_writer(actor: Actor) -> None:
    if actor.role not in EM_WRITERS:
        raise Forbidden(f"the {actor.role.label} role cannot record monitoring centre work",
                        field="role", value=actor.role.value,
                        rule="EM operators and administrators run the monitoring centre")


def em_requirement(session: Session, case_id: int) -> RequirementRow | None:
    return session.scalar(select(RequirementRow).where(
        RequirementRow.case_id == case_id, RequirementRow.electronically_monitored,
        RequirementRow.type == "exclusion").order_by(RequirementRow.id))


def load_em_case(session: Session, actor: Actor, case_id: int, *, write: bool = True) -> EmCase:
    """The case, if the actor may see it and it has an electronically monitored exclusion
    requirement; NotFound otherwise (as for any case outside the actor's scope)."""
    if write:
        ensure_em_writer(actor)
    case, row = repo.load_case(session, case_id)
    access.ensure_can_see(actor, case, has_em=access.has_em(session, case_id))
    requirement = em_requirement(session, case_id)
    if requirement is None:
        raise NotFound(f"case {case_id} has no electronically monitored exclusion requirement",
                       field="case_id", value=case_id,
                       rule="EM records belong to an electronically monitored exclusion requirement")
    return EmCase(case=case, row=row, requirement=requirement)


def requirement_end(requirement: RequirementRow, order_end: date) -> date:
    """Exclusive end of the requirement, capped at the order's end."""
    if requirement.length_months is not None:
        from probation.domain.periods import add_months

        return min(add_months(requirement.start_date, requirement.length_months), order_end)
    return order_end


def has_event(session: Session, case_id: int, kind: EventKind) -> bool:
    return bool(session.scalar(select(exists().where(CaseEventRow.case_id == case_id,
                                                     CaseEventRow.kind == kind.value))))


def record(session: Session, actor: Actor, em: EmCase, events: list[CaseEvent], detail: str, *,
           now: datetime) -> None:
    repo.append_events(session, em.row.id, events, now=now)
    session.flush()  # the next append numbers its events after these
    audit.record(session, actor, "write", em.case.crn, detail, at=now)


def happened_at(value: datetime | None, now: datetime, field: str) -> datetime:
    at = value or now
    if at.tzinfo is None:
        raise InvalidValue(f"{field} {at.isoformat()} has no UTC offset", field=field,
                           value=at.isoformat(), rule="times carry a time zone")
    if (at - now).total_seconds() > 300:
        raise InvalidValue(f"{field} {at.isoformat()} is in the future", field=field,
                           value=at.isoformat(), rule="record what has happened")
    return at


# --------------------------------------------------------------------------- zones (row 12)

def set_zones(session: Session, actor: Actor, case_id: int, zones: list[dict[str, Any]], *,
              effective_from: datetime | None, now: datetime) -> int:
    """Store the order's zones as a new version (a variation when one exists). Returns the
    version number. Each zone is validated (valid polygon in WGS84 [lon, lat], kind, schedule)."""
    em = load_em_case(session, actor, case_id)
    if not zones:
        raise InvalidValue("an order names at least one zone", field="zones", value=None,
                           rule="exclusion row 12: the monitored area is defined in the order")
    person = person_key(case_id)
    current = session.scalar(select(func.max(EmZoneRow.version)).where(EmZoneRow.case_id == case_id))
    if current and effective_from is None:
        raise InvalidValue("a variation of the zones needs effective_from", field="effective_from",
                           value=None, rule="a variation takes effect from a stated time")
    if current and effective_from is not None:
        last = session.scalar(select(func.max(EmZoneRow.effective_from)).where(
            EmZoneRow.case_id == case_id))
        if last is not None and effective_from <= last:
            raise InvalidValue(f"variation from {effective_from.isoformat()} does not follow the "
                               f"version in force from {last.isoformat()}", field="effective_from",
                               value=effective_from.isoformat(),
                               rule="a variation takes effect after the version it replaces")
    seen: set[str] = set()
    rows = []
    for i, z in enumerate(zones):
        zone_id = str(z.get("zone_id") or "")
        if zone_id in seen:
            raise InvalidValue(f"zone {zone_id!r} appears twice", field=f"zones[{i}].zone_id",
                               value=zone_id, rule="zone ids are unique in an order")
        seen.add(zone_id)
        zone = make_zone(zone_id=zone_id, person=person, kind=z.get("kind", "exclusion"),
                         geometry=z.get("geometry") or {}, approach_m=z.get("approach_m"),
                         schedule=z.get("schedule"), active_from=z.get("active_from"),
                         active_to=z.get("active_to"), name=str(z.get("name") or ""))
        rows.append(EmZoneRow(case_id=case_id, requirement_id=em.requirement.id,
                              version=(current or 0) + 1, effective_from=effective_from,
                              zone_id=zone.zone_id, kind=zone.kind.value, name=zone.name,
                              geometry=dict(z["geometry"]), approach_m=zone.approach_m,
                              schedule=z.get("schedule"), active_from=zone.active_from,
                              active_to=zone.active_to, created_at=now, created_by=actor.username))
    session.add_all(rows)
    version = (current or 0) + 1
    record(session, actor, em, [CaseEvent(
        kind=EventKind.EM_ZONE_CONFIGURED, occurred_at=now, actor=actor.username,
        data={"version": version, "zones": sorted(seen)})], f"EM zones version {version}", now=now)
    note_change(session, f"zones case {case_id} v{version}", now=now)
    session.flush()
    return version


def zones_of(session: Session, actor: Actor, case_id: int) -> list[EmZoneRow]:
    load_em_case(session, actor, case_id, write=False)
    return list(session.scalars(select(EmZoneRow).where(EmZoneRow.case_id == case_id)
                                .order_by(EmZoneRow.version, EmZoneRow.id)))


# --------------------------------------------------------------------------- installation

def confirm_identity(session: Session, actor: Actor, case_id: int, *, method: str,
                     at: datetime | None, now: datetime) -> None:
    """Row 10: the identity of the offender is confirmed before installation commences."""
    em = load_em_case(session, actor, case_id)
    if not method.strip():
        raise InvalidValue("identity confirmation names how it was done", field="method",
                           value=method, rule="e.g. photo ID checked against the court record")
    when = happened_at(at, now, "at")
    record(session, actor, em, [CaseEvent(kind=EventKind.EM_IDENTITY_CONFIRMED, occurred_at=when,
                                          actor=actor.username, data={"method": method})],
           "EM identity confirmed", now=now)


def install(session: Session, actor: Actor, case_id: int, *, device_id: str,
            at: datetime | None, now: datetime) -> EmDeviceRow:
    """Row 11: the equipment is fitted. Refused until identity is confirmed (row 10) and while
    the device is worn by another active case."""
    em = load_em_case(session, actor, case_id)
    when = happened_at(at, now, "at")
    device_id = device_id.strip()
    if not device_id or len(device_id) > 40:
        raise InvalidValue(f"device id {device_id!r} is not 1-40 characters", field="device_id",
                           value=device_id, rule="a device has an identifier")
    confirmed = session.scalar(select(func.max(CaseEventRow.occurred_at)).where(
        CaseEventRow.case_id == case_id, CaseEventRow.kind == EventKind.EM_IDENTITY_CONFIRMED.value))
    if confirmed is None or confirmed > when:
        raise Conflict(f"identity not confirmed before installation on case {case_id}",
                       field="case_id", value=case_id,
                       rule="exclusion row 10: the identity of the offender is confirmed before "
                            "installation commences")
    other = session.scalar(select(EmDeviceRow).where(EmDeviceRow.device_id == device_id,
                                                     EmDeviceRow.status == "active"))
    if other is not None:
        raise Conflict(f"device {device_id} is already fitted on case {other.case_id}",
                       field="device_id", value=device_id, rule="a device is worn by one person")
    if em.case.status.value != "active":
        raise Conflict(f"case {case_id} is {em.case.status.value}", field="case_id", value=case_id,
                       rule="equipment is fitted on an active case")
    row = EmDeviceRow(device_id=device_id, case_id=case_id, requirement_id=em.requirement.id,
                      status="active", installed_at=when, installed_by=actor.username)
    session.add(row)
    record(session, actor, em, [CaseEvent(kind=EventKind.EM_INSTALLED, occurred_at=when,
                                          actor=actor.username, data={"device": device_id})],
           f"EM device {device_id} installed", now=now)
    note_change(session, f"device {device_id} on case {case_id}", now=now)
    session.flush()
    return row


def give_induction_information(session: Session, actor: Actor, case_id: int, *, summary: str,
                               at: datetime | None, now: datetime) -> None:
    """Row 9: information explaining the EM arrangements is given at induction."""
    em = load_em_case(session, actor, case_id)
    if not summary.strip():
        raise InvalidValue("say what information was given", field="summary", value=summary,
                           rule="exclusion row 9: information explaining the arrangements")
    record(session, actor, em, [CaseEvent(kind=EventKind.EM_INDUCTION_INFORMATION_GIVEN,
                                          occurred_at=happened_at(at, now, "at"), actor=actor.username,
                                          data={"summary": summary[:500]})],
           "EM induction information given", now=now)


def devices_of(session: Session, case_id: int) -> list[EmDeviceRow]:
    return list(session.scalars(select(EmDeviceRow).where(EmDeviceRow.case_id == case_id)
                                .order_by(EmDeviceRow.id)))


# --------------------------------------------------------------------------- end (rows 18, 19)

def end_monitoring(session: Session, actor: Actor, case_id: int, *, reason: str,
                   at: datetime | None, now: datetime) -> int:
    """Row 18: monitoring ceases on the day the requirement ends or is revoked. Fixes from the
    device are refused afterwards. Returns the number of devices stopped."""
    em = load_em_case(session, actor, case_id)
    if reason not in ("ended", "revoked"):
        raise InvalidValue(f"reason {reason!r} is neither ended nor revoked", field="reason",
                           value=reason, rule="monitoring stops when the requirement ends or is revoked")
    when = happened_at(at, now, "at")
    active = list(session.scalars(select(EmDeviceRow).where(EmDeviceRow.case_id == case_id,
                                                            EmDeviceRow.status == "active")))
    if not active and has_event(session, case_id, EventKind.EM_MONITORING_ENDED):
        raise Conflict(f"monitoring of case {case_id} has already ended", field="case_id",
                       value=case_id, rule="monitoring ends once")
    for d in active:
        d.status, d.ended_at = "ended", when
    record(session, actor, em, [CaseEvent(kind=EventKind.EM_MONITORING_ENDED, occurred_at=when,
                                          actor=actor.username,
                                          data={"reason": reason, "devices": [d.device_id for d in active]})],
           f"EM monitoring ended ({reason})", now=now)
    note_change(session, f"monitoring ended case {case_id}", now=now)
    session.flush()
    return len(active)


def recover_equipment(session: Session, actor: Actor, case_id: int, *, at: datetime | None,
                      now: datetime) -> int:
    """Row 19: the equipment is returned or recovered on the day the requirement ends."""
    em = load_em_case(session, actor, case_id)
    when = happened_at(at, now, "at")
    ended = list(session.scalars(select(EmDeviceRow).where(
        EmDeviceRow.case_id == case_id, EmDeviceRow.status == "ended",
        EmDeviceRow.recovered_at.is_(None))))
    if not ended:
        raise Conflict(f"case {case_id} has no equipment awaiting recovery (end monitoring first)",
                       field="case_id", value=case_id,
                       rule="equipment is recovered after monitoring ends")
    for d in ended:
        d.recovered_at = when
    record(session, actor, em, [CaseEvent(kind=EventKind.EM_EQUIPMENT_RECOVERED, occurred_at=when,
                                          actor=actor.username,
                                          data={"devices": [d.device_id for d in ended]})],
           "EM equipment recovered", now=now)
    session.flush()
    return len(ended)


def end_due(session: Session, actor: Actor, *, now: datetime) -> list[int]:
    """Stop monitoring every case whose EM exclusion requirement has ended by now (London day),
    or whose case was terminated (revoked). Returns the case ids stopped."""
    from probation.domain.calendar import LONDON

    today = now.astimezone(LONDON).date()
    stopped = []
    for case_id in sorted(set(session.scalars(select(EmDeviceRow.case_id).where(
            EmDeviceRow.status == "active")))):
        case, _ = repo.load_case(session, case_id)
        requirement = em_requirement(session, case_id)
        if requirement is None:
            continue
        end = requirement_end(requirement, case.sentence.end_date)
        revoked = case.status.value != "active"
        if revoked or end <= today + _one_day():
            end_monitoring(session, actor, case_id, reason="revoked" if revoked else "ended",
                           at=None, now=now)
            stopped.append(case_id)
    return stopped


def _one_day() -> Any:
    from datetime import timedelta

    # The end date is exclusive: the requirement's last day is the day before it, and monitoring
    # ceases on that day (row 18), so a sweep on the last day stops it.
    return timedelta(days=1)


def parse_at(value: str | None, field: str) -> datetime | None:
    return parse_time(value, field) if value else None
