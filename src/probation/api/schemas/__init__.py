"""Request and response models. Unknown fields and unknown enum values are rejected (422)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from probation.api.email_address import EmailAddress
from probation.api.instant import Day
from probation.domain.case import TerminationReason
from probation.domain.people import Disability, Ethnicity, Sex
from probation.domain.requirements import RequirementType
from probation.domain.sentences import SentenceType


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddressIn(Strict):
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    town: str = Field(min_length=1, max_length=100)
    postcode: str = Field(min_length=5, max_length=8)
    main: bool = True


class PersonIn(Strict):
    crn: str | None = Field(default=None, pattern=r"^[A-Z][0-9]{6}$",
                            description="Omit for a new person (a CRN is allocated). Send it to add a case for a "
                                        "person on a case you can see; administrators may name any person, or "
                                        "a new person's CRN from a national system.")
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    date_of_birth: Day
    sex: Sex
    gender_identity: str | None = Field(default=None, max_length=50)
    ethnicity: Ethnicity | None = None
    religion: str | None = Field(default=None, max_length=50)
    disability: Disability | None = None
    first_language: str | None = Field(default=None, max_length=50)
    interpreter_required: bool = False
    learning_difficulty: bool | None = None
    addresses: list[AddressIn] = Field(default_factory=list, max_length=10)
    phone: str | None = Field(default=None, max_length=30)
    email: EmailAddress | None = Field(default=None, max_length=200)


class RequirementIn(Strict):
    type: RequirementType
    start_date: Day
    length_months: int | None = Field(default=None, ge=-1000, le=1000)
    length_days: int | None = Field(default=None, ge=-10000, le=10000)
    max_days: int | None = Field(default=None, ge=-10000, le=10000)
    hours: int | None = Field(default=None, ge=-10000, le=10000)
    hours_per_day: int | None = Field(default=None, ge=-100, le=100)
    places: list[str] = Field(default_factory=list, max_length=50)
    electronically_monitored: bool = False
    programme: str | None = Field(default=None, max_length=100)
    activity: str | None = Field(default=None, max_length=200)


class OffenceIn(Strict):
    code: str = Field(min_length=1, max_length=10)
    description: str | None = Field(default=None, max_length=200)
    offence_date: Day | None = None


class SentenceIn(Strict):
    type: SentenceType
    sentence_date: Day
    offence: OffenceIn
    requirements: list[RequirementIn] = Field(default_factory=list, max_length=20)
    length_months: int | None = Field(default=None, ge=-1000, le=1000)
    custodial_term_days: int | None = Field(default=None, ge=-100000, le=100000)
    operational_period_months: int | None = Field(default=None, ge=-1000, le=1000)
    supervision_period_months: int | None = Field(default=None, ge=-1000, le=1000)


class CaseIn(Strict):
    """A court outcome: the person, the sentence, the court and the receiving provider and team."""

    person: PersonIn
    sentence: SentenceIn
    court_code: str = Field(min_length=1, max_length=16)
    organisation_code: str = Field(min_length=1, max_length=16)
    team_code: str = Field(min_length=1, max_length=16)


class Versioned(Strict):
    version: int | None = Field(default=None, description="The case version you read; a stale one gets 409")


class NotifyAgenciesIn(Versioned):
    agencies: list[str] = Field(min_length=1, max_length=20)


class FemaleOptionsIn(Versioned):
    female_offender_manager_accepted: bool
    female_only_environment_accepted: bool


class AllocateIn(Versioned):
    staff_code: str = Field(min_length=1, max_length=16)
    reason: str | None = Field(default=None, max_length=500)


class InductionIn(Versioned):
    understood: dict[Literal["sentence", "obligations", "rights", "consequences"], bool]


class TransferIn(Versioned):
    to_team_code: str = Field(min_length=1, max_length=16)
    to_court_code: str | None = Field(default=None, max_length=16)
    reason: str = Field(min_length=1, max_length=500)


class AcceptTransferIn(Versioned):
    staff_code: str = Field(min_length=1, max_length=16)


class ReasonIn(Versioned):
    reason: str = Field(min_length=1, max_length=500)


class JurisdictionIn(Versioned):
    court_code: str = Field(min_length=1, max_length=16)
    reason: str = Field(min_length=1, max_length=500)


class RestrictionIn(Versioned):
    restricted: bool
    staff_codes: list[str] = Field(default_factory=list, max_length=50)
    reason: str = Field(min_length=1, max_length=500)


class TerminateIn(Versioned):
    reason: TerminationReason
    on: Day
    note: str | None = Field(default=None, max_length=500)


class CloseIn(Versioned):
    pass


COMMAND_MODELS: dict[str, type[Versioned]] = {
    "notify-agencies": NotifyAgenciesIn, "female-options": FemaleOptionsIn, "allocate": AllocateIn,
    "induction": InductionIn, "transfer": TransferIn, "accept-transfer": AcceptTransferIn,
    "reject-transfer": ReasonIn, "change-jurisdiction": JurisdictionIn, "restriction": RestrictionIn,
    "terminate": TerminateIn, "close": CloseIn,
}


class TokenIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


def command_params(model: Versioned) -> dict[str, Any]:
    data = model.model_dump()
    data.pop("version", None)
    return data
