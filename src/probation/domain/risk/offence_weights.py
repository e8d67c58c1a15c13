"""OGRS3 offence weights by Home Office offence code (three-digit group, two-digit sub-code).

Source: data/ogrs3-offence-weights.csv, a copy of the project's reference table
(shared/reference/ogrs3-offence-weights.csv, 3,028 codes), which transcribes the OGRS3 offence
group parameters used by ministryofjustice/hmpps-arns-risk-actuarial-api. An empty weight means the
code names an offence group too broadly to score: the exact offence is needed. The file is read
once per process; a new weights table is a new model version, not an edit of this file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType

from probation.domain.errors import InvalidValue
from probation.domain.offences import HO_CODE_PATTERN, normalise_offence_code

WEIGHTS_FILE = "ogrs3-offence-weights.csv"
_COLUMNS = ["offence_group_code", "sub_code", "ogrs3_weight"]


@dataclass(frozen=True, kw_only=True)
class Ogrs3OffenceWeights:
    """Weight per five-digit code; None where the exact offence is needed."""

    weights: Mapping[str, float | None]

    def weight(self, code: str) -> float:
        """The weight for `code` ("02700", "027/00" or "027 00"), or InvalidValue naming why not."""
        normalised = normalise_ogrs3_code(code)
        if normalised not in self.weights:
            raise InvalidValue(f"offence code {normalised} is not in the OGRS3 weights table",
                               field="offence_code", value=normalised,
                               rule="the offence code must have an OGRS3 offence weight")
        weight = self.weights[normalised]
        if weight is None:
            raise InvalidValue(f"offence code {normalised} has no OGRS3 weight: "
                               "the exact offence is needed",
                               field="offence_code", value=normalised,
                               rule="give the exact offence's code, not its group's")
        return weight

    def __len__(self) -> int:
        return len(self.weights)


def normalise_ogrs3_code(code: str) -> str:
    """"027/00", "027 00" or "02700" -> "02700"; anything else is not a Home Office code."""
    normalised = normalise_offence_code(code)
    if not HO_CODE_PATTERN.match(normalised):
        raise InvalidValue(f"offence code {code!r} is not a Home Office offence code",
                           field="offence_code", value=code,
                           rule="three-digit offence group and two-digit sub-code, e.g. 02700")
    return normalised


def parse_offence_weights(text: str) -> Ogrs3OffenceWeights:
    """Parse the CSV; a malformed file is a packaging fault, so it raises ValueError loudly."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != _COLUMNS:
        raise ValueError(f"OGRS3 weights header {header} is not {_COLUMNS}")
    weights: dict[str, float | None] = {}
    for line, row in enumerate(reader, start=2):
        if len(row) != 3:
            raise ValueError(f"OGRS3 weights line {line} has {len(row)} fields, not 3")
        group, sub_code, raw = row
        code = group + sub_code
        if not HO_CODE_PATTERN.match(code) or code in weights:
            raise ValueError(f"OGRS3 weights line {line}: code {code!r} is malformed or repeated")
        weights[code] = float(raw) if raw.strip() else None
    return Ogrs3OffenceWeights(weights=MappingProxyType(weights))


@cache
def ogrs3_offence_weights() -> Ogrs3OffenceWeights:
    """The packaged weights table, loaded on first use and kept."""
    text = files("probation.domain.risk").joinpath("data", WEIGHTS_FILE).read_text(encoding="utf-8")
    return parse_offence_weights(text)
