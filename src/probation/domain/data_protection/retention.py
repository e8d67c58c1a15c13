"""Retention of people's records: how long each kind of record is kept and what is then done to it.

A person's records are kept while any of their cases is open. Once every case is closed, each kind
of record is kept for its period from the day the last case closed, then deleted or anonymised as
the policy says. The audit log is kept for its own period from each row's time. The policy is data:
the platform's defaults (retention_defaults.yaml, sources in docs/DATA_PROTECTION.md) and an
optional file that changes some kinds (PROBATION_RETENTION), validated strictly at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from probation.domain.errors import InvalidValue
from probation.domain.periods import add_months

DEFAULT_POLICY_FILE = Path(__file__).with_name("retention_defaults.yaml")


class RecordKind(StrEnum):
    PERSON = "person"
    CASE_HISTORY = "case_history"
    SUPERVISION = "supervision"
    ENFORCEMENT = "enforcement"
    RISK = "risk"
    PLANS = "plans"
    INTERVENTIONS = "interventions"
    LETTERS = "letters"
    EM_RECORDS = "em_records"
    EM_FIXES = "em_fixes"
    AUDIT = "audit"

    @property
    def label(self) -> str:
        return {
            "person": "Person's identity", "case_history": "Case history (events)",
            "supervision": "Appointments and contacts", "enforcement": "Enforcement", "risk": "Risk and protection",
            "plans": "Plans, reviews and needs", "interventions": "Interventions", "letters": "Letters",
            "em_records": "Electronic monitoring records", "em_fixes": "Electronic monitoring positions",
            "audit": "Audit log",
        }[self.value]

    @property
    def from_closure(self) -> bool:
        """Measured from the closure of the person's last case (else from each row's own time)."""
        return self is not RecordKind.AUDIT


class Disposal(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


# What may be done to each kind. The identity and the case history are anonymised, never deleted:
# the case rows they belong to stay for assurance statistics, and the history's kinds and times
# are the evidence the obligations engine counts.
ALLOWED: Mapping[RecordKind, frozenset[Disposal]] = {
    kind: frozenset({Disposal.ANONYMISE}) if kind in (RecordKind.PERSON, RecordKind.CASE_HISTORY)
    else frozenset({Disposal.DELETE}) for kind in RecordKind}


@dataclass(frozen=True, kw_only=True)
class RetentionPeriod:
    years: int = 0
    months: int = 0
    days: int = 0

    def after(self, day: date) -> date:
        """The first day past retention for a record whose clock started on `day`."""
        return add_months(day, self.years * 12 + self.months) + timedelta(days=self.days)

    def latest_start_past(self, as_of: date) -> date:
        """The latest start day whose retention has ended by `as_of` (`after` inverted, stepping past
        the month-end clamping of 31 Jan + 1 month)."""
        start = add_months(as_of - timedelta(days=self.days), -(self.years * 12 + self.months))
        while self.after(start + timedelta(days=1)) <= as_of:
            start += timedelta(days=1)
        while self.after(start) > as_of:
            start -= timedelta(days=1)
        return start

    @property
    def approx_days(self) -> float:
        return self.years * 365.25 + self.months * 30.44 + self.days

    @property
    def label(self) -> str:
        parts = [(self.years, "year"), (self.months, "month"), (self.days, "day")]
        return " ".join(f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n) or "0 days"


@dataclass(frozen=True, kw_only=True)
class KindRule:
    kind: RecordKind
    action: Disposal
    period: RetentionPeriod


@dataclass(frozen=True, kw_only=True)
class RetentionPolicy:
    version: str
    rules: Mapping[RecordKind, KindRule]

    def rule(self, kind: RecordKind) -> KindRule:
        return self.rules[kind]

    def past(self, kind: RecordKind, started: date, as_of: date) -> bool:
        """Past retention on `as_of` when the clock started on `started` (the period's end is
        exclusive: kept through its last day, past on the day after)."""
        return self.rules[kind].period.after(started) <= as_of


# The file's shape -------------------------------------------------------------------------------

class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    action: Disposal
    years: StrictInt = Field(default=0, ge=0, le=100)
    months: StrictInt = Field(default=0, ge=0, le=1200)
    days: StrictInt = Field(default=0, ge=0, le=36500)


class _PolicyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: str = Field(min_length=1, max_length=40)
    kinds: dict[RecordKind, _Rule]


def _bad(message: str, field: str, value: object, rule: str) -> InvalidValue:
    return InvalidValue(message, field=field, value=value, rule=rule)


def parse_policy(data: Any, *, where: str = "retention policy", base: RetentionPolicy | None = None) -> RetentionPolicy:
    """Validate a policy document. Without `base` every kind must be present; with it, kinds the
    document leaves out keep the base's rule."""
    try:
        doc = _PolicyFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise _bad(f"{where}: {loc or 'document'}: {first['msg']}", loc or "retention", first.get("input"),
                   "the retention file's shape (docs/DATA_PROTECTION.md)") from None
    rules: dict[RecordKind, KindRule] = dict(base.rules) if base else {}
    for kind, r in doc.kinds.items():
        if r.action not in ALLOWED[kind]:
            allowed = ", ".join(sorted(ALLOWED[kind]))
            raise _bad(f"{where}: kinds.{kind}.action is {r.action.value}; {kind} may only be {allowed}",
                       f"kinds.{kind}.action", r.action.value, f"{kind} records are {allowed}d")
        period = RetentionPeriod(years=r.years, months=r.months, days=r.days)
        if period.approx_days < 1:
            raise _bad(f"{where}: kinds.{kind} has no period", f"kinds.{kind}", period.label,
                       "a retention period is at least one day")
        rules[kind] = KindRule(kind=kind, action=r.action, period=period)
    missing = [k.value for k in RecordKind if k not in rules]
    if missing:
        raise _bad(f"{where}: no rule for {', '.join(missing)}", "kinds", missing, "every record kind needs a rule")
    fixes, em = rules[RecordKind.EM_FIXES].period, rules[RecordKind.EM_RECORDS].period
    if fixes.approx_days > em.approx_days:
        raise _bad(f"{where}: EM positions kept {fixes.label}, longer than EM records ({em.label})",
                   "kinds.em_fixes", fixes.label, "location data is kept no longer than the EM records")
    identity = rules[RecordKind.PERSON].period
    for kind, rule in rules.items():
        if kind.from_closure and rule.period.approx_days > identity.approx_days:
            raise _bad(f"{where}: {kind} kept {rule.period.label}, longer than the person's identity "
                       f"({identity.label})", f"kinds.{kind}", rule.period.label,
                       "the identity is anonymised no earlier than any record that names the person is disposed of")
    return RetentionPolicy(version=doc.version, rules=rules)


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _bad(f"cannot read retention policy {path}: {exc}", "PROBATION_RETENTION", str(path),
                   "a readable YAML file") from None


@lru_cache(maxsize=1)
def default_policy() -> RetentionPolicy:
    return parse_policy(_read(DEFAULT_POLICY_FILE), where=DEFAULT_POLICY_FILE.name)


def load_policy(path: Path) -> RetentionPolicy:
    """The defaults changed by the file at `path`."""
    return parse_policy(_read(path), where=path.name, base=default_policy())


# Anonymisation ----------------------------------------------------------------------------------

ANONYMISED_NAME = "Anonymised"
# A value kept in an anonymised event: a code, number, date or time, never words (free text has spaces).
_CODE = re.compile(r"^[A-Za-z0-9_.:+\-]{1,64}$")


def anonymised_birth_date(date_of_birth: date) -> date:
    """The birth year is kept (age bands in equalities statistics), the day is not."""
    return date(date_of_birth.year, 7, 1)


def scrub(value: Any) -> Any:
    """An event's data with free text removed: booleans, numbers and codes stay (what the evidence
    rules read: kinds, agencies, ids, dates), anything with a space or an unusual character goes."""
    if isinstance(value, dict):
        kept = {k: scrub(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not _DROP}
    if isinstance(value, list):
        items = [scrub(v) for v in value]
        return [v for v in items if v is not _DROP]
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and _CODE.match(value):
        return value
    return _DROP


class _Dropped:
    def __repr__(self) -> str:
        return "<dropped>"


_DROP: Any = _Dropped()
