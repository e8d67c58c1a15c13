"""The catalogue's records: one per output row of each specification version, plus the
timescale configuration and the provider contract that says which options are bought.

Every model is frozen and forbids unknown keys, so a typo in a data file is an error, not a
silently ignored setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from probation.catalogue.conditions import CaseFacts, Condition
from probation.catalogue.timescales import (
    ByDate,
    DueRule,
    NamedTimescale,
    Offset,
    OnceAfterEvent,
    PerOccurrence,
    Recurring,
    Rule,
    resolve,
)
from probation.domain.requirements import RequirementType

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")]
_STRICT = ConfigDict(extra="forbid", frozen=True)

RowKey = tuple[str, int]


def located(path: str, reason: str) -> ValueError:
    """An error from a whole-file check that still names the key it is about (see loader.parse)."""
    return ValueError(f"@{path}@ {reason}")


class SpecId(StrEnum):
    """Short ids of the five specifications (the CLI's --spec values)."""

    EXCLUSION = "exclusion"
    MANAGE = "manage"
    SUPERVISION = "supervision"
    POST_RELEASE = "post_release"
    RAR = "rar"


class Provision(StrEnum):
    NATIONAL_MINIMUM = "national_minimum"  # mandatory for every provider
    COMMISSIONABLE_OPTION = "commissionable_option"  # applies only where the contract buys it


class OutputLevel(StrEnum):
    """Manage the Sentence for a CO/SSO: three levels of offender management outputs."""

    A = "A"  # every CO and SSO
    B = "B"  # adds: orders needing face-to-face engagement and a sentence plan
    C = "C"  # adds: orders whose requirements are primarily rehabilitative

    @property
    def rank(self) -> int:
        return "ABC".index(self.value)


class Scope(StrEnum):
    CASE = "case"  # an obligation on each case the row applies to
    SERVICE = "service"  # a standing capability of the provider, assured by contract management


class RowData(BaseModel):
    """One output row as written in a data file."""

    model_config = _STRICT

    row: int = Field(ge=1)
    service_element: Text
    output: Text
    applicable_offender_types: Text  # the specification's words, kept for display and audit
    applies_when: Condition = Condition()
    policy_themes: tuple[Text, ...] = ()
    measurement: tuple[Text, ...] = ()  # empty only where the source leaves it empty
    mandatory_references: tuple[Text, ...] = ()
    non_mandatory_references: tuple[Text, ...] = ()
    provision: Provision = Provision.NATIONAL_MINIMUM
    option_id: Identifier | None = None
    output_level: OutputLevel | None = None
    em_responsible_officer: bool = False
    scope: Scope = Scope.CASE
    notes: tuple[Text, ...] = ()

    @model_validator(mode="after")
    def _option_id_iff_commissionable(self) -> RowData:
        if (self.provision is Provision.COMMISSIONABLE_OPTION) != (self.option_id is not None):
            raise ValueError(
                "option_id is required for a commissionable option and forbidden otherwise"
            )
        return self


class LevelDecision(BaseModel):
    """Manage Annex A: the highest output level a requirement type brings to its order."""

    model_config = _STRICT

    level: OutputLevel
    reason: Text


class SpecFile(BaseModel):
    """A data file: one version of one specification."""

    model_config = _STRICT

    spec_id: SpecId
    version: Text
    title: Text
    source: Text  # file name in shared/specs
    signed_off: Text
    notes: tuple[Text, ...] = ()
    base_condition: Condition = Condition()
    output_levels: dict[RequirementType, LevelDecision] | None = None
    rows: tuple[RowData, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _rows_numbered_and_levelled(self) -> SpecFile:
        seen: set[int] = set()
        for i, r in enumerate(self.rows):
            if r.row in seen:
                raise located(f"rows[{i}].row", f"row {r.row} appears twice")
            seen.add(r.row)
        expected = set(range(1, len(self.rows) + 1))
        if seen != expected:
            raise located(
                "rows",
                f"rows must be numbered 1 to {len(self.rows)} without gaps; "
                f"missing {sorted(expected - seen)}",
            )
        if self.output_levels is not None:
            missing = sorted(t.value for t in RequirementType if t not in self.output_levels)
            if missing:
                raise located(
                    "output_levels", f"every requirement type needs a level; missing {missing}"
                )
        for i, r in enumerate(self.rows):
            where = f"rows[{i}] (row {r.row})"
            if (r.output_level is None) != (self.output_levels is None):
                raise located(
                    f"{where}.output_level",
                    "output_level is given exactly when the file has output_levels (Manage only)",
                )
            if r.em_responsible_officer and self.output_levels is None:
                raise located(f"{where}.em_responsible_officer", "a Manage-specification mark only")
            if r.output_level not in (None, OutputLevel.A) and r.applies_when.requirement_types_any:
                raise located(
                    f"{where}.applies_when.requirement_types_any",
                    f"a Type {r.output_level} row takes its requirement types from output_levels",
                )
        return self

    def requirement_types_at_least(self, level: OutputLevel) -> frozenset[RequirementType]:
        assert self.output_levels is not None
        return frozenset(t for t, d in self.output_levels.items() if d.level.rank >= level.rank)


@dataclass(frozen=True, kw_only=True)
class Spec:
    id: SpecId
    version: str
    title: str
    source: str
    signed_off: str
    notes: tuple[str, ...]
    output_levels: Mapping[RequirementType, LevelDecision] | None
    file: str


@dataclass(frozen=True, kw_only=True)
class CatalogueRow:
    """One output row, with its condition fully resolved (spec base, row clauses, output level)."""

    spec_id: SpecId
    version: str
    row: int
    service_element: str
    output: str
    applicable_offender_types: str
    applies_when: Condition
    policy_themes: tuple[str, ...]
    measurement: tuple[str, ...]
    mandatory_references: tuple[str, ...]
    non_mandatory_references: tuple[str, ...]
    provision: Provision
    option_id: str | None
    output_level: OutputLevel | None
    em_responsible_officer: bool
    scope: Scope
    notes: tuple[str, ...]

    @property
    def key(self) -> RowKey:
        return (self.spec_id.value, self.row)

    @property
    def national_minimum(self) -> bool:
        return self.provision is Provision.NATIONAL_MINIMUM


class TimescalesFile(BaseModel):
    model_config = _STRICT

    version: Text
    named_timescales: dict[Identifier, NamedTimescale]
    rules: dict[SpecId, dict[int, Rule]]


class ContractFile(BaseModel):
    """What one provider's contract buys and how it changes the default timescales."""

    model_config = _STRICT

    contract_id: Identifier
    provider: Text
    description: Text | None = None
    commissioned_options: tuple[Identifier, ...] = ()
    timescale_overrides: dict[Identifier, Offset] = {}
    rule_overrides: dict[SpecId, dict[int, Rule]] = {}


@dataclass(frozen=True, kw_only=True)
class Contract:
    contract_id: str
    provider: str
    commissioned_options: frozenset[str]
    timescale_overrides: Mapping[str, Offset]
    rule_overrides: Mapping[RowKey, OnceAfterEvent | ByDate | Recurring | PerOccurrence]
    file: str | None = None

    def buys(self, row: CatalogueRow) -> bool:
        """National minimum rows always apply; an option only when commissioned."""
        return row.national_minimum or row.option_id in self.commissioned_options


NATIONAL_MINIMUM_ONLY = Contract(
    contract_id="national_minimum_only",
    provider="any provider",
    commissioned_options=frozenset(),
    timescale_overrides={},
    rule_overrides={},
)


@dataclass(frozen=True, kw_only=True)
class Catalogue:
    specs: Mapping[SpecId, Spec]
    rows: Mapping[RowKey, CatalogueRow]
    named_timescales: Mapping[str, NamedTimescale]
    rules: Mapping[RowKey, OnceAfterEvent | ByDate | Recurring | PerOccurrence]
    timescales_file: str
    option_ids: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        ids = frozenset(r.option_id for r in self.rows.values() if r.option_id)
        object.__setattr__(self, "option_ids", ids)

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, spec_id: str, row: int) -> CatalogueRow:
        return self.rows[(spec_id, row)]

    def rows_for(self, spec_id: SpecId | None = None) -> list[CatalogueRow]:
        """Rows in specification order, then row number."""
        order = {s: i for i, s in enumerate(SpecId)}
        chosen = [r for r in self.rows.values() if spec_id is None or r.spec_id is spec_id]
        return sorted(chosen, key=lambda r: (order[r.spec_id], r.row))

    def due_rule(self, key: RowKey, contract: Contract = NATIONAL_MINIMUM_ONLY) -> DueRule:
        overridden = key in contract.rule_overrides
        rule = contract.rule_overrides.get(key) or self.rules[key]
        return resolve(
            key[0],
            key[1],
            rule,
            dict(self.named_timescales),
            dict(contract.timescale_overrides),
            overridden=overridden,
        )

    def due_rules(self, contract: Contract = NATIONAL_MINIMUM_ONLY) -> dict[RowKey, DueRule]:
        return {key: self.due_rule(key, contract) for key in self.rows}

    def applicable_rows(
        self,
        facts: CaseFacts,
        contract: Contract = NATIONAL_MINIMUM_ONLY,
        *,
        em_responsible_officer: bool = False,
    ) -> list[CatalogueRow]:
        """Reference semantics for engines: the case-level rows that apply to one case."""
        out = []
        for r in self.rows_for():
            if (
                r.scope is not Scope.CASE
                or not contract.buys(r)
                or not r.applies_when.matches(facts)
            ):
                continue
            if (
                em_responsible_officer
                and r.spec_id is SpecId.MANAGE
                and not r.em_responsible_officer
            ):
                continue
            out.append(r)
        return out
