"""When each catalogue row falls due, and which recorded events show it was delivered.

Four kinds of due rule (the `kind` key of each rule in data/timescales.yaml):
- once_after_event: due `within` an offset after an event or a case date;
- by_date: due by a case date (less an optional `before` offset);
- recurring: due every `every` from an anchor, while the case is active (until a case date);
- per_occurrence: each occurrence of an event needs evidence `within` an offset.

Offsets count calendar days or working days (England and Wales bank holidays, via
probation.domain.calendar). Where a specification says "prescribed timescales", a rule names a
default from `named_timescales` instead of fixed days, so a contract can override it.

Evidence is any-of: one event of a listed kind (optionally whose data matches `evidence_data`)
discharges the obligation. Event kinds are the platform's EventKind; those some feature records
today are in probation.domain.events.RECORDED_KINDS, the rest arrive with later features
(appointments, plans, risk, enforcement, EM). A rule none of whose evidence kinds is recorded yet
is `awaiting_evidence`: an engine shows it as such, never as met.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from probation.domain.calendar import add_working_days, is_working_day
from probation.domain.events import RECORDED_KINDS, EventKind

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_STRICT = ConfigDict(extra="forbid", frozen=True)


class DayUnit(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class CaseDate(StrEnum):
    """Dates known from the sentence record rather than from an event."""

    SENTENCE_DATE = "sentence_date"
    REQUIREMENT_START = "requirement_start"  # of the requirement the row is about
    REQUIREMENT_END = "requirement_end"
    ORDER_END = "order_end"  # CO end, or SSO supervision period end
    RELEASE_DATE = "release_date"
    LICENCE_END = "licence_end"  # sentence and licence expiry (SLED)
    SUPERVISION_END = "supervision_end"  # top-up supervision end (TUSED)
    CONTRACT_START = "contract_start"  # service-level rows: the provider's contract year


EvidenceKind = EventKind
Anchor = EventKind | CaseDate


def is_recorded_today(kind: Anchor) -> bool:
    """True for case dates and for the event kinds some feature records today (RECORDED_KINDS)."""
    return isinstance(kind, CaseDate) or kind in RECORDED_KINDS


class Offset(BaseModel):
    model_config = _STRICT

    days: int = Field(ge=0, le=3660)
    unit: DayUnit = DayUnit.CALENDAR

    def after(self, start: date) -> date:
        if self.unit is DayUnit.WORKING:
            return add_working_days(start, self.days)
        return start + timedelta(days=self.days)

    def before(self, end: date) -> date:
        """`days` before `end` (working days step back over weekends and bank holidays)."""
        if self.unit is DayUnit.CALENDAR:
            return end - timedelta(days=self.days)
        # The mirror of add_working_days: `end` itself is not counted.
        current, remaining = end, self.days
        while remaining:
            current -= timedelta(days=1)
            if is_working_day(current):
                remaining -= 1
        return current

    def describe(self) -> str:
        return f"{self.days} {self.unit.value} day{'s' if self.days != 1 else ''}"


class TimescaleRef(BaseModel):
    """A named default from `named_timescales`, overridable per contract."""

    model_config = _STRICT

    timescale: Text


Within = Offset | TimescaleRef


class NamedTimescale(BaseModel):
    model_config = _STRICT

    days: int = Field(ge=0, le=3660)
    unit: DayUnit
    description: Text
    source: Text  # the specification or instruction it comes from, or "platform default: <why>"

    @property
    def offset(self) -> Offset:
        return Offset(days=self.days, unit=self.unit)


class _RuleBase(BaseModel):
    model_config = _STRICT

    evidence: tuple[EvidenceKind, ...] = Field(min_length=1)
    evidence_data: dict[Text, Text] | None = None  # the event's data[key] equals or contains value
    source: Text
    notes: tuple[Text, ...] = ()


class OnceAfterEvent(_RuleBase):
    kind: Literal["once_after_event"]
    after: Anchor
    within: Within


class ByDate(_RuleBase):
    kind: Literal["by_date"]
    date: CaseDate
    before: Within = Offset(days=0)


class Recurring(_RuleBase):
    kind: Literal["recurring"]
    anchor: Anchor
    every: Within
    until: CaseDate


class PerOccurrence(_RuleBase):
    kind: Literal["per_occurrence"]
    occurrence: Anchor
    within: Within


Rule = Annotated[OnceAfterEvent | ByDate | Recurring | PerOccurrence, Field(discriminator="kind")]


class TriggerKind(StrEnum):
    ONCE_AFTER_EVENT = "once_after_event"
    BY_DATE = "by_date"
    RECURRING = "recurring"
    PER_OCCURRENCE = "per_occurrence"


@dataclass(frozen=True, kw_only=True)
class DueRule:
    """A rule with every named timescale resolved for one contract: flat, one value per column."""

    spec_id: str
    row: int
    kind: TriggerKind
    trigger: Anchor | None  # event or date that starts it (None for by_date)
    offset: Offset  # within / every / before, by kind
    due_date: CaseDate | None  # by_date: the date; recurring: until
    evidence: tuple[EvidenceKind, ...]
    evidence_data: tuple[tuple[str, str], ...]
    timescale: str | None  # the named default used, if any
    overridden: bool  # the contract changed this row's timing
    source: str

    @property
    def awaiting_evidence(self) -> bool:
        """No evidence kind is recorded by the platform yet."""
        return not any(is_recorded_today(e) for e in self.evidence)

    @property
    def trigger_recorded(self) -> bool:
        return self.trigger is None or is_recorded_today(self.trigger)

    def describe(self) -> str:
        match self.kind:
            case TriggerKind.ONCE_AFTER_EVENT:
                return f"once, within {self.offset.describe()} after {self.trigger}"
            case TriggerKind.BY_DATE:
                lead = f"{self.offset.describe()} before " if self.offset.days else ""
                return f"by {lead}{self.due_date}"
            case TriggerKind.RECURRING:
                return f"every {self.offset.describe()} from {self.trigger} until {self.due_date}"
            case TriggerKind.PER_OCCURRENCE:
                return f"within {self.offset.describe()} of each {self.trigger}"
        raise AssertionError(self.kind)  # pragma: no cover


def resolve(
    spec_id: str,
    row: int,
    rule: OnceAfterEvent | ByDate | Recurring | PerOccurrence,
    timescales: dict[str, NamedTimescale],
    overrides: dict[str, Offset],
    *,
    overridden: bool,
) -> DueRule:
    """Flatten one rule, substituting named timescales (contract overrides first)."""
    match rule:
        case OnceAfterEvent():
            trigger: Anchor | None = rule.after
            within, due = rule.within, None
        case ByDate():
            trigger, within, due = None, rule.before, rule.date
        case Recurring():
            trigger, within, due = rule.anchor, rule.every, rule.until
        case PerOccurrence():
            trigger, within, due = rule.occurrence, rule.within, None
    name = within.timescale if isinstance(within, TimescaleRef) else None
    if isinstance(within, TimescaleRef):
        offset = overrides.get(within.timescale) or timescales[within.timescale].offset
    else:
        offset = within
    return DueRule(
        spec_id=spec_id,
        row=row,
        kind=TriggerKind(rule.kind),
        trigger=trigger,
        offset=offset,
        due_date=due,
        evidence=rule.evidence,
        evidence_data=tuple(sorted((rule.evidence_data or {}).items())),
        timescale=name,
        overridden=overridden or (name is not None and name in overrides),
        source=rule.source,
    )


def timescale_refs(rule: OnceAfterEvent | ByDate | Recurring | PerOccurrence) -> list[str]:
    values: list[Within] = []
    match rule:
        case OnceAfterEvent() | PerOccurrence():
            values = [rule.within]
        case ByDate():
            values = [rule.before]
        case Recurring():
            values = [rule.every]
    return [v.timescale for v in values if isinstance(v, TimescaleRef)]
