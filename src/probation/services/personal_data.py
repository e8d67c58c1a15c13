"""Where a person's records live: every table that holds them, the section of the subject access
export it belongs to, the retention kind that disposes of it, and how its rows are found.

The subject access export (services/subject_access.py) and retention (services/retention.py) both
read this one map, and tests/integration/test_personal_data_map.py fails when a table with a
`case_id` or `crn` column (or a foreign key to a case or a person) is in neither the map nor
EXCLUDED, so a new feature's table is never silently left out of either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import ColumnElement, Table, false, or_, select
from sqlalchemy.orm import Session

from probation.adapters.db import load_all_tables
from probation.adapters.db.tables import Base
from probation.domain.data_protection.retention import RecordKind
from probation.em.services.runtime import case_fixes, person_key


class Section(StrEnum):
    PERSON = "person"
    CASES = "cases"
    HISTORY = "history"
    SUPERVISION = "supervision"
    ENFORCEMENT = "enforcement"
    RISK = "risk"
    PLANS = "plans"
    INTERVENTIONS = "interventions"
    LETTERS = "letters"
    EM = "em"

    @property
    def heading(self) -> str:
        return {
            "person": "The person", "cases": "Cases, sentences and requirements", "history": "Case history",
            "supervision": "Appointments and contacts", "enforcement": "Enforcement",
            "risk": "Risk and protection", "plans": "Plans, reviews and needs", "interventions": "Interventions",
            "letters": "Letters sent", "em": "Electronic monitoring",
        }[self.value]


class Link(StrEnum):
    PERSON = "person"        # the person row itself
    CASES = "cases"          # case_record: by person
    OWN = "own"              # the row's case_id and/or crn columns (and its parent, if any)
    ENGINE = "engine"        # em_engine_state: keyed by the case's engine person key
    FIXES = "fixes"          # em_fix: by the devices the cases wore (its primary key), summarised by day


@dataclass(frozen=True, kw_only=True)
class Holding:
    table: str
    section: Section
    kind: RecordKind | None  # None: kept (the aggregate rows assurance statistics count)
    link: Link = Link.OWN
    parent: tuple[str, str] | None = None  # (column, parent table): rows of a parent row found here


# Within a kind, children come before their parents: retention deletes in this order.
HOLDINGS: tuple[Holding, ...] = (
    Holding(table="person", section=Section.PERSON, kind=RecordKind.PERSON, link=Link.PERSON),
    Holding(table="case_record", section=Section.CASES, kind=None, link=Link.CASES),
    Holding(table="requirement", section=Section.CASES, kind=None),
    Holding(table="release_dates", section=Section.CASES, kind=None),
    Holding(table="case_event", section=Section.HISTORY, kind=RecordKind.CASE_HISTORY),
    Holding(table="om_update", section=Section.SUPERVISION, kind=RecordKind.SUPERVISION),
    Holding(table="appointment", section=Section.SUPERVISION, kind=RecordKind.SUPERVISION),
    Holding(table="diverse_needs", section=Section.SUPERVISION, kind=RecordKind.SUPERVISION),
    Holding(table="enforcement_action", section=Section.ENFORCEMENT, kind=RecordKind.ENFORCEMENT),
    Holding(table="rosh_assessment", section=Section.RISK, kind=RecordKind.RISK),
    Holding(table="predictor_score", section=Section.RISK, kind=RecordKind.RISK),
    Holding(table="register_entry", section=Section.RISK, kind=RecordKind.RISK),
    Holding(table="risk_escalation", section=Section.RISK, kind=RecordKind.RISK),
    Holding(table="safeguarding_record", section=Section.RISK, kind=RecordKind.RISK),
    Holding(table="om_notice", section=Section.RISK, kind=RecordKind.RISK),
    Holding(table="plan_review", section=Section.PLANS, kind=RecordKind.PLANS, parent=("plan_id", "sentence_plan")),
    Holding(table="sentence_plan", section=Section.PLANS, kind=RecordKind.PLANS),
    Holding(table="needs_assessment", section=Section.PLANS, kind=RecordKind.PLANS),
    Holding(table="outcome_review", section=Section.PLANS, kind=RecordKind.PLANS),
    Holding(table="referral_session", section=Section.INTERVENTIONS, kind=RecordKind.INTERVENTIONS,
            parent=("referral_id", "referral")),
    Holding(table="referral_feedback", section=Section.INTERVENTIONS, kind=RecordKind.INTERVENTIONS),
    Holding(table="referral", section=Section.INTERVENTIONS, kind=RecordKind.INTERVENTIONS),
    Holding(table="option_offer", section=Section.INTERVENTIONS, kind=RecordKind.INTERVENTIONS),
    Holding(table="structured_session", section=Section.INTERVENTIONS, kind=RecordKind.INTERVENTIONS),
    Holding(table="letter_delivery", section=Section.LETTERS, kind=RecordKind.LETTERS, parent=("letter_id", "letter")),
    Holding(table="letter", section=Section.LETTERS, kind=RecordKind.LETTERS),
    Holding(table="em_fix", section=Section.EM, kind=RecordKind.EM_FIXES, link=Link.FIXES),
    Holding(table="em_alert_action", section=Section.EM, kind=RecordKind.EM_RECORDS, parent=("alert_id", "em_alert")),
    Holding(table="em_alert", section=Section.EM, kind=RecordKind.EM_RECORDS),
    Holding(table="em_notification_query", section=Section.EM, kind=RecordKind.EM_RECORDS,
            parent=("notification_id", "em_notification")),
    Holding(table="em_notification", section=Section.EM, kind=RecordKind.EM_RECORDS),
    Holding(table="em_delivery", section=Section.EM, kind=RecordKind.EM_RECORDS, parent=("notice_id", "em_notice")),
    Holding(table="em_notice", section=Section.EM, kind=RecordKind.EM_RECORDS),
    Holding(table="em_police_report", section=Section.EM, kind=RecordKind.EM_RECORDS),
    Holding(table="em_visit", section=Section.EM, kind=RecordKind.EM_RECORDS),
    Holding(table="em_court_request", section=Section.EM, kind=RecordKind.EM_RECORDS),
    Holding(table="em_enquiry", section=Section.EM, kind=RecordKind.EM_RECORDS),
    Holding(table="em_zone", section=Section.EM, kind=RecordKind.EM_RECORDS),
    Holding(table="em_device_event", section=Section.EM, kind=RecordKind.EM_RECORDS),
    Holding(table="em_position_day", section=Section.EM, kind=RecordKind.EM_RECORDS),
    Holding(table="em_engine_state", section=Section.EM, kind=RecordKind.EM_RECORDS, link=Link.ENGINE),
    Holding(table="em_device", section=Section.EM, kind=RecordKind.EM_RECORDS),
)

# Tables that hold no person's record, or hold it elsewhere in the export, with the reason.
EXCLUDED: dict[str, str] = {
    "audit_log": "exported as 'who read or changed the record' (audit.search by CRN, list reads included); "
                 "retention kind audit, by each row's own time",
    "audit_subject": "the CRNs an audit row showed: found through audit_log",
    "app_user": "staff accounts, not people on probation",
    "staff": "staff, not people on probation",
    "team": "reference data", "organisation": "reference data", "court": "reference data",
    "delivery_location": "reference data", "intervention_service": "the directory of services",
    "provider_contract": "a provider's contract settings",
    "rar_information_sent": "who (sentencers, report writers, agencies) was sent the RAR information: "
                            "no person on probation",
    "em_ingest_batch": "the ingest log: counts and internal engine keys of cases re-evaluated, no record content",
    "em_change": "change counter for the zone book", "em_checkpoint": "the engine's checkpoint position",
    "retention_disposal": "the retention log: when an identity or history was anonymised; no record content",
}

HOLDING_BY_TABLE = {h.table: h for h in HOLDINGS}


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    """Every table of the platform (each feature's tables*.py loaded), by name."""
    load_all_tables()
    return dict(Base.metadata.tables)


def holdings(*, section: Section | None = None, kind: RecordKind | None = None) -> list[Holding]:
    return [h for h in HOLDINGS if (section is None or h.section is section) and (kind is None or h.kind is kind)]


@dataclass(frozen=True, kw_only=True)
class Subject:
    """The rows that identify one person: their person id, case ids and CRN."""

    person_id: int
    crn: str
    case_ids: Sequence[int]


def condition(session: Session, h: Holding, who: Subject | Iterable[Subject]) -> ColumnElement[bool]:
    """SQL condition on `h`'s table selecting the rows of these people."""
    people = [who] if isinstance(who, Subject) else list(who)
    t = tables()[h.table]
    case_ids = sorted({c for p in people for c in p.case_ids})
    match h.link:
        case Link.PERSON:
            return t.c.id.in_([p.person_id for p in people])
        case Link.CASES:
            return t.c.person_id.in_([p.person_id for p in people])
        case Link.ENGINE:
            return t.c.person.in_([person_key(c) for c in case_ids])
        case Link.FIXES:
            return case_fixes(session, case_ids) if case_ids else false()
    conds: list[ColumnElement[bool]] = []
    if "case_id" in t.c and case_ids:
        conds.append(t.c.case_id.in_(case_ids))
    if "crn" in t.c:
        conds.append(t.c.crn.in_([p.crn for p in people]))
    if h.parent:
        column, parent_name = h.parent
        parent = tables()[parent_name]
        conds.append(t.c[column].in_(select(parent.c.id).where(condition(session, HOLDING_BY_TABLE[parent_name],
                                                                         people))))
    return or_(*conds) if conds else false()
