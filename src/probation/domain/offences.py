"""Offences by Home Office offence code: a three-digit group and a two-digit sub-code ("02801")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from probation.domain.errors import require

HO_CODE_PATTERN = re.compile(r"^[0-9]{3}[0-9]{2}$")


def normalise_offence_code(code: str) -> str:
    """Accept "028/01", "028 01" or "02801"; return "02801"."""
    return re.sub(r"[\s/.-]", "", code.strip())


@dataclass(frozen=True, kw_only=True)
class Offence:
    code: str
    description: str | None = None
    offence_date: date | None = None

    def __post_init__(self) -> None:
        code = normalise_offence_code(self.code)
        require(bool(HO_CODE_PATTERN.match(code)),
                f"offence code {self.code!r} is not a Home Office offence code",
                field="offence.code", value=self.code,
                rule="Home Office offence code: three-digit group and two-digit sub-code")
        object.__setattr__(self, "code", code)

    @property
    def group(self) -> str:
        return self.code[:3]

    @property
    def sub_code(self) -> str:
        return self.code[3:]
