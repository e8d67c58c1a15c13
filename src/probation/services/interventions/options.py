"""Commissioned options (Supervision rows 18-23, Post-Release row 12) and structured one-to-one
sessions (Supervision rows 6-9 and 19-21).

Which options a case can be offered comes from the provider contract's commissioned options
(catalogue/data/contracts/*.yaml): the platform does not yet record which contract holds which
case, so the default contract applies unless the caller passes another (docs/INTERVENTIONS.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables_interventions import OptionOfferRow, StructuredSessionRow
from probation.catalogue import DEFAULT_CONTRACT, Contract, load_contract
from probation.catalogue.loader import DATA_DIR
from probation.domain.delivery.enforcement import Action, window_start
from probation.domain.delivery.times import local_date
from probation.domain.errors import Conflict, InvalidValue, NotFound, require
from probation.domain.events import CaseEvent, EventKind
from probation.domain.interventions import options as o
from probation.domain.interventions import sessions as s
from probation.domain.people import Sex, age_on
from probation.domain.roles import Role
from probation.services import audit
from probation.services.case_commands import (
    RECORDERS,
    Loaded,
    event,
    load,
    load_for_change,
    occurred,
    record,
)
from probation.services.context import Actor
from probation.services.delivery import enforcement as delivery_enforcement
from probation.services.delivery.common import DELIVERERS

UPDATERS = RECORDERS | {Role.PROVIDER_STAFF}
SESSION_DELIVERERS = frozenset(DELIVERERS)


@lru_cache(maxsize=1)
def default_contract() -> Contract:
    return load_contract(DATA_DIR / "contracts" / DEFAULT_CONTRACT)


# Commissioned options ----------------------------------------------------------------------------

def _facts(session: Session, actor: Actor, loaded: Loaded, groups: frozenset[o.VulnerableGroup],
           now: datetime) -> o.QualifyingFacts:
    today = local_date(now)
    found = delivery_enforcement.compliance(session, actor, loaded.row.id, now=now)
    since = window_start(today, 12)
    warnings = sum(1 for a in found.actions
                   if a.action == Action.WARNING_LETTER.value and since <= a.decided_on <= today)
    return o.QualifyingFacts(sex=Sex(loaded.person.sex), age=age_on(loaded.person.date_of_birth, today),
                             sentence_type=loaded.case.sentence.type,
                             warnings_last_12_months=warnings,
                             breach_in_progress=found.summary.breach_in_progress is not None,
                             declared_groups=groups)


@dataclass(frozen=True, kw_only=True)
class OptionView:
    option: o.OptionId
    commissioned: bool
    qualification: o.Qualification
    offers: list[OptionOfferRow]


def offer_rows(session: Session, case_id: int) -> list[OptionOfferRow]:
    return list(session.scalars(select(OptionOfferRow).where(OptionOfferRow.case_id == case_id)
                                .order_by(OptionOfferRow.id)))


def case_options(session: Session, actor: Actor, case_id: int, *, now: datetime,
                 contract: Contract | None = None) -> list[OptionView]:
    """Every option: whether the contract buys it, whether the case qualifies and why, its offers."""
    loaded = load(session, actor, case_id)
    bought = (contract or default_contract()).commissioned_options
    facts = _facts(session, actor, loaded, frozenset(), now)
    offers = offer_rows(session, case_id)
    for row in offers:  # groups declared on an earlier offer still place the person in them
        facts = o.QualifyingFacts(**{**facts.__dict__, "declared_groups": facts.declared_groups
                                     | o.parse_groups(row.groups)})
    return [OptionView(option=opt, commissioned=opt.value in bought,
                       qualification=o.qualifies(opt, facts),
                       offers=[x for x in offers if x.option_id == opt.value]) for opt in o.OptionId]


def offer(session: Session, actor: Actor, case_id: int, *, option_id: str, offered_on: date,
          groups: list[str], reason: str | None, now: datetime,
          contract: Contract | None = None) -> OptionOfferRow:
    loaded = load_for_change(session, actor, case_id, RECORDERS, "offer a commissioned option")
    option = o.parse_option(option_id)
    chosen = contract or default_contract()
    if option.value not in chosen.commissioned_options:
        raise Conflict(f"{option.value} is not commissioned under contract {chosen.contract_id}",
                       field="option_id", value=option.value,
                       rule="an option is offered only where the contract buys it")
    declared = o.parse_groups(groups)
    if declared:
        require(bool((reason or "").strip()), "a vulnerable group is declared without a reason",
                field="reason", value=reason, rule="say why the person is in the group")
    iso = offered_on.isoformat()
    require(offered_on <= now.date(), f"offer date {iso} is after today", field="offered_on",
            value=iso, rule="an offer is recorded once made")
    require(offered_on >= loaded.case.sentence.sentence_date, f"offer date {iso} is before the "
            "sentence date", field="offered_on", value=iso, rule="options are offered during the sentence")
    q = o.qualifies(option, _facts(session, actor, loaded, declared, now))
    if not q.qualifies:
        raise Conflict(f"the case does not qualify for {option.value}: {q.reason}", field="option_id",
                       value=option.value, rule="the option is offered to the cases it is for")
    if any(x.option_id == option.value and o.OfferStatus(x.status) in o.OPEN
           for x in offer_rows(session, case_id)):
        raise Conflict(f"{option.value} is already offered or taken up", field="option_id",
                       value=option.value, rule="one open offer of an option per case")
    row = OptionOfferRow(case_id=case_id, option_id=option.value, contract_id=chosen.contract_id,
                         status=o.OfferStatus.OFFERED.value, offered_on=offered_on, status_on=offered_on,
                         qualification=q.reason, groups=sorted(g.value for g in declared),
                         reason=reason, history=[{"status": "offered", "on": iso, "by": actor.username}],
                         recorded_at=now, recorded_by=actor.username, updated_at=now)
    session.add(row)
    session.flush()
    spec, number = option.row
    ev = event(EventKind.OPTION_OFFERED, occurred(offered_on, now), actor, reason, offer_id=row.id,
               option_id=option.value, contract_id=chosen.contract_id, qualification=q.reason,
               groups=row.groups, rows={spec: [number]})
    record(session, actor, loaded, [ev], what=f"{option.value} offered", now=now)
    return row


def respond(session: Session, actor: Actor, case_id: int, offer_id: int, *, status: str, on: date,
            reason: str | None, now: datetime) -> OptionOfferRow:
    """Take-up, decline, completion or withdrawal of an offer. Take-up records the event the
    option's row is evidenced by (compliance programme started, structured programme started,
    mentor assigned)."""
    loaded = load_for_change(session, actor, case_id, UPDATERS, "update an option offer")
    row = session.get(OptionOfferRow, offer_id)
    if row is None or row.case_id != case_id:
        raise NotFound(f"no option offer {offer_id} on case {case_id}", field="offer_id",
                       value=offer_id, rule="the offer must exist on this case")
    try:
        new = o.OfferStatus(status)
    except ValueError:
        raise InvalidValue(f"status {status!r} is not known", field="status", value=status,
                           rule="one of " + ", ".join(x.value for x in o.OfferStatus)) from None
    o.check_transition(row.id, o.OfferStatus(row.status), new, reason=reason)
    iso = on.isoformat()
    require(row.status_on <= on <= now.date(), f"date {iso} is outside {row.status_on.isoformat()}"
            f" to today", field="on", value=iso, rule="changes follow the offer, up to today")
    option = o.OptionId(row.option_id)
    row.status, row.status_on, row.updated_at = new.value, on, now
    row.reason = reason or row.reason
    row.history = [*row.history, {"status": new.value, "on": iso, "by": actor.username, "reason": reason}]
    session.flush()
    spec, number = option.row
    at = occurred(on, now)
    events: list[CaseEvent] = [event(EventKind.OPTION_UPDATED, at, actor, reason, offer_id=row.id,
                                     option_id=option.value, status=new.value, rows={spec: [number]})]
    started = o.TAKE_UP_EVENT.get(option)
    if new is o.OfferStatus.TAKEN_UP and started is not None:
        events.append(event(started, at, actor, reason, offer_id=row.id, option_id=option.value,
                            rows={spec: [number]}))
    record(session, actor, loaded, events, what=f"{option.value} offer {new.value}", now=now)
    return row


# Structured sessions -----------------------------------------------------------------------------

def record_session(session: Session, actor: Actor, case_id: int, *, topic: str, number: int,
                   delivered_on: date, covered: list[str], response: str, notes: str | None,
                   now: datetime) -> StructuredSessionRow:
    loaded = load_for_change(session, actor, case_id, SESSION_DELIVERERS, "record a structured session")
    delivered = s.DeliveredSession(topic=s.parse_topic(topic), number=number, delivered_on=delivered_on,
                                   covered=tuple(covered), response=s.parse_response(response),
                                   notes=notes)
    s.validate_date(delivered_on, sentence_date=loaded.case.sentence.sentence_date, as_of=now.date())
    row = StructuredSessionRow(case_id=case_id, topic=delivered.topic.value, number=number,
                               delivered_on=delivered_on, covered=list(delivered.covered),
                               response=delivered.response.value, notes=notes,
                               delivered_by=actor.staff_code or actor.username, recorded_at=now)
    session.add(row)
    session.flush()
    ev = event(EventKind.STRUCTURED_SESSION_DELIVERED, occurred(delivered_on, now), actor, notes,
               session_id=row.id, topic=delivered.topic.value, number=number,
               title=delivered.plan.title, covered=row.covered, of_items=len(delivered.plan.items),
               response=row.response, rows={"supervision": list(s.ROWS[delivered.topic])})
    record(session, actor, loaded, [ev], what=f"structured session {delivered.topic.value} "
           f"{number}", now=now)
    return row


def list_sessions(session: Session, actor: Actor, case_id: int, *,
                  now: datetime) -> tuple[list[StructuredSessionRow], dict[str, Any]]:
    loaded = load(session, actor, case_id)
    rows = list(session.scalars(select(StructuredSessionRow).where(StructuredSessionRow.case_id == case_id)
                                .order_by(StructuredSessionRow.delivered_on, StructuredSessionRow.id)))
    delivered = [s.DeliveredSession(topic=s.Topic(x.topic), number=x.number, delivered_on=x.delivered_on,
                                    covered=tuple(x.covered), response=s.Response(x.response),
                                    notes=x.notes or "recorded") for x in rows]
    cover = {t.value: {"delivered": a, "of": b} for t, (a, b) in s.coverage(delivered).items()}
    audit.record(session, actor, "read", loaded.row.crn, f"case {case_id}: structured sessions", at=now)
    return rows, cover
