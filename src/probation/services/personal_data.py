"""Where a person's records live: every table that holds them, the section of the subject access
export it belongs to, the retention kind that disposes of it, and how its rows are found.

The subject access export (services/subject_access.py) and retention (services/retention.py) both
read this one map, and tests/integration/test_personal_data_map.py fails when a table with a
`case_id` or `crn` column (or a foreign key to a case or a person) is in neither the map nor
EXCLUDED, so a new feature's table is never silently left out of either.

Features outside the core (electronic monitoring) add their tables to the map through
services/holdings.py at start-up, with the conditions that find their rows and the summaries the
export shows in their place; the core never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Table, false, or_, select
from sqlalchemy.orm import Session

from probation.adapters.db import load_all_tables
from probation.adapters.db.tables import Base
from probation.domain.data_protection.retention import RecordKind
from probation.services import holdings as extensions


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
    FOUND = "found"          # by the condition its feature registered (Extension.finders), from the case ids


@dataclass(frozen=True, kw_only=True)
class Holding:
    table: str
    section: Section
    kind: RecordKind | None  # None: kept (the aggregate rows assurance statistics count)
    link: Link = Link.OWN
    parent: tuple[str, str] | None = None  # (column, parent table): rows of a parent row found here
    summarised: bool = False  # exported as its feature's summary (Extension.summaries), not row by row


# Within a kind, children come before their parents: retention deletes in this order. A feature's
# own holdings follow the core's, in the order it gives them.
CORE_HOLDINGS: tuple[Holding, ...] = (
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
)

# Tables that hold no person's record, or hold it elsewhere in the export, with the reason.
CORE_EXCLUDED: dict[str, str] = {
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
    "retention_disposal": "the retention log: when an identity or history was anonymised; no record content",
}


@dataclass(frozen=True, kw_only=True)
class Subject:
    """The rows that identify one person: their person id, case ids and CRN."""

    person_id: int
    crn: str
    case_ids: Sequence[int]


Finder = Callable[[Session, Sequence[int]], ColumnElement[bool]]  # the rows of these case ids
Summary = Callable[[Session, Subject], list[dict[str, Any]]]  # the export's summary of a person's rows


@dataclass(frozen=True, kw_only=True)
class Extension:
    """What a feature outside the core holds about people: its tables (after the core's in the
    map), the tables it holds no one's record in (with the reason), the condition finding the rows
    of each `Link.FOUND` table, and the summaries the subject access bundle carries by key."""

    holdings: tuple[Holding, ...]
    excluded: Mapping[str, str] = field(default_factory=dict)
    finders: Mapping[str, Finder] = field(default_factory=dict)
    summaries: Mapping[str, Summary] = field(default_factory=dict)


@dataclass(frozen=True)
class _Map:
    holdings: tuple[Holding, ...]
    excluded: dict[str, str]
    finders: dict[str, Finder]
    summaries: dict[str, Summary]
    by_table: dict[str, Holding]


@lru_cache(maxsize=4)
def _map(providers: tuple[Callable[[], Extension], ...]) -> _Map:
    found = [provide() for provide in providers]
    every = CORE_HOLDINGS + tuple(h for e in found for h in e.holdings)
    return _Map(holdings=every, excluded={**CORE_EXCLUDED, **{k: v for e in found for k, v in e.excluded.items()}},
                finders={k: v for e in found for k, v in e.finders.items()},
                summaries={k: v for e in found for k, v in e.summaries.items()},
                by_table={h.table: h for h in every})


def _current() -> _Map:
    return _map(extensions.providers())


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    """Every table of the platform (each feature's tables*.py loaded), by name."""
    load_all_tables()
    return dict(Base.metadata.tables)


def holdings(*, section: Section | None = None, kind: RecordKind | None = None) -> list[Holding]:
    """The map: the core's holdings, then each registered feature's, in order."""
    return [h for h in _current().holdings
            if (section is None or h.section is section) and (kind is None or h.kind is kind)]


def excluded() -> dict[str, str]:
    return dict(_current().excluded)


def summaries() -> dict[str, Summary]:
    """The subject access bundle's summaries (key: function), in the order the features gave them."""
    return dict(_current().summaries)


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
        case Link.FOUND:
            return _current().finders[h.table](session, case_ids)
    conds: list[ColumnElement[bool]] = []
    if "case_id" in t.c and case_ids:
        conds.append(t.c.case_id.in_(case_ids))
    if "crn" in t.c:
        conds.append(t.c.crn.in_([p.crn for p in people]))
    if h.parent:
        column, parent_name = h.parent
        parent = tables()[parent_name]
        conds.append(t.c[column].in_(select(parent.c.id).where(condition(session, _current().by_table[parent_name],
                                                                         people))))
    return or_(*conds) if conds else false()
