"""Strict loading of the catalogue data files, the timescale configuration and contracts.

Any problem stops the load with one error naming the file, the key path and the reason, e.g.
"manage-P3.1.yaml: rows[6] (row 7).applies_when.sexx: unknown key". Duplicate YAML keys are
errors too (PyYAML would silently keep the last one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from probation.catalogue.conditions import Condition
from probation.catalogue.models import (
    Catalogue,
    CatalogueRow,
    Contract,
    ContractFile,
    OutputLevel,
    RowKey,
    Spec,
    SpecFile,
    SpecId,
    TimescalesFile,
)
from probation.catalogue.timescales import (
    ByDate,
    OnceAfterEvent,
    PerOccurrence,
    Recurring,
    timescale_refs,
)
from probation.domain.errors import InvalidValue

DATA_DIR = Path(__file__).parent / "data"
TIMESCALES_FILE = "timescales.yaml"
M = TypeVar("M", bound=BaseModel)
AnyRule = OnceAfterEvent | ByDate | Recurring | PerOccurrence


class CatalogueError(InvalidValue):
    """An invalid catalogue, timescale or contract file."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        super().__init__(
            f"{file}: {key}: {reason}",
            field=key,
            value=file,
            rule="catalogue and configuration files are validated strictly at start-up",
        )
        self.file = file
        self.key = key
        self.reason = reason


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice."""


def _construct_mapping(
    loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(
            path.name, "(file)", f"cannot be read: {exc.strerror or exc}"
        ) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(document)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogueError(path.name, where, f"invalid YAML: {problem}") from None


def _key_path(loc: Sequence[int | str], raw: Any) -> str:
    """Render a pydantic location as a readable key path, naming row numbers where known."""
    out = ""
    node = raw
    for part in loc:
        if isinstance(part, str) and (part[:1].isupper() or "[" in part or part in _UNION_TAGS):
            continue  # union member and discriminator names are pydantic's, not the file's
        if isinstance(part, int) and isinstance(node, dict):
            out += f".{part}" if out else str(part)
            node = node.get(part, node.get(str(part)))
            continue
        if isinstance(part, int):
            out += f"[{part}]"
            if isinstance(node, list) and 0 <= part < len(node):
                node = node[part]
                if isinstance(node, dict) and "row" in node:
                    out += f" (row {node['row']})"
            else:
                node = None
            continue
        out += f".{part}" if out else part
        node = node.get(part) if isinstance(node, dict) else None
    return out or "(document)"


_UNION_TAGS = {"once_after_event", "by_date", "recurring", "per_occurrence"}


def _reason(error: Mapping[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "required key is missing"
    return str(error["msg"]).removeprefix("Value error, ")


def parse(model: type[M], raw: Any, file: str) -> M:
    if raw is None:
        raise CatalogueError(file, "(document)", "the file is empty")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        # A union reports one error per member; keep the most specific (longest) location and
        # merge the allowed values of enum members failing at that same place.
        first = max(errors, key=lambda e: len(e["loc"]))
        path = _key_path(first["loc"], raw)
        reason = _reason(first)
        if reason.startswith("@"):  # a whole-file check that names its own key (models.located)
            own, reason = reason[1:].split("@ ", 1)
            path = own if path == "(document)" else f"{path}.{own}"
        same = [e for e in errors if e["type"] == "enum" and _key_path(e["loc"], raw) == path]
        if len(same) > 1:
            allowed = " or ".join(str(e["ctx"]["expected"]) for e in same)
            reason = f"{first['input']!r} is not one of {allowed}"
        raise CatalogueError(file, path, reason) from None


def load_spec_file(path: Path) -> tuple[Spec, list[CatalogueRow]]:
    raw = read_yaml(path)
    data = parse(SpecFile, raw, path.name)
    expected = f"{data.spec_id.value}-{data.version}.yaml"
    if path.name != expected:
        raise CatalogueError(
            path.name,
            "spec_id",
            f"file name must be {expected} for spec {data.spec_id.value} version {data.version}",
        )
    spec = Spec(
        id=data.spec_id,
        version=data.version,
        title=data.title,
        source=data.source,
        signed_off=data.signed_off,
        notes=data.notes,
        output_levels=data.output_levels,
        file=path.name,
    )
    rows = []
    for i, r in enumerate(data.rows):
        where = f"rows[{i}] (row {r.row}).applies_when"
        try:
            condition = data.base_condition.merged(r.applies_when, where=where)
        except ValueError as exc:
            raise CatalogueError(path.name, where, str(exc).split(": ", 1)[-1]) from None
        if r.output_level is not None and r.output_level is not OutputLevel.A:
            level_types = data.requirement_types_at_least(r.output_level)
            condition = condition.merged(Condition(requirement_types_any=level_types), where=where)
        rows.append(
            CatalogueRow(
                spec_id=data.spec_id,
                version=data.version,
                row=r.row,
                service_element=r.service_element,
                output=r.output,
                applicable_offender_types=r.applicable_offender_types,
                applies_when=condition,
                policy_themes=r.policy_themes,
                measurement=r.measurement,
                mandatory_references=r.mandatory_references,
                non_mandatory_references=r.non_mandatory_references,
                provision=r.provision,
                option_id=r.option_id,
                output_level=r.output_level,
                em_responsible_officer=r.em_responsible_officer,
                scope=r.scope,
                notes=r.notes,
            )
        )
    return spec, rows


def _check_rule_refs(rule: AnyRule, names: Mapping[str, Any], file: str, key: str) -> None:
    for name in timescale_refs(rule):
        if name not in names:
            raise CatalogueError(
                file,
                key,
                f"timescale {name!r} is not in named_timescales "
                f"(known: {', '.join(sorted(names))})",
            )


def load_catalogue(data_dir: Path | None = None) -> Catalogue:
    """Load and cross-check every specification file and the timescale configuration."""
    if data_dir is None:
        return _default_catalogue()
    return _load(data_dir)


@lru_cache(maxsize=1)
def _default_catalogue() -> Catalogue:
    return _load(DATA_DIR)


def _load(data_dir: Path) -> Catalogue:
    specs: dict[SpecId, Spec] = {}
    rows: dict[RowKey, CatalogueRow] = {}
    options: dict[str, RowKey] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        if path.name == TIMESCALES_FILE:
            continue
        spec, spec_rows = load_spec_file(path)
        if spec.id in specs:
            raise CatalogueError(
                path.name,
                "spec_id",
                f"{spec.id.value} is also defined by "
                f"{specs[spec.id].file}; keep one version per catalogue",
            )
        specs[spec.id] = spec
        for r in spec_rows:
            rows[r.key] = r
            if r.option_id is not None:
                if r.option_id in options:
                    raise CatalogueError(
                        path.name,
                        f"rows (row {r.row}).option_id",
                        f"option id {r.option_id!r} is also used by row {options[r.option_id]}",
                    )
                options[r.option_id] = r.key
    missing_specs = [s.value for s in SpecId if s not in specs]
    if missing_specs:
        raise CatalogueError(
            data_dir.name, "(directory)", f"no data file for {', '.join(missing_specs)}"
        )

    ts_path = data_dir / TIMESCALES_FILE
    ts = parse(TimescalesFile, read_yaml(ts_path), ts_path.name)
    rules: dict[RowKey, AnyRule] = {}
    for spec_id, by_row in ts.rules.items():
        for row, rule in by_row.items():
            key = f"rules.{spec_id.value}.{row}"
            if (spec_id.value, row) not in rows:
                raise CatalogueError(ts_path.name, key, f"{spec_id.value} has no row {row}")
            _check_rule_refs(rule, ts.named_timescales, ts_path.name, key)
            rules[(spec_id.value, row)] = rule
    without = [f"{s} row {n}" for (s, n) in rows if (s, n) not in rules]
    if without:
        raise CatalogueError(
            ts_path.name,
            "rules",
            f"no due rule for {', '.join(without[:5])}"
            + (f" and {len(without) - 5} more" if len(without) > 5 else ""),
        )
    return Catalogue(
        specs=specs,
        rows=rows,
        named_timescales=ts.named_timescales,
        rules=rules,
        timescales_file=ts_path.name,
    )


def load_contract(path: Path, catalogue: Catalogue | None = None) -> Contract:
    """Load a provider contract and check it against the catalogue it will be used with."""
    cat = catalogue or load_catalogue()
    data = parse(ContractFile, read_yaml(path), path.name)
    for i, option in enumerate(data.commissioned_options):
        if option not in cat.option_ids:
            raise CatalogueError(
                path.name,
                f"commissioned_options[{i}]",
                f"{option!r} is not a commissionable option (known: "
                f"{', '.join(sorted(cat.option_ids))})",
            )
    for name in data.timescale_overrides:
        if name not in cat.named_timescales:
            raise CatalogueError(
                path.name,
                f"timescale_overrides.{name}",
                f"no named timescale {name!r} (known: {', '.join(sorted(cat.named_timescales))})",
            )
    overrides: dict[RowKey, AnyRule] = {}
    for spec_id, by_row in data.rule_overrides.items():
        for row, rule in by_row.items():
            key = f"rule_overrides.{spec_id.value}.{row}"
            if (spec_id.value, row) not in cat.rows:
                raise CatalogueError(path.name, key, f"{spec_id.value} has no row {row}")
            _check_rule_refs(rule, cat.named_timescales, path.name, key)
            overrides[(spec_id.value, row)] = rule
    return Contract(
        contract_id=data.contract_id,
        provider=data.provider,
        commissioned_options=frozenset(data.commissioned_options),
        timescale_overrides=dict(data.timescale_overrides),
        rule_overrides=overrides,
        file=path.name,
    )
