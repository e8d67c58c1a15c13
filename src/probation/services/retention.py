"""Retention: what is past its period, and (only when confirmed) its disposal.

A person's records start their clock when the last of their cases closes: a case's closure is the
time of its `closed` event (the append-only history), or, for a closed case whose history has no
such event, the last change to the case row (a closed case changes no more). A person with any case
not closed (active or terminated awaiting closure) keeps everything. Each kind of record is then
kept for its period (domain/data_protection/retention.py) and deleted or anonymised; the audit log
is kept for its own period from each row's time. Case rows, requirements and release dates stay as
the anonymised aggregate rows assurance statistics count.

`scan` only counts. `apply` disposes of exactly what `scan` counts, in the caller's transaction,
logs each person's disposal per kind (retention_disposal) so a second run finds nothing to do, and
writes one audit row. Nothing else is touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Result, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from probation.adapters.db.tables import AuditRow, CaseEventRow, CaseRow, PersonRow
from probation.adapters.db.tables_data_protection import RetentionDisposalRow
from probation.config import get_settings
from probation.domain.calendar import LONDON
from probation.domain.case import CaseStatus
from probation.domain.data_protection.retention import (
    ANONYMISED_NAME,
    Disposal,
    RecordKind,
    RetentionPolicy,
    anonymised_birth_date,
    default_policy,
    load_policy,
    scrub,
)
from probation.domain.delivery.times import local_date
from probation.domain.events import EventKind
from probation.services import audit, cases
from probation.services.context import Actor
from probation.services.personal_data import Holding, Subject, condition, holdings, tables

BATCH = 500  # people per statement: IN lists stay well inside SQLite's and PostgreSQL's limits
Progress = Callable[[int, int], None]  # (people scanned, people to scan)

_POLICY: dict[str, RetentionPolicy] = {}


def use_policy(path: str | None) -> RetentionPolicy:
    """Load and validate the retention policy (PROBATION_RETENTION, else the defaults); a bad file
    stops start-up with a message naming the problem. Called by the composition root."""
    policy = load_policy(Path(path)) if path else default_policy()
    _POLICY["current"] = policy
    return policy


def current_policy() -> RetentionPolicy:
    if "current" not in _POLICY:
        use_policy(get_settings().retention)
    return _POLICY["current"]


@dataclass(frozen=True, kw_only=True)
class KindCount:
    kind: RecordKind
    action: Disposal
    period: str
    people: int | None  # anonymised kinds: people not yet anonymised; deleted kinds: not counted
    rows: int


@dataclass(frozen=True, kw_only=True)
class RetentionResult:
    as_of: date
    policy_version: str
    kinds: list[KindCount]
    applied: bool

    @property
    def total_rows(self) -> int:
        return sum(k.rows for k in self.kinds)

    def summary(self) -> str:
        done = "disposed of" if self.applied else "past retention"
        parts = [f"{k.kind} {k.rows} {'anonymised' if k.action is Disposal.ANONYMISE else 'deleted'}"
                 if self.applied else f"{k.kind} {k.rows}" for k in self.kinds if k.rows]
        return f"retention as of {self.as_of.isoformat()} (policy {self.policy_version}): {done}: " + (
            ", ".join(parts) or "nothing")


@dataclass(frozen=True, kw_only=True)
class _Closed:
    subject: Subject
    closed_on: date


def closed_people(session: Session) -> list[_Closed]:
    """People all of whose cases are closed, with the day the last one closed (London day)."""
    closed_at = dict(session.execute(
        select(CaseEventRow.case_id, func.max(CaseEventRow.occurred_at))
        .where(CaseEventRow.kind == EventKind.CLOSED.value).group_by(CaseEventRow.case_id)).all())
    per_person: dict[int, list[tuple[int, str, datetime]]] = defaultdict(list)
    open_people: set[int] = set()
    for case_id, person_id, status, updated_at in session.execute(
            select(CaseRow.id, CaseRow.person_id, CaseRow.status, CaseRow.updated_at)):
        if status != CaseStatus.CLOSED.value:
            open_people.add(person_id)
            continue
        per_person[person_id].append((case_id, status, closed_at.get(case_id) or updated_at))
    crns = dict(session.execute(select(PersonRow.id, PersonRow.crn).where(
        PersonRow.id.in_(select(CaseRow.person_id).where(CaseRow.status == CaseStatus.CLOSED.value)))).all())
    out = []
    for person_id, rows in sorted(per_person.items()):
        if person_id in open_people:
            continue
        last = max(at for _, _, at in rows)
        out.append(_Closed(subject=Subject(person_id=person_id, crn=crns[person_id],
                                           case_ids=sorted(c for c, _, _ in rows)),
                           closed_on=local_date(last)))
    return out


def scan(session: Session, policy: RetentionPolicy, *, as_of: date,
         progress: Progress | None = None) -> RetentionResult:
    """What is past retention on `as_of`, counted by kind. Changes nothing."""
    return _run(session, policy, as_of=as_of, actor=None, now=None, progress=progress)


def apply(session: Session, actor: Actor, policy: RetentionPolicy, *, as_of: date, now: datetime,
          progress: Progress | None = None) -> RetentionResult:
    """Dispose of what `scan` counts on `as_of`, in the caller's transaction, and audit the run."""
    result = _run(session, policy, as_of=as_of, actor=actor, now=now, progress=progress)
    audit.record(session, actor, "write", None, result.summary()[:2000], at=now)
    session.flush()
    return result


def _run(session: Session, policy: RetentionPolicy, *, as_of: date, actor: Actor | None, now: datetime | None,
         progress: Progress | None) -> RetentionResult:
    applying = actor is not None and now is not None
    people = closed_people(session)
    done = _already_done(session)
    rows: dict[RecordKind, int] = defaultdict(int)
    counted: dict[RecordKind, int] = defaultdict(int)
    total = len(people)
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH):
        batch = people[start:start + BATCH]
        for kind in _closure_kinds():
            rule = policy.rule(kind)
            due = [p for p in batch if policy.past(kind, p.closed_on, as_of)
                   and not (rule.action is Disposal.ANONYMISE and done.get((p.subject.person_id, kind), date.min)
                            >= p.closed_on)]
            if not due:
                continue
            n = _dispose(session, kind, due) if applying else _count(session, kind, due)
            rows[kind] += n
            if rule.action is Disposal.ANONYMISE:
                counted[kind] += len(due)
            if applying and rule.action is Disposal.ANONYMISE:
                assert actor is not None and now is not None
                session.add_all(RetentionDisposalRow(person_id=p.subject.person_id, kind=kind.value,
                                                     closed_on=p.closed_on, disposed_at=now,
                                                     disposed_by=actor.username) for p in due)
        if progress:
            progress(min(start + BATCH, total), total)
    cutoff = _audit_cutoff(policy, as_of)
    old_audit = AuditRow.at < cutoff
    if applying:
        rows[RecordKind.AUDIT] = _rowcount(session.execute(delete(AuditRow).where(old_audit)))
    else:
        rows[RecordKind.AUDIT] = session.scalar(select(func.count()).select_from(AuditRow).where(old_audit)) or 0
    session.flush()
    kinds = [KindCount(kind=k, action=policy.rule(k).action, period=policy.rule(k).period.label,
                       people=counted[k] if policy.rule(k).action is Disposal.ANONYMISE else None, rows=rows[k])
             for k in RecordKind]
    return RetentionResult(as_of=as_of, policy_version=policy.version, kinds=kinds, applied=applying)


def _closure_kinds() -> list[RecordKind]:
    """The kinds measured from closure, in the order they are disposed of: the map's order (EM
    positions before the devices that find them), the person's identity last (it changes the CRN
    the other kinds are found by)."""
    order = [h.kind for h in holdings() if h.kind is not None and h.kind is not RecordKind.PERSON]
    return [*dict.fromkeys(order), RecordKind.PERSON]


def _already_done(session: Session) -> dict[tuple[int, RecordKind], date]:
    out: dict[tuple[int, RecordKind], date] = {}
    for person_id, kind, closed_on in session.execute(
            select(RetentionDisposalRow.person_id, RetentionDisposalRow.kind,
                   func.max(RetentionDisposalRow.closed_on)).group_by(RetentionDisposalRow.person_id,
                                                                        RetentionDisposalRow.kind)):
        out[(person_id, RecordKind(kind))] = closed_on
    return out


def _audit_cutoff(policy: RetentionPolicy, as_of: date) -> datetime:
    """Audit rows before this instant are past: their London day plus the period is on or before as_of."""
    last = policy.rule(RecordKind.AUDIT).period.latest_start_past(as_of)
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=LONDON).astimezone(UTC)


def _holdings(kind: RecordKind) -> list[Holding]:
    return holdings(kind=kind)


def _subjects(due: Iterable[_Closed]) -> list[Subject]:
    return [p.subject for p in due]


def _count(session: Session, kind: RecordKind, due: Sequence[_Closed]) -> int:
    who = _subjects(due)
    all_tables = tables()
    return sum(session.scalar(select(func.count()).select_from(all_tables[h.table])
                              .where(condition(session, h, who))) or 0 for h in _holdings(kind))


def _dispose(session: Session, kind: RecordKind, due: Sequence[_Closed]) -> int:
    who = _subjects(due)
    if kind is RecordKind.PERSON:
        return sum(_anonymise_person(session, p) for p in who)
    if kind is RecordKind.CASE_HISTORY:
        return _anonymise_history(session, who)
    all_tables = tables()
    n = 0
    for h in _holdings(kind):
        n += _rowcount(session.execute(delete(all_tables[h.table]).where(condition(session, h, who))))
    return n


def _rowcount(result: Result[Any]) -> int:
    return cast(CursorResult[Any], result).rowcount or 0


def _anonymise_history(session: Session, who: Sequence[Subject]) -> int:
    """Events keep their kind, times, sequence and codes; their reason and free text go."""
    case_ids = [c for s in who for c in s.case_ids]
    changes: list[dict[str, Any]] = []
    n = 0
    for event_id, data in session.execute(select(CaseEventRow.id, CaseEventRow.data)
                                          .where(CaseEventRow.case_id.in_(case_ids))):
        n += 1
        changes.append({"event_id": event_id, "scrubbed": scrub(data or {})})
    if changes:
        t = tables()["case_event"]
        session.execute(update(t).where(t.c.id == bindparam("event_id"))
                        .values(data=bindparam("scrubbed"), reason=None), changes)
    return n


def _anonymise_person(session: Session, who: Subject) -> int:
    """The identity goes; sex, ethnicity, disability, communication needs and the birth year stay
    for equalities and assurance statistics. A new CRN replaces the old wherever a row carries it."""
    row = session.get(PersonRow, who.person_id)
    assert row is not None
    crn = cases.new_crn(session, series="Z")  # anonymised records stay valid but name no one
    row.crn = crn
    row.first_name = row.last_name = ANONYMISED_NAME
    row.search_key = f"{ANONYMISED_NAME.lower()} {crn.lower()}"
    row.date_of_birth = anonymised_birth_date(row.date_of_birth)
    row.gender_identity = row.religion = row.phone = row.email = None
    row.addresses = []
    for name, t in tables().items():
        if "crn" in t.c and name != "person":
            session.execute(update(t).where(t.c.crn == who.crn).values(crn=crn))
    # Requirement places can name a victim's street; the requirement's type and dates stay.
    requirement = tables()["requirement"]
    session.execute(update(requirement).where(requirement.c.case_id.in_(list(who.case_ids))).values(places=[]))
    session.flush()
    return 1
