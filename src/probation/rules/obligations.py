"""The obligations engine for one case: catalogue + contract + case facts + events + a date in,
every case-level output row out, each as one or more obligations with a status.

Pure: no clock (`as_of` is passed in), no database. The bulk engine (rules/bulk.py) evaluates the
same declarations column-wise over a caseload; a property test proves the two agree.

Decisions (docs/OBLIGATIONS.md):
- Events count from the day they happened in England and Wales, and only up to `as_of`.
- once_after_event / by_date: one obligation; the earliest evidence event (any time up to as_of)
  discharges it: met when on or before the due day, met late after it.
- recurring: one obligation per period from the anchor up to as_of, while the case is active
  (until the rule's end date or termination, whichever is first). Each period needs evidence
  inside it; a period without evidence is overdue once it has ended (there is no "met late").
- per_occurrence: one obligation per occurrence up to as_of; the first evidence event at or
  after the occurrence discharges it (an evidence event may serve several occurrences).
- A row none of whose evidence kinds the platform records yet, or whose trigger kind it does not
  record, is one obligation with status awaiting_evidence: never met, never overdue.
- A rule whose start has not happened is one obligation, not yet due, with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from probation.catalogue.models import NATIONAL_MINIMUM_ONLY, Catalogue, CatalogueRow, Contract
from probation.catalogue.timescales import CaseDate, DueRule, TriggerKind
from probation.domain.contact_level import ContactLevel, ContactMatrix, default_matrix
from probation.domain.errors import InvalidValue
from probation.domain.events import RECORDED_KINDS, EventKind
from probation.rules.applicability import Clause, clauses_of, not_applicable_reason
from probation.rules.contact import case_contact_level, is_level_row, next_start
from probation.rules.facts import CaseRecordFacts, EventRecord, RequirementDates, data_matches
from probation.rules.statuses import ObligationStatus

S = ObligationStatus


@dataclass(frozen=True, kw_only=True)
class EventRef:
    """A case event cited by an obligation (case_event.id and its number within the case)."""

    id: int
    seq: int
    kind: str
    on: date


@dataclass(frozen=True, kw_only=True)
class Obligation:
    case_id: int
    spec_id: str
    version: str
    row: int
    occurrence: int  # 0: the row's single obligation; k >= 1: the k-th period or occurrence
    status: ObligationStatus
    opens: date | None = None  # the window opens (trigger day, period start)
    due: date | None = None  # the last day on time
    met_on: date | None = None
    evidence: EventRef | None = None  # the event that met it
    trigger: EventRef | None = None  # the event that started it, when an event did
    reason: str | None = None  # why not applicable, awaiting evidence or not yet due

    @property
    def key(self) -> tuple[int, str, int, int]:
        return (self.case_id, self.spec_id, self.row, self.occurrence)


@dataclass(frozen=True, kw_only=True)
class PreparedRow:
    row: CatalogueRow
    rule: DueRule
    clauses: tuple[Clause, ...]
    awaiting: str | None  # why the platform cannot evidence it yet, else None
    contact_level: bool = False  # its interval is the case's level of contact (rules/contact.py)


def awaiting_reason(rule: DueRule, recorded: frozenset[str]) -> str | None:
    if not any(str(e) in recorded for e in rule.evidence):
        kinds = ", ".join(str(e) for e in rule.evidence)
        return f"evidence ({kinds}) is not recorded by the platform yet"
    trigger = rule.trigger
    if isinstance(trigger, EventKind) and str(trigger) not in recorded:
        return f"its trigger ({trigger}) is not recorded by the platform yet"
    return None


class ObligationsEngine:
    """The catalogue's case-level rows with their due rules resolved for one contract."""

    def __init__(self, catalogue: Catalogue, contract: Contract = NATIONAL_MINIMUM_ONLY, *,
                 recorded_kinds: Iterable[str] = RECORDED_KINDS,
                 contact_matrix: ContactMatrix | None = None) -> None:
        recorded = frozenset(str(k) for k in recorded_kinds)
        self.catalogue = catalogue
        self.contract = contract
        self.recorded_kinds = recorded
        self.contact_matrix = contact_matrix or default_matrix()
        self.rows: tuple[PreparedRow, ...] = tuple(
            PreparedRow(row=r, rule=(rule := catalogue.due_rule(r.key, contract)),
                        clauses=clauses_of(r.applies_when), awaiting=awaiting_reason(rule, recorded),
                        contact_level=is_level_row(rule))
            for r in catalogue.rows_for()
        )
        for p in self.rows:
            if p.rule.kind is TriggerKind.RECURRING and p.rule.offset.days == 0:
                raise InvalidValue(f"{p.row.spec_id} row {p.row.row} recurs every 0 days",
                                   field="every", value=0, rule="a recurring rule needs a positive interval")

    def evaluate(self, case: CaseRecordFacts, events: Sequence[EventRecord], as_of: date, *,
                 include_not_applicable: bool = True) -> list[Obligation]:
        known = sorted((e for e in events if e.on <= as_of), key=lambda e: e.order)
        by_kind: dict[str, list[EventRecord]] = {}
        for e in known:
            by_kind.setdefault(e.kind, []).append(e)
        out: list[Obligation] = []
        level: ContactLevel | None = None
        for p in self.rows:
            reason = not_applicable_reason(p.row, p.clauses, case, self.contract)
            if reason is not None:
                if include_not_applicable:
                    out.append(_single(case, p, S.NOT_APPLICABLE, reason=reason))
                continue
            if p.awaiting is not None:
                out.append(_single(case, p, S.AWAITING_EVIDENCE, reason=p.awaiting))
                continue
            if p.contact_level and level is None:
                level = self.contact_level(case, as_of)
            out.extend(_evaluate_row(case, p, by_kind, as_of, level if p.contact_level else None))
        return out

    def contact_level(self, case: CaseRecordFacts, as_of: date) -> ContactLevel:
        """The case's level of contact on `as_of` under this engine's matrix and contract."""
        return case_contact_level(case, as_of, self.contact_matrix, self.contract.commissioned_options)


def _single(case: CaseRecordFacts, p: PreparedRow, status: ObligationStatus, *, reason: str) -> Obligation:
    return Obligation(case_id=case.case_id, spec_id=p.row.spec_id.value, version=p.row.version,
                      row=p.row.row, occurrence=0, status=status, reason=reason)


def _ref(e: EventRecord) -> EventRef:
    return EventRef(id=e.id, seq=e.seq, kind=e.kind, on=e.on)


def case_date(which: CaseDate, case: CaseRecordFacts,
              requirements: tuple[RequirementDates, ...]) -> date | None:
    """A date from the sentence record; None when the platform does not know it."""
    match which:
        case CaseDate.SENTENCE_DATE:
            return case.sentence_date
        case CaseDate.REQUIREMENT_START:
            return min((r.start for r in requirements), default=None)
        case CaseDate.REQUIREMENT_END:
            return max((r.end for r in requirements), default=None)
        case CaseDate.ORDER_END:
            return case.order_end
        case CaseDate.RELEASE_DATE:
            return case.release_date
        case CaseDate.LICENCE_END:
            return case.licence_end
        case CaseDate.SUPERVISION_END:
            return case.supervision_end
        case CaseDate.CONTRACT_START:
            return None  # service-level rows only; not a fact of a case
    raise AssertionError(which)  # pragma: no cover


def _evidence(rule: DueRule, by_kind: dict[str, list[EventRecord]]) -> list[EventRecord]:
    found = [e for k in rule.evidence for e in by_kind.get(str(k), ())]
    if rule.evidence_data:
        found = [e for e in found if data_matches(e.data, rule.evidence_data)]
    return sorted(found, key=lambda e: e.order)


def _open_status(as_of: date, opens: date | None, due: date) -> ObligationStatus:
    if opens is not None and as_of < opens:
        return S.NOT_YET_DUE
    return S.DUE if as_of <= due else S.OVERDUE


def _evaluate_row(case: CaseRecordFacts, p: PreparedRow, by_kind: dict[str, list[EventRecord]],
                  as_of: date, level: ContactLevel | None = None) -> list[Obligation]:
    rule = p.rule
    reqs = case.requirements_for(p.row.applies_when)
    evidence = _evidence(rule, by_kind)

    def make(occurrence: int, status: ObligationStatus, *, opens: date | None = None,
             due: date | None = None, met_on: date | None = None, evidence: EventRef | None = None,
             trigger: EventRef | None = None, reason: str | None = None) -> Obligation:
        return Obligation(case_id=case.case_id, spec_id=p.row.spec_id.value, version=p.row.version,
                          row=p.row.row, occurrence=occurrence, status=status, opens=opens, due=due,
                          met_on=met_on, evidence=evidence, trigger=trigger, reason=reason)

    trigger_day: date | None = None
    trigger_event: EventRecord | None = None
    if isinstance(rule.trigger, CaseDate):
        trigger_day = case_date(rule.trigger, case, reqs)
    elif rule.trigger is not None and rule.kind is not TriggerKind.PER_OCCURRENCE:
        first = by_kind.get(str(rule.trigger))
        trigger_event = first[0] if first else None
        trigger_day = trigger_event.on if trigger_event else None
    trigger_ref = _ref(trigger_event) if trigger_event else None

    match rule.kind:
        case TriggerKind.ONCE_AFTER_EVENT | TriggerKind.BY_DATE:
            if rule.kind is TriggerKind.BY_DATE:
                assert rule.due_date is not None
                end = case_date(rule.due_date, case, reqs)
                due = rule.offset.before(end) if end is not None else None
                opens: date | None = case.sentence_date
                waiting = f"{rule.due_date} is not known"
            else:
                due = rule.offset.after(trigger_day) if trigger_day is not None else None
                opens = trigger_day
                waiting = f"waiting for {rule.trigger}"
            if evidence:
                first_ev = evidence[0]
                status = S.MET if due is None or first_ev.on <= due else S.MET_LATE
                return [make(0, status, opens=opens, due=due, met_on=first_ev.on, evidence=_ref(first_ev),
                             trigger=trigger_ref)]
            if due is None:
                return [make(0, S.NOT_YET_DUE, opens=opens, reason=waiting)]
            return [make(0, _open_status(as_of, opens, due), opens=opens, due=due, trigger=trigger_ref)]

        case TriggerKind.RECURRING:
            assert rule.due_date is not None
            until = case_date(rule.due_date, case, reqs)
            if case.terminated_on is not None:
                until = case.terminated_on if until is None else min(until, case.terminated_on)
            if trigger_day is None:
                return [make(0, S.NOT_YET_DUE, reason=f"waiting for {rule.trigger}")]
            if until is not None and trigger_day >= until:
                return [make(0, S.NOT_APPLICABLE, opens=trigger_day, trigger=trigger_ref,
                             reason=f"{rule.due_date} ({until.isoformat()}) is not after "
                                    f"{rule.trigger} ({trigger_day.isoformat()})")]
            if as_of < trigger_day:
                return [make(0, S.NOT_YET_DUE, opens=trigger_day, trigger=trigger_ref)]
            out = []
            start, k = trigger_day, 1
            while start <= as_of and (until is None or start < until):
                nxt = next_start(level, trigger_day, start) if level else rule.offset.after(start)
                end = nxt if until is None else min(nxt, until)
                due = end - timedelta(days=1)
                ev = next((e for e in evidence if start <= e.on < end), None)
                if ev is not None:
                    out.append(make(k, S.MET, opens=start, due=due, met_on=ev.on, evidence=_ref(ev),
                                    trigger=trigger_ref))
                else:
                    out.append(make(k, S.DUE if as_of <= due else S.OVERDUE, opens=start, due=due,
                                    trigger=trigger_ref))
                start, k = nxt, k + 1
            return out

        case TriggerKind.PER_OCCURRENCE:
            occurrences = by_kind.get(str(rule.trigger), [])
            if not occurrences:
                return [make(0, S.NOT_YET_DUE, reason=f"no {rule.trigger} recorded")]
            out = []
            for k, o in enumerate(occurrences, start=1):
                due = rule.offset.after(o.on)
                ev = next((e for e in evidence if e.occurred_at >= o.occurred_at), None)
                if ev is not None:
                    out.append(make(k, S.MET if ev.on <= due else S.MET_LATE, opens=o.on, due=due,
                                    met_on=ev.on, evidence=_ref(ev), trigger=_ref(o)))
                else:
                    out.append(make(k, S.DUE if as_of <= due else S.OVERDUE, opens=o.on, due=due,
                                    trigger=_ref(o)))
            return out
    raise AssertionError(rule.kind)  # pragma: no cover
