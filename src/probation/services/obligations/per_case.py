"""Obligations of one case (or every case of one person) as of a date: the per-case path used by
the case page, the API, the worklist and `probation obligations`.

Which contract applies: a contract file when one is given (the CLI's --contract); otherwise the
contract of the case's provider as administrators set it (services/admin.contract_for: the options
it buys and its timescale overrides), or the national minimum where none is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from probation.catalogue import NATIONAL_MINIMUM_ONLY, Catalogue, CatalogueRow, load_catalogue, load_contract
from probation.catalogue.models import Contract
from probation.config import get_settings
from probation.domain.calendar import FIRST_YEAR, LAST_YEAR, LONDON, outside_years
from probation.domain.case import Case
from probation.domain.contact_level import ContactMatrix, default_matrix, load_matrix
from probation.domain.errors import InvalidValue, NotFound
from probation.domain.events import RECORDED_KINDS
from probation.rules.obligations import EventRef, Obligation, ObligationsEngine
from probation.services import access, audit
from probation.services.context import Actor
from probation.services.obligations.facts import case_ids_for_crn, load_case_facts, load_events
from probation.services.protection.notices import RiskChange, on_risk_change


def today(now: datetime) -> date:
    return now.astimezone(LONDON).date()


def parse_as_of(value: str | None, now: datetime, field: str = "as_of") -> date:
    """An ISO date (YYYY-MM-DD), or today in London when none is given."""
    if value is None or value == "":
        return today(now)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidValue(f"{value!r} is not a date in the form YYYY-MM-DD", field=field, value=value,
                           rule="dates are ISO 8601 calendar dates") from None
    problem = outside_years(day)  # 9999-12-31 overflowed the end-of-day arithmetic: a 500
    if problem:
        raise InvalidValue(f"{field} {problem}", field=field, value=value,
                           rule=f"a date within the years {FIRST_YEAR}-{LAST_YEAR}")
    return day


def contract_from(path: str | None, catalogue: Catalogue) -> Contract:
    return NATIONAL_MINIMUM_ONLY if path is None else load_contract(Path(path), catalogue)


_MATRIX: dict[str, ContactMatrix] = {}


def use_contact_matrix(path: str | None) -> ContactMatrix:
    """Load and validate the level-of-contact matrix every engine built after this uses: the file at
    `path` (PROBATION_CONTACT_MATRIX), or the platform default. Called by the composition root."""
    matrix = default_matrix() if not path else load_matrix(Path(path))
    if _MATRIX.get("current") != matrix:
        _MATRIX["current"] = matrix
        _engine.cache_clear()
        _PROVIDER_ENGINES.clear()
    return matrix


def contact_matrix() -> ContactMatrix:
    if "current" not in _MATRIX:
        use_contact_matrix(get_settings().contact_matrix)
    return _MATRIX["current"]


@lru_cache(maxsize=8)
def _engine(contract_file: str | None, recorded: frozenset[str]) -> ObligationsEngine:
    catalogue = load_catalogue()
    return ObligationsEngine(catalogue, contract_from(contract_file, catalogue), recorded_kinds=recorded,
                             contact_matrix=contact_matrix())


def engine(contract_file: str | None = None) -> ObligationsEngine:
    """The engine for a contract, rebuilt when RECORDED_KINDS changes."""
    return _engine(contract_file, frozenset(str(k) for k in RECORDED_KINDS))


_PROVIDER_ENGINES: dict[tuple[str, datetime, frozenset[str]], ObligationsEngine] = {}


def engine_for_provider(session: Session, organisation_code: str) -> ObligationsEngine:
    """The engine for a provider's stored contract, rebuilt when an administrator changes it."""
    from probation.adapters.db.tables_admin import ProviderContractRow
    from probation.services.admin import contract_for

    row = session.get(ProviderContractRow, organisation_code)
    if row is None:
        return engine(None)
    recorded = frozenset(str(k) for k in RECORDED_KINDS)
    key = (organisation_code, row.updated_at, recorded)
    if key not in _PROVIDER_ENGINES:
        catalogue = load_catalogue()
        _PROVIDER_ENGINES[key] = ObligationsEngine(catalogue, contract_for(session, organisation_code, catalogue),
                                                   recorded_kinds=recorded, contact_matrix=contact_matrix())
    return _PROVIDER_ENGINES[key]


@dataclass(frozen=True, kw_only=True)
class CaseObligations:
    case: Case
    as_of: date
    obligations: list[Obligation]
    rows: dict[tuple[str, int], CatalogueRow]

    def to_json(self, *, include_not_applicable: bool = True) -> dict[str, Any]:
        return {"case_id": self.case.id, "crn": self.case.crn, "as_of": self.as_of.isoformat(),
                "team_code": self.case.team_code, "offender_manager_code": self.case.offender_manager_code,
                "obligations": [obligation_json(o, self.rows[(o.spec_id, o.row)]) for o in self.obligations
                                if include_not_applicable or o.status.value != "not_applicable"]}


def _ref(e: EventRef | None) -> dict[str, Any] | None:
    return None if e is None else {"case_event_id": e.id, "seq": e.seq, "kind": e.kind, "on": e.on.isoformat()}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def obligation_json(o: Obligation, row: CatalogueRow) -> dict[str, Any]:
    return {"spec": o.spec_id, "version": o.version, "row": o.row, "occurrence": o.occurrence,
            "service_element": row.service_element, "output": row.output, "status": o.status.value,
            "opens": _iso(o.opens), "due": _iso(o.due), "met_on": _iso(o.met_on), "evidence": _ref(o.evidence),
            "trigger": _ref(o.trigger), "reason": o.reason}


def evaluate_case(session: Session, case_id: int, as_of: date, *, contract_file: str | None = None,
                  include_not_applicable: bool = True) -> CaseObligations:
    """No access check: for callers that have already checked (and for the benchmark)."""
    case, facts = load_case_facts(session, case_id, as_of)
    eng = engine(contract_file) if contract_file else engine_for_provider(session, case.organisation_code)
    events = load_events(session, case_id)
    obligations = eng.evaluate(facts, events, as_of, include_not_applicable=include_not_applicable)
    return CaseObligations(case=case, as_of=as_of, obligations=obligations, rows=dict(eng.catalogue.rows))


def for_case(session: Session, actor: Actor, case_id: int, *, as_of: date, now: datetime,
             contract_file: str | None = None) -> CaseObligations:
    access.ensure_sees_people(actor)
    result = evaluate_case(session, case_id, as_of, contract_file=contract_file)
    access.ensure_can_see(actor, result.case, has_em=access.has_em(session, case_id))
    audit.record(session, actor, "read", result.case.crn, f"obligations of case {case_id} as of {as_of}", at=now)
    return result


def for_person(session: Session, actor: Actor, crn: str, *, as_of: date, now: datetime,
               contract_file: str | None = None) -> list[CaseObligations]:
    """Every case of the person the actor may see (NotFound when none is visible)."""
    access.ensure_sees_people(actor)
    visible = []
    for case_id in case_ids_for_crn(session, crn):
        result = evaluate_case(session, case_id, as_of, contract_file=contract_file)
        try:
            access.ensure_can_see(actor, result.case, has_em=access.has_em(session, case_id))
        except NotFound:
            continue
        visible.append(result)
    if not visible:
        raise NotFound(f"no case visible to {actor.username} with reference {crn}", field="crn", value=crn,
                       rule="cases are visible to their team, provider or named staff")
    audit.record(session, actor, "read", crn, f"obligations as of {as_of}", at=now)
    return visible


@on_risk_change
def tell_the_level_of_contact(session: Session, change: RiskChange) -> None:
    """Risk or flag changes (issue 5 item 7): obligations are derived from the case's facts on every
    read, so the next worklist already follows the change; the offender manager's notice also says
    which level of contact now applies."""
    from probation.adapters.db.tables_protection import OffenderManagerNoticeRow

    day = today(change.at)
    case, facts = load_case_facts(session, change.case_id, day)
    eng = engine_for_provider(session, case.organisation_code)
    level = eng.contact_level(facts, day)
    notice = session.get(OffenderManagerNoticeRow, change.notice_id)
    if notice is None:  # pragma: no cover - written by the caller in this transaction
        return
    label = level.level.replace("_", " ")
    stop = "" if notice.summary.rstrip().endswith((".", "!", "?")) else "."
    enhanced = ", enhanced" if level.enhanced else ""
    notice.summary = (f"{notice.summary.rstrip()}{stop} Level of contact: {label} "
                      f"(at most {level.interval_days} days between contacts{enhanced}).")
    session.flush()
