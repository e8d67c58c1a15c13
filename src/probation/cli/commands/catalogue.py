"""`probation catalogue`: the specification catalogue (every output row of the five specs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

# heavy: the catalogue loaders (sqlalchemy via the catalogue models) and rich are imported when a
# command runs, so `probation --help` stays fast.
if TYPE_CHECKING:
    from rich.console import Console

    from probation.catalogue import CatalogueRow, Contract, SpecId
    from probation.catalogue.timescales import DueRule


def _console() -> Console:
    """Made per call, so the width follows the terminal (or COLUMNS) at the time of the command."""
    from rich.console import Console

    return Console()

catalogue_app = typer.Typer(
    no_args_is_help=True, help="The specification catalogue: output rows as data."
)

_ALIASES = {
    "post-release": "post_release",
    "postrelease": "post_release",
    "manage_the_sentence": "manage",
    "rehabilitation_activity": "rar",
}


def parse_spec(value: str | None) -> SpecId | None:
    """A short spec id, case-insensitive; hyphens accepted for underscores."""
    from probation.catalogue import SpecId
    from probation.domain.errors import InvalidValue

    if value is None:
        return None
    key = value.strip().lower()
    key = _ALIASES.get(key, key.replace("-", "_"))
    try:
        return SpecId(key)
    except ValueError:
        raise InvalidValue(
            f"unknown specification {value!r}",
            field="spec",
            value=value,
            rule=f"one of {', '.join(s.value for s in SpecId)}",
        ) from None


def _clause_value(value: Any) -> Any:
    if isinstance(value, (set, frozenset, list, tuple)):
        return sorted(str(v) for v in value)
    return value if isinstance(value, bool) else str(value)


def row_json(row: CatalogueRow, rule: DueRule, contract: Contract) -> dict[str, Any]:
    condition = {k: _clause_value(v) for k, v in row.applies_when.clauses().items()}
    if row.applies_when.or_when_flagged is not None:
        condition["or_when_flagged"] = str(row.applies_when.or_when_flagged)
    return {
        "spec": row.spec_id.value,
        "version": row.version,
        "row": row.row,
        "service_element": row.service_element,
        "output": row.output,
        "national_minimum": row.national_minimum,
        "provision": row.provision.value,
        "option_id": row.option_id,
        "commissioned": contract.buys(row),
        "output_level": row.output_level.value if row.output_level else None,
        "em_responsible_officer": row.em_responsible_officer,
        "scope": row.scope.value,
        "applicable_offender_types": row.applicable_offender_types,
        "applies_when": condition,
        "policy_themes": list(row.policy_themes),
        "measurement": list(row.measurement),
        "mandatory_references": list(row.mandatory_references),
        "non_mandatory_references": list(row.non_mandatory_references),
        "due": {
            "kind": rule.kind.value,
            "trigger": str(rule.trigger) if rule.trigger else None,
            "days": rule.offset.days,
            "unit": rule.offset.unit.value,
            "date": str(rule.due_date) if rule.due_date else None,
            "timescale": rule.timescale,
            "evidence": [str(e) for e in rule.evidence],
            "evidence_data": dict(rule.evidence_data),
            "awaiting_evidence": rule.awaiting_evidence,
            "text": rule.describe(),
            "source": rule.source,
        },
        "notes": list(row.notes),
    }


def _contract(path: Path | None) -> Contract:
    from probation.catalogue import NATIONAL_MINIMUM_ONLY, load_catalogue, load_contract

    return NATIONAL_MINIMUM_ONLY if path is None else load_contract(path, load_catalogue())


@catalogue_app.command("list")
def list_rows(
    spec: str | None = typer.Option(
        None, "--spec", help="exclusion, manage, supervision, post_release or rar"
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line, per row"),
    contract_file: Path | None = typer.Option(
        None, "--contract", help="Contract file (options, timescales)"
    ),
) -> None:
    """Every output row, in specification and row order."""
    from rich.table import Table

    from probation.catalogue import load_catalogue

    chosen = parse_spec(spec)
    cat = load_catalogue()
    contract = _contract(contract_file)
    rows = cat.rows_for(chosen)
    if as_json:
        for r in rows:
            print(
                json.dumps(row_json(r, cat.due_rule(r.key, contract), contract), ensure_ascii=False)
            )
        return
    versions = ", ".join(
        f"{s.id.value} {s.version}" for s in cat.specs.values() if chosen in (None, s.id)
    )
    table = Table(title=f"Specification catalogue: {len(rows)} rows ({versions})", show_lines=True)
    table.add_column("spec", no_wrap=True)
    table.add_column("row", justify="right")
    table.add_column("service element", ratio=2)
    table.add_column("output", ratio=5)
    table.add_column("level", no_wrap=True)
    table.add_column("provision", ratio=1)
    table.add_column("due", ratio=2)
    for r in rows:
        level = (r.output_level.value if r.output_level else "") + (
            "*" if r.em_responsible_officer else ""
        )
        provision = (
            "national minimum"
            if r.national_minimum
            else ("option (bought)" if contract.buys(r) else "option")
        )
        table.add_row(
            r.spec_id.value,
            str(r.row),
            r.service_element,
            r.output,
            level,
            provision,
            cat.due_rule(r.key, contract).describe(),
        )
    _console().print(table)


@catalogue_app.command("check")
def check(
    contract_file: Path | None = typer.Option(
        None, "--contract", help="Also check this contract file"
    ),
) -> None:
    """Validate every catalogue file and the timescale configuration (and a contract)."""
    from probation.catalogue import SpecId, load_catalogue

    cat = load_catalogue()
    contract = _contract(contract_file)
    for spec_id in SpecId:
        spec = cat.specs[spec_id]
        _console().print(f"{spec.file}: {len(cat.rows_for(spec_id))} rows")
    awaiting = sum(1 for r in cat.due_rules(contract).values() if r.awaiting_evidence)
    _console().print(
        f"{cat.timescales_file}: {len(cat.rules)} rules, "
        f"{len(cat.named_timescales)} named timescales; "
        f"{awaiting} rules await evidence from features not built yet"
    )
    if contract_file is not None:
        _console().print(
            f"{contract_file.name}: {len(contract.commissioned_options)} options commissioned, "
            f"{len(contract.timescale_overrides)} timescale and "
            f"{len(contract.rule_overrides)} rule overrides"
        )
    _console().print(f"ok: {len(cat)} rows")


def register(app: typer.Typer) -> None:
    app.add_typer(catalogue_app, name="catalogue")
