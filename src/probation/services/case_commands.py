"""The case-command kernel shared by the protection and interventions use cases: load the case the
actor may see (or change), check the actor's role, build case events, and record them with an
audit entry. Everything runs in the caller's transaction; a refusal raises before anything is
flushed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CaseRow, PersonRow
from probation.domain.case import Case
from probation.domain.errors import Forbidden
from probation.domain.events import CaseEvent, EventKind
from probation.domain.roles import Role
from probation.services import access, audit
from probation.services.context import Actor

# Who records case work: offender managers, team managers, administrators.
RECORDERS = frozenset(access.WRITERS)


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
