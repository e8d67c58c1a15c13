"""Criminogenic needs scored over the sentence (Supervision rows 6-11, Post-Release row 6).

The need areas are the OASys criminogenic need sections (protection.plans.NeedArea). Each is scored
on the OASys section scale: 0 no problems, 1 some problems, 2 significant problems. A full
assessment scores all ten areas, at the start of the sentence, at each review and at the end, with
the date and the assessor. Change is the difference between the first and the latest assessment;
it is never inferred from attendance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from probation.domain.errors import Conflict, InvalidValue, require
from probation.domain.protection.plans import NeedArea

SCALE_RULE = ("each need is scored 0 (no problems), 1 (some problems) or 2 (significant problems), "
              "the OASys section scale")


class Severity(IntEnum):
    NO_PROBLEMS = 0
    SOME_PROBLEMS = 1
    SIGNIFICANT_PROBLEMS = 2

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").lower()


class Stage(StrEnum):
    START = "start"
    REVIEW = "review"
    END = "end"


class Direction(StrEnum):
    REDUCED = "reduced"
    UNCHANGED = "unchanged"
    INCREASED = "increased"

    @classmethod
    def of(cls, change: int) -> Direction:
        return cls.REDUCED if change < 0 else cls.INCREASED if change > 0 else cls.UNCHANGED


@dataclass(frozen=True, kw_only=True)
class NeedsAssessment:
    stage: Stage
    assessed_on: date
    assessor: str
    scores: Mapping[NeedArea, Severity]

    def __post_init__(self) -> None:
        require(bool(self.assessor.strip()), "the assessment names no assessor", field="assessor",
                value=self.assessor, rule="every needs assessment records who assessed")
        missing = [a.value for a in NeedArea if a not in self.scores]
        require(not missing, f"no score for {', '.join(missing)}", field="scores",
                value=",".join(missing), rule="an assessment scores all ten OASys need areas")

    @property
    def total(self) -> int:
        return sum(int(s) for s in self.scores.values())


def parse_stage(raw: str) -> Stage:
    try:
        return Stage(raw)
    except ValueError:
        raise InvalidValue(f"stage {raw!r} is not known", field="stage", value=raw,
                           rule="one of " + ", ".join(s.value for s in Stage)) from None


def parse_scores(raw: Mapping[str, object]) -> dict[NeedArea, Severity]:
    """Scores by need area name; every area present, each 0, 1 or 2."""
    out: dict[NeedArea, Severity] = {}
    for key, value in raw.items():
        try:
            area = NeedArea(key)
        except ValueError:
            raise InvalidValue(f"need area {key!r} is not known", field=f"scores.{key}", value=key,
                               rule="one of " + ", ".join(a.value for a in NeedArea)) from None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2:
            raise InvalidValue(f"{area.value} score {value!r} is outside the 0-2 scale",
                               field=f"scores.{key}", value=value, rule=SCALE_RULE)
        out[area] = Severity(value)
    return out


def validate_next(new: NeedsAssessment, previous: Sequence[NeedsAssessment], *,
                  sentence_date: date, as_of: date) -> None:
    """Order of the assessments: a start, then reviews, then one end; dates never go backwards."""
    on = new.assessed_on.isoformat()
    require(new.assessed_on <= as_of, f"assessment date {on} is after today ({as_of.isoformat()})",
            field="assessed_on", value=on, rule="an assessment is recorded once done")
    require(new.assessed_on >= sentence_date, f"assessment date {on} is before the sentence date "
            f"{sentence_date.isoformat()}", field="assessed_on", value=on,
            rule="needs are assessed during the sentence")
    if not previous:
        if new.stage is not Stage.START:
            raise Conflict(f"a {new.stage.value} assessment needs a start assessment first",
                           field="stage", value=new.stage.value,
                           rule="needs are first assessed at the start of the sentence")
        return
    if new.stage is Stage.START:
        raise Conflict("the start assessment is already recorded", field="stage",
                       value=new.stage.value, rule="one start assessment; later ones are reviews")
    if any(p.stage is Stage.END for p in previous):
        raise Conflict("the end assessment is already recorded", field="stage",
                       value=new.stage.value, rule="no assessment follows the end assessment")
    last = max(p.assessed_on for p in previous)
    require(new.assessed_on >= last, f"assessment date {on} is before the previous assessment "
            f"({last.isoformat()})", field="assessed_on", value=on,
            rule="assessments are recorded in date order")


@dataclass(frozen=True, kw_only=True)
class NeedChange:
    area: NeedArea
    first: Severity
    latest: Severity
    in_plan: bool = False  # the sentence plan has an objective for this need

    @property
    def change(self) -> int:
        return int(self.latest) - int(self.first)

    @property
    def direction(self) -> Direction:
        return Direction.of(self.change)


def changes(assessments: Sequence[NeedsAssessment],
            plan_areas: Iterable[NeedArea] = ()) -> tuple[NeedChange, ...]:
    """First against latest assessment for every need area (empty before a second assessment)."""
    if len(assessments) < 2:
        return ()
    ordered = sorted(assessments, key=lambda a: a.assessed_on)  # stable: same-day keeps entry order
    first, latest = ordered[0], ordered[-1]
    planned = set(plan_areas)
    return tuple(NeedChange(area=a, first=first.scores[a], latest=latest.scores[a],
                            in_plan=a in planned) for a in NeedArea)


def plan_needs_direction(found: Sequence[NeedChange]) -> Direction | None:
    """Supervision row 11 ("needs as defined by the sentence plan ... are reduced"): the total score
    of the needs the plan addresses, first against latest; all needs when the plan names none."""
    if not found:
        return None
    chosen = [c for c in found if c.in_plan] or list(found)
    return Direction.of(sum(c.change for c in chosen))


@dataclass(frozen=True, kw_only=True)
class AreaSummary:
    area: NeedArea
    cases: int
    reduced: int
    unchanged: int
    increased: int
    mean_first: float
    mean_latest: float


def summarise(per_case: Iterable[Sequence[NeedChange]]) -> tuple[AreaSummary, ...]:
    """For commissioners: per need area, how many cases (with two or more assessments) reduced,
    kept or increased the need, and the mean first and latest scores."""
    by_area: dict[NeedArea, list[NeedChange]] = {a: [] for a in NeedArea}
    for found in per_case:
        for c in found:
            by_area[c.area].append(c)
    out = []
    for area, items in by_area.items():
        n = len(items)
        out.append(AreaSummary(
            area=area, cases=n,
            reduced=sum(1 for c in items if c.direction is Direction.REDUCED),
            unchanged=sum(1 for c in items if c.direction is Direction.UNCHANGED),
            increased=sum(1 for c in items if c.direction is Direction.INCREASED),
            mean_first=round(sum(int(c.first) for c in items) / n, 2) if n else 0.0,
            mean_latest=round(sum(int(c.latest) for c in items) / n, 2) if n else 0.0))
    return tuple(out)
