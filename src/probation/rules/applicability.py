"""Whether a catalogue row applies to one case, and if not, why.

The reference semantics are the catalogue's (`Condition.matches`, `Contract.buys`, the Manage
EM-responsible-officer rule); this module adds the reason a row does not apply, naming the first
clause the case fails, so a practitioner can see why an output is not on the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from probation.catalogue.conditions import SCOPE_CLAUSES, Condition
from probation.catalogue.models import CatalogueRow, Contract, Scope, SpecId
from probation.rules.facts import CaseRecordFacts


@dataclass(frozen=True, kw_only=True)
class Clause:
    name: str
    condition: Condition  # the clause alone (with its requirement types for the EM clause)
    scope: bool
    text: str


def clauses_of(condition: Condition) -> tuple[Clause, ...]:
    out = []
    for name, value in condition.clauses().items():
        alone: dict[str, object] = {name: value}
        if name == "electronically_monitored" and condition.requirement_types_any:
            alone["requirement_types_any"] = condition.requirement_types_any
        single = Condition.model_validate(alone)
        out.append(Clause(name=name, condition=single, scope=name in SCOPE_CLAUSES,
                          text=_describe(name, value, condition)))
    return tuple(out)


def _describe(name: str, value: object, condition: Condition) -> str:
    shown = (", ".join(sorted(str(v) for v in value)) if isinstance(value, frozenset)
             else str(value).lower())
    match name:
        case "requirement_types_any":
            return f"needs a requirement of type {shown}"
        case "electronically_monitored":
            return ("needs an electronically monitored requirement" if value
                    else "needs a requirement that is not electronically monitored")
        case "sentence_types":
            return f"applies to {shown} only"
        case "supervision_periods":
            return f"applies during {shown} only (period unknown or different)"
        case "sex":
            return f"applies to {shown} people only"
        case _:
            return f"needs {name.replace('_', ' ')}: {shown}"


def not_applicable_reason(row: CatalogueRow, clauses: tuple[Clause, ...], case: CaseRecordFacts,
                          contract: Contract) -> str | None:
    """None when the row applies to the case; otherwise the reason it does not."""
    if row.scope is Scope.SERVICE:
        return "a standing service capability, assured per provider rather than per case"
    if not contract.buys(row):
        return f"commissionable option {row.option_id} is not bought by contract {contract.contract_id}"
    if case.em_responsible_officer and row.spec_id is SpecId.MANAGE and not row.em_responsible_officer:
        return "the EM provider is the responsible officer: only the asterisked Manage rows apply"
    facts = case.facts
    if row.applies_when.matches(facts):
        return None
    for clause in clauses:
        if clause.scope and not clause.condition.matches(facts):
            return clause.text
    failed = [c.text for c in clauses if not c.scope and not c.condition.matches(facts)]
    return "; ".join(failed) or row.applies_when.describe()
