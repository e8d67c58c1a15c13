"""Level of contact: how often a person on supervision must be seen.

A configurable matrix maps likelihood of reoffending (the OGRS3 band) and risk of serious harm
(the overall RoSH level) to a contact level, each level being the longest gap in calendar days
between contacts. The first weeks after commencement are seen at least at the initial level.
Enhanced contact (one step more frequent) applies to PPOs, women, young adults (18-24 on the day)
and vulnerable adults, each only where the contract buys an option that provides it.

An axis not yet assessed is never guessed low: the most frequent level the other axis allows is
used until it is assessed, and the result says so. The default matrix and its sources are in
contact_level_matrix.yaml (docs/CONTACT_LEVEL.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, ValidationError

from probation.domain.errors import InvalidValue
from probation.domain.people import Sex, age_on
from probation.domain.risk.ogrs3 import Ogrs3Band
from probation.domain.risk.rosh import RoshLevel

DEFAULT_MATRIX_FILE = Path(__file__).with_name("contact_level_matrix.yaml")
_ROSH_ORDER = (RoshLevel.VERY_HIGH, RoshLevel.HIGH, RoshLevel.MEDIUM, RoshLevel.LOW)
_BAND_ORDER = (Ogrs3Band.VERY_HIGH, Ogrs3Band.HIGH, Ogrs3Band.MEDIUM, Ogrs3Band.LOW)


class ContactGroup(StrEnum):
    """Groups that may receive enhanced contact where commissioned."""

    PPO = "ppo"  # on the Prolific and other Priority Offenders register
    FEMALE = "female"
    YOUNG_ADULT = "young_adult"  # 18 to 24 on the day
    VULNERABLE_ADULT = "vulnerable_adult"


# The file's shape -------------------------------------------------------------------------------

_Name = Annotated[str, StringConstraints(min_length=1, pattern=r"^[a-z_]+$")]
_STRICT = ConfigDict(extra="forbid", frozen=True)


class _Initial(BaseModel):
    model_config = _STRICT
    level: _Name
    weeks: StrictInt = Field(ge=0, le=52)


class _Ages(BaseModel):
    model_config = _STRICT
    min: StrictInt = Field(ge=0, le=120)
    max: StrictInt = Field(ge=0, le=120)


class _Enhanced(BaseModel):
    model_config = _STRICT
    step: dict[_Name, _Name]
    groups: dict[ContactGroup, tuple[str, ...]]
    young_adult_ages: _Ages


class _MatrixFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: str
    levels: dict[_Name, StrictInt]
    matrix: dict[RoshLevel, dict[Ogrs3Band, _Name]]
    initial: _Initial
    enhanced: _Enhanced


# The matrix -------------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class ContactMatrix:
    levels: Mapping[str, int]  # level name -> longest gap between contacts, calendar days
    cells: Mapping[tuple[RoshLevel, Ogrs3Band], str]
    initial_level: str
    initial_weeks: int
    step: Mapping[str, str]  # a level -> the enhanced level
    group_options: Mapping[ContactGroup, frozenset[str]]  # empty: always (national minimum)
    young_adult_min: int
    young_adult_max: int

    def interval(self, level: str) -> int:
        return self.levels[level]


def _bad(message: str, field: str, value: object, rule: str) -> InvalidValue:
    return InvalidValue(message, field=field, value=value, rule=rule)


def parse_matrix(data: Any, *, where: str = "contact level matrix") -> ContactMatrix:
    """Validate a matrix document strictly: every cell present, every level named and positive."""
    try:
        doc = _MatrixFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise _bad(f"{where}: {loc}: {first['msg']}", loc or "matrix", first.get("input"),
                   "the matrix file's shape (docs/CONTACT_LEVEL.md)") from None
    for name, days in doc.levels.items():
        if not 1 <= days <= 365:
            raise _bad(f"{where}: level {name} is every {days} days; a level must be 1 to 365 days",
                       "levels", days, "a contact interval is 1 to 365 days")
    named = set(doc.levels)

    def known(level: str, field: str) -> str:
        if level not in named:
            raise _bad(f"{where}: {field} names level {level!r}, which is not in levels", field, level,
                       "every level used must be defined in levels")
        return level

    cells: dict[tuple[RoshLevel, Ogrs3Band], str] = {}
    for rosh in RoshLevel:
        row = doc.matrix.get(rosh)
        if row is None:
            raise _bad(f"{where}: no matrix row for RoSH {rosh}", "matrix", str(rosh),
                       "every RoSH level needs a row")
        for band in Ogrs3Band:
            if band not in row:
                raise _bad(f"{where}: no cell for RoSH {rosh} and OGRS3 band {band}", "matrix",
                           f"{rosh}/{band}", "every OGRS3 band needs a cell")
            cells[(rosh, band)] = known(row[band], f"matrix.{rosh}.{band}")
    initial = known(doc.initial.level, "initial.level")
    initial_days = doc.initial.weeks * 7
    if initial_days % doc.levels[initial]:
        raise _bad(f"{where}: {doc.initial.weeks} weeks is not a whole number of {initial} periods",
                       "initial.weeks", doc.initial.weeks, "the initial period is whole initial intervals")
    step = {known(k, "enhanced.step"): known(v, f"enhanced.step.{k}") for k, v in doc.enhanced.step.items()}
    for name in named:
        if name not in step:
            raise _bad(f"{where}: enhanced.step has no entry for level {name}", "enhanced.step", name,
                       "every level needs its enhanced level")
        if doc.levels[step[name]] > doc.levels[name]:
            raise _bad(f"{where}: enhanced {name} -> {step[name]} is less frequent", "enhanced.step", name,
                       "enhanced contact is never less frequent")
    ages = doc.enhanced.young_adult_ages
    if ages.min > ages.max:
        raise _bad(f"{where}: young adult ages {ages.min}-{ages.max} are reversed", "young_adult_ages",
                   f"{ages.min}-{ages.max}", "min is at most max")
    return ContactMatrix(
        levels=dict(doc.levels), cells=cells, initial_level=initial, initial_weeks=doc.initial.weeks,
        step=step, group_options={g: frozenset(o) for g, o in doc.enhanced.groups.items()},
        young_adult_min=ages.min, young_adult_max=ages.max)


def load_matrix(path: Path) -> ContactMatrix:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _bad(f"cannot read contact level matrix {path}: {exc}", "path", str(path),
                   "a readable YAML file") from None
    return parse_matrix(data, where=str(path.name))


@lru_cache(maxsize=1)
def default_matrix() -> ContactMatrix:
    return load_matrix(DEFAULT_MATRIX_FILE)


# The level of one case ---------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class ContactLevel:
    level: str
    interval_days: int  # the longest gap between contacts after the initial period
    initial_interval_days: int  # the gap during the initial period
    initial_days: int  # length of the initial period from commencement (0: none)
    base_level: str  # the matrix cell's level, before enhancement
    rosh: RoshLevel  # the cell used (an assumed value where the axis is unknown)
    ogrs3_band: Ogrs3Band
    rosh_assessed: bool
    ogrs3_assessed: bool
    enhanced: bool
    enhanced_groups: tuple[ContactGroup, ...]  # groups whose enhanced contact is commissioned
    not_commissioned: tuple[ContactGroup, ...]  # groups the person is in, not bought
    reasons: tuple[str, ...]

    @property
    def unknown_axes(self) -> tuple[str, ...]:
        return tuple(a for a, known in (("ogrs3_band", self.ogrs3_assessed), ("rosh", self.rosh_assessed))
                     if not known)


def contact_groups(*, sex: Sex | None, ppo: bool, vulnerable_adult: bool, date_of_birth: date | None,
                   as_of: date, matrix: ContactMatrix, placed: Iterable[str] = ()) -> frozenset[ContactGroup]:
    """The groups a person is in on `as_of`: from the record (sex, age, registers) and any group the
    offender manager placed them in (`placed`: enhanced-contact group names)."""
    out = {ContactGroup(g) for g in placed if g in ContactGroup.__members__.values()}
    if ppo:
        out.add(ContactGroup.PPO)
    if sex is Sex.FEMALE:
        out.add(ContactGroup.FEMALE)
    if vulnerable_adult:
        out.add(ContactGroup.VULNERABLE_ADULT)
    if date_of_birth is not None and matrix.young_adult_min <= age_on(date_of_birth, as_of) <= matrix.young_adult_max:
        out.add(ContactGroup.YOUNG_ADULT)
    return frozenset(out)


def _most_frequent(matrix: ContactMatrix, roshes: Iterable[RoshLevel],
                   bands: Iterable[Ogrs3Band]) -> tuple[RoshLevel, Ogrs3Band]:
    cells = [(r, b) for r in roshes for b in bands]
    return min(cells, key=lambda c: (matrix.interval(matrix.cells[c]), _ROSH_ORDER.index(c[0]),
                                     _BAND_ORDER.index(c[1])))


def contact_level(matrix: ContactMatrix, *, rosh: RoshLevel | None, ogrs3_band: Ogrs3Band | None,
                  groups: frozenset[ContactGroup], commissioned_options: frozenset[str]) -> ContactLevel:
    reasons: list[str] = []
    rosh_used, band_used = _most_frequent(matrix, [rosh] if rosh else _ROSH_ORDER,
                                          [ogrs3_band] if ogrs3_band else _BAND_ORDER)
    base = matrix.cells[(rosh_used, band_used)]
    if rosh is None and ogrs3_band is None:
        reasons.append(f"RoSH and OGRS3 band not assessed: the most frequent level in the matrix ({base}) "
                       "applies until they are")
    elif rosh is None:
        reasons.append(f"RoSH not assessed: the most frequent level for OGRS3 band {ogrs3_band} ({base}) "
                       "applies until it is")
    elif ogrs3_band is None:
        reasons.append(f"OGRS3 band not assessed: the most frequent level for RoSH {rosh} ({base}) "
                       "applies until it is")
    else:
        reasons.append(f"RoSH {rosh} and OGRS3 band {ogrs3_band}: {base}")
    bought: list[ContactGroup] = []
    not_bought: list[ContactGroup] = []
    for g in sorted(groups):
        options = matrix.group_options.get(g)
        if options is None:
            continue
        (bought if not options or options & commissioned_options else not_bought).append(g)
    level = base
    if bought:
        level = matrix.step[base]
        reasons.append(f"enhanced contact for {', '.join(bought)}: {base} -> {level}")
    for g in not_bought:
        reasons.append(f"{g}: enhanced contact is not commissioned "
                       f"({' or '.join(sorted(matrix.group_options[g]))})")
    interval = matrix.interval(level)
    initial = matrix.interval(matrix.initial_level)
    initial_days = matrix.initial_weeks * 7 if initial < interval else 0
    if initial_days:
        reasons.append(f"{matrix.initial_level} for the first {matrix.initial_weeks} weeks after commencement")
    return ContactLevel(level=level, interval_days=interval,
                        initial_interval_days=initial if initial_days else interval, initial_days=initial_days,
                        base_level=base, rosh=rosh_used, ogrs3_band=band_used, rosh_assessed=rosh is not None,
                        ogrs3_assessed=ogrs3_band is not None, enhanced=bool(bought),
                        enhanced_groups=tuple(bought), not_commissioned=tuple(not_bought), reasons=tuple(reasons))
