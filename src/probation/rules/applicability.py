"""Whether a catalogue row applies to one case, and if not, why.

The reference semantics are the catalogue's (`Condition.matches`, `Contract.buys`, the Manage
EM-responsible-officer rule); this module adds the reason a row does not apply, naming the first
clause the case fails, so a practitioner can see why an output is not on the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from probation.catalogue.conditions import _CHECKS, SCOPE_CLAUSES, CaseFacts, Condition
from probation.catalogue.models import CatalogueRow, Contract, Scope, SpecId
from probation.rules.facts import CaseRecordFacts


@dataclass(frozen=True, kw_only=True)
class Clause:
    name: str
    condition: Condition  # the clause alone (with its requirement types for the EM clause)
    scope: bool
    text: str
    check: Callable[[CaseFacts], bool]  # the catalogue's own clause test, bound to the row's condition


def clauses_of(condition: Condition) -> tuple[Clause, ...]:
    out = []
    for name, value in condition.clauses().items():
        alone: dict[str, object] = {name: value}
        if name == "electronically_monitored" and condition.requirement_types_any:
            alone["requirement_types_any"] = condition.requirement_types_any
        single = Condition.model_validate(alone)
        out.append(Clause(name=name, condition=single, scope=name in SCOPE_CLAUSES,
                          text=_describe(name, value, condition), check=partial(_CHECKS[name], condition)))
    return tuple(out)


def matches(condition: Condition, clauses: tuple[Clause, ...], facts: CaseFacts) -> bool:
    """Condition.matches with the clauses prepared once (it re-reads the model on every call):
    scope clauses AND (flag OR the other clauses). A unit test holds the two equal."""
    if not all(c.check(facts) for c in clauses if c.scope):
        return False
    if condition.or_when_flagged is not None and condition.or_when_flagged in facts.flags:
        return True
    return all(c.check(facts) for c in clauses if not c.scope)


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
    if matches(row.applies_when, clauses, facts):
        return None
    for clause in clauses:
        if clause.scope and not clause.check(facts):
            return clause.text
    failed = [c.text for c in clauses if not c.scope and not c.check(facts)]
    return "; ".join(failed) or row.applies_when.describe()
