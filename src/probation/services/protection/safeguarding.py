"""Safeguarding and information sharing (Manage rows 9, 10, 11, 14, 15, 18, 19, 23, 33)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db import repository as repo
from probation.adapters.db.tables_protection import SafeguardingRecordRow
from probation.domain.errors import InvalidValue, NotFound, require
from probation.domain.organisations import OrganisationKind
from probation.domain.protection import registers as reg
from probation.domain.protection.safeguarding import (
    SafeguardingKind,
    SafeguardingRecord,
    validate_date,
)
from probation.services import audit
from probation.services.case_commands import RECORDERS, event, load, load_for_change, occurred, record
from probation.services.context import Actor
from probation.services.protection.notices import risk_changed

# Which kinds of organisation each record may name (Children's Social Care is a partner agency).
AGENCY_KINDS = {
    SafeguardingKind.CHILDREN_SERVICES_CHECK: {OrganisationKind.PARTNER},
    SafeguardingKind.CHILDREN_SERVICES_NOTIFICATION: {OrganisationKind.PARTNER},
    SafeguardingKind.DOMESTIC_ABUSE_CHECK: {OrganisationKind.POLICE, OrganisationKind.PARTNER},
}


def parse_kind(value: str) -> SafeguardingKind:
    try:
        return SafeguardingKind(value)
    except ValueError:
        raise InvalidValue(f"record kind {value!r} is not known", field="kind", value=value,
                           rule="one of " + ", ".join(k.value for k in SafeguardingKind)) from None


def add_record(session: Session, actor: Actor, case_id: int, *, kind: str, on: date,
               agency_code: str | None = None, outcome: str | None = None, topic: str | None = None,
               note: str | None = None, related_id: int | None = None, register: str | None = None,
               now: datetime) -> SafeguardingRecordRow:
    parsed = parse_kind(kind)
    loaded = load_for_change(session, actor, case_id, RECORDERS,
                             f"record a {parsed.value.replace('_', ' ')}")
    rec = SafeguardingRecord(kind=parsed, on=on, agency_code=agency_code, outcome=outcome,
                             topic=topic, note=note, related_id=related_id,
                             register=reg.parse_register(register).value if register else None)
    validate_date(on, sentence_date=loaded.case.sentence.sentence_date, as_of=now.date())
    if agency_code is not None:
        org = repo.get_organisation(session, agency_code, field="agency_code")
        allowed = AGENCY_KINDS.get(parsed)
        require(allowed is None or org.kind in allowed, f"{org.name} is a {org.kind.value}",
                field="agency_code", value=agency_code,
                rule=f"a {parsed.value.replace('_', ' ')} is made with "
                     + " or ".join(sorted(k.value for k in allowed or ())))
    if related_id is not None:
        concern = session.get(SafeguardingRecordRow, related_id)
        if concern is None or concern.case_id != case_id or \
                concern.kind != SafeguardingKind.CHILD_CONCERN.value:
            raise NotFound(f"no child concern {related_id} on case {case_id}", field="related_id",
                           value=related_id, rule="a notification answers a child concern on the case")
        require(on >= concern.occurred_on, f"notification on {on.isoformat()} is before the "
                f"concern of {concern.occurred_on.isoformat()}", field="on", value=on.isoformat(),
                rule="Children's Social Care is notified after the concern arises")
    row = SafeguardingRecordRow(case_id=case_id, kind=parsed.value, occurred_on=on,
                                agency_code=agency_code, outcome=outcome, topic=topic, note=note,
                                related_id=related_id, register=rec.register, recorded_at=now,
                                recorded_by=actor.username)
    session.add(row)
    session.flush()
    ev = event(rec.rules.event, occurred(on, now), actor, note, record_id=row.id, record_kind=parsed.value,
               on=on.isoformat(), agency=agency_code, outcome=outcome, topic=topic,
               related_id=related_id, register=rec.register, rows=list(rec.rules.rows))
    record(session, actor, loaded, [ev], what=f"{parsed.value} recorded", now=now)
    if parsed is SafeguardingKind.CHILD_CONCERN:
        risk_changed(session, loaded.row, [ev], summary=f"{loaded.row.crn}: concern about a "
                     f"child's wellbeing on {on.isoformat()}; notify Children's Social Care", now=now)
    return row


def list_records(session: Session, actor: Actor, case_id: int, *, kind: str | None,
                 now: datetime) -> list[SafeguardingRecordRow]:
    loaded = load(session, actor, case_id)
    stmt = select(SafeguardingRecordRow).where(SafeguardingRecordRow.case_id == case_id)
    if kind:
        stmt = stmt.where(SafeguardingRecordRow.kind == parse_kind(kind).value)
    rows = list(session.scalars(stmt.order_by(SafeguardingRecordRow.occurred_on,
                                              SafeguardingRecordRow.id)))
    audit.record(session, actor, "read", loaded.row.crn, f"case {case_id}: safeguarding", at=now)
    return rows
