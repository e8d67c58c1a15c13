"""People on probation. Protected characteristics are optional and recorded as the person
declared them (None means not asked or not declared; "prefer not to say" is a value)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from probation.domain.errors import require

# nDelius case reference number: one letter and six digits (e.g. X123456).
CRN_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")
# UK postcode, as the Royal Mail formats it (outward code, space, inward code).
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Ethnicity(StrEnum):
    """The ONS 2021 census ethnic groups for England and Wales (19 categories)."""

    WHITE_BRITISH = "white_british"
    WHITE_IRISH = "white_irish"
    WHITE_GYPSY_OR_IRISH_TRAVELLER = "white_gypsy_or_irish_traveller"
    WHITE_ROMA = "white_roma"
    WHITE_OTHER = "white_other"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african"
    MIXED_WHITE_ASIAN = "mixed_white_asian"
    MIXED_OTHER = "mixed_other"
    ASIAN_INDIAN = "asian_indian"
    ASIAN_PAKISTANI = "asian_pakistani"
    ASIAN_BANGLADESHI = "asian_bangladeshi"
    ASIAN_CHINESE = "asian_chinese"
    ASIAN_OTHER = "asian_other"
    BLACK_AFRICAN = "black_african"
    BLACK_CARIBBEAN = "black_caribbean"
    BLACK_OTHER = "black_other"
    OTHER_ARAB = "other_arab"
    OTHER_ANY = "other_any"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"

    @property
    def group(self) -> str:
        """The five high-level groups used in equalities reporting."""
        prefix = self.value.split("_", 1)[0]
        return {
            "white": "White",
            "mixed": "Mixed or multiple",
            "asian": "Asian or Asian British",
            "black": "Black, Black British, Caribbean or African",
            "other": "Other ethnic group",
            "prefer": "Not stated",
        }[prefix]


class Disability(StrEnum):
    """Disability as declared under the Equality Act 2010 definition."""

    NONE = "none"
    PHYSICAL = "physical"
    SENSORY = "sensory"
    MENTAL_HEALTH = "mental_health"
    LEARNING = "learning"
    LONG_TERM_CONDITION = "long_term_condition"
    MULTIPLE = "multiple"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


@dataclass(frozen=True, kw_only=True)
class Address:
    line1: str
    town: str
    postcode: str
    line2: str | None = None
    main: bool = True
    from_date: date | None = None

    def __post_init__(self) -> None:
        require(bool(self.line1.strip()), "address line 1 is empty", field="address.line1",
                value=self.line1, rule="an address needs a first line")
        pc = self.postcode.upper().strip()
        require(bool(POSTCODE_PATTERN.match(pc)), f"postcode {self.postcode!r} is not a UK postcode",
                field="address.postcode", value=self.postcode, rule="UK postcode format")


@dataclass(frozen=True, kw_only=True)
class Person:
    crn: str
    first_name: str
    last_name: str
    date_of_birth: date
    sex: Sex
    gender_identity: str | None = None
    ethnicity: Ethnicity | None = None
    religion: str | None = None
    disability: Disability | None = None
    first_language: str | None = None
    interpreter_required: bool = False
    learning_difficulty: bool | None = None
    addresses: tuple[Address, ...] = field(default_factory=tuple)
    phone: str | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        require(bool(CRN_PATTERN.match(self.crn)), f"case reference {self.crn!r} is not a letter and six digits",
                field="crn", value=self.crn, rule="CRN format: one capital letter then six digits")
        for name in ("first_name", "last_name"):
            value = getattr(self, name)
            require(bool(value and value.strip()), f"{name.replace('_', ' ')} is empty",
                    field=name, value=value, rule="a person needs a name")
        if self.interpreter_required:
            require(bool(self.first_language), "an interpreter is needed but no first language is recorded",
                    field="first_language", value=self.first_language,
                    rule="interpreter need requires the first language")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def main_address(self) -> Address | None:
        return next((a for a in self.addresses if a.main), self.addresses[0] if self.addresses else None)

    def age_on(self, day: date) -> int:
        return age_on(self.date_of_birth, day)


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years of age on `day` (a person born on 29 February turns a year older on 1 March)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def validate_date_of_birth(date_of_birth: date, on: date) -> None:
    """Adults only: youth orders are the Youth Justice Board's (out of scope of the specifications)."""
    age = age_on(date_of_birth, on)
    require(age >= 18, f"date of birth {date_of_birth.isoformat()} makes the person {age} on {on.isoformat()}",
            field="date_of_birth", value=date_of_birth.isoformat(),
            rule="adult probation cases are for people aged 18 or over at sentence")
    require(age <= 110, f"date of birth {date_of_birth.isoformat()} makes the person {age}",
            field="date_of_birth", value=date_of_birth.isoformat(), rule="age must be plausible (110 or under)")
