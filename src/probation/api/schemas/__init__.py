"""Request and response models. Unknown fields and unknown enum values are rejected (422)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, with_config
from typing_extensions import TypedDict

from probation.api.answers import Answer
from probation.api.email_address import EmailAddress
from probation.api.instant import Day
from probation.domain.case import TerminationReason
from probation.domain.people import Disability, Ethnicity, Sex
from probation.domain.requirements import RequirementType
from probation.domain.roles import Role
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


# Answers -----------------------------------------------------------------------------------------
# Dates and times are ISO 8601 strings; enums by value.

class HealthAnswer(Answer):
    status: str
    database: str


class TokenAnswer(Answer):
    access_token: str
    token_type: str
    expires_at: str


class SignedOutEverywhereAnswer(Answer):
    username: str
    sessions_ended: int


class MeAnswer(Answer):
    username: str
    role: Role
    display_name: str
    staff_code: str | None
    team_code: str | None
    organisation_code: str | None


class CaseloadEntryAnswer(Answer):
    crn: str
    case_id: int
    name: str
    date_of_birth: str
    sex: str
    sentence_type: str
    sentence_date: str
    end_date: str
    status: str
    offender_manager: str | None
    team_code: str
    restricted: bool


class CaseloadAnswer(Answer):
    items: list[CaseloadEntryAnswer]
    page: int
    size: int
    total: int
    pages: int


class AddressAnswer(Answer):
    line1: str
    town: str
    postcode: str
    line2: str | None
    main: bool
    from_date: str | None


class PersonAnswer(Answer):
    """The person's details; a detail withheld from the caller (minimisation) is absent, not null."""

    crn: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    date_of_birth: str | None = None
    sex: Sex | None = None
    gender_identity: str | None = None
    ethnicity: Ethnicity | None = None
    religion: str | None = None
    disability: Disability | None = None
    first_language: str | None = None
    interpreter_required: bool | None = None
    learning_difficulty: bool | None = None
    addresses: list[AddressAnswer] | None = None
    phone: str | None = None
    email: str | None = None


class RequirementAnswer(Answer):
    type: str
    start_date: str
    end_date: str | None
    length_months: int | None
    length_days: int | None
    max_days: int | None
    hours: int | None
    hours_per_day: int | None
    places: list[str]
    electronically_monitored: bool
    programme: str | None
    activity: str | None


class SentenceAnswer(Answer):
    type: str
    sentence_date: str
    end_date: str
    offence_code: str
    length_months: int | None
    custodial_term_days: int | None
    operational_period_months: int | None
    supervision_period_months: int | None
    requirements: list[RequirementAnswer]


class FemaleOptionsAnswer(Answer):
    female_offender_manager_accepted: bool
    female_only_environment_accepted: bool


class PendingTransferAnswer(Answer):
    to_organisation_code: str
    to_team_code: str
    to_court_code: str | None


class CaseAnswer(Answer):
    case_id: int
    crn: str
    version: int
    status: str
    sentence: SentenceAnswer
    court_code: str
    organisation_code: str
    team_code: str
    offender_manager_code: str | None
    restricted: bool
    female_options: FemaleOptionsAnswer | None
    inducted_at: str | None
    pending_transfer: PendingTransferAnswer | None
    termination_reason: str | None
    terminated_on: str | None


class CaseEventAnswer(Answer):
    seq: int
    kind: str
    occurred_at: str
    actor: str
    reason: str | None
    data: dict[str, Any]


class CaseDetailAnswer(CaseAnswer):
    names: dict[str, str]
    history: list[CaseEventAnswer]


class PersonRecordAnswer(Answer):
    person: PersonAnswer
    cases: list[CaseDetailAnswer]


class CaseCreatedAnswer(Answer):
    case_id: int
    crn: str


class AuditEntryAnswer(Answer):
    at: str
    username: str
    role: str
    action: str
    subject: str | None
    detail: str | None
    channel: str


class AuditLogAnswer(Answer):
    items: list[AuditEntryAnswer]
    page: int
    size: int


# Obligations, worklist, level of contact and assurance -------------------------------------------

class EventRefAnswer(Answer):
    case_event_id: int
    seq: int
    kind: str
    on: str


class ObligationAnswer(Answer):
    spec: str
    version: str
    row: int
    occurrence: int
    service_element: str
    output: str
    status: str
    opens: str | None
    due: str | None
    met_on: str | None
    evidence: EventRefAnswer | None
    trigger: EventRefAnswer | None
    reason: str | None


class CaseObligationsAnswer(Answer):
    case_id: int
    crn: str
    as_of: str
    team_code: str
    offender_manager_code: str | None
    obligations: list[ObligationAnswer]


class PersonObligationsAnswer(Answer):
    crn: str
    as_of: str
    cases: list[CaseObligationsAnswer]


@with_config(ConfigDict(extra="forbid"))
class WorkItemAnswer(TypedDict):
    """A typed dict rather than a model: a team's worklist runs to thousands of items, and checking
    plain dicts costs about half as much as building a model for each."""

    crn: str
    case_id: int
    name: str
    offender_manager_code: str | None
    team_code: str
    spec: str
    row: int
    occurrence: int
    output: str
    status: str
    due: str
    days_overdue: int


class WorklistAnswer(Answer):
    scope: str
    as_of: str
    total: int
    overdue: int
    items: list[WorkItemAnswer]


class InitialContactAnswer(Answer):
    interval_days: int
    days: int


class ContactMatrixCellAnswer(Answer):
    rosh: str
    ogrs3_band: str
    level: str


class CatalogueRowRefAnswer(Answer):
    spec_id: str
    row: int


class ContactLevelAnswer(Answer):
    case_id: int
    crn: str
    as_of: str
    contract: str
    level: str
    interval_days: int
    initial: InitialContactAnswer
    cell: ContactMatrixCellAnswer
    unknown: list[str]
    enhanced: bool
    enhanced_groups: list[str]
    not_commissioned: list[str]
    reasons: list[str]
    level_rows: list[CatalogueRowRefAnswer]


class AssuranceFiltersAnswer(Answer):
    provider: str | None
    team: str | None
    from_: str | None = Field(alias="from")
    to: str | None


class SuppressionAnswer(Answer):
    applied: bool
    below_cases: int
    breakdowns: list[str]


class AssuranceRowAnswer(Answer):
    """One output row's figures over the whole caseload in scope."""

    spec_id: str
    row: int
    applicable_cases: int
    obligations: int
    met: int
    met_on_time: int
    met_late: int
    overdue: int
    due: int
    not_yet_due: int
    awaiting_evidence: int
    on_time_pct: float | None
    output: str


class AssuranceGroupRowAnswer(Answer):
    """One output row's figures for one group of a breakdown; a small group's are null when suppressed."""

    spec_id: str
    row: int
    group: str
    applicable_cases: int | None
    obligations: int | None
    met: int | None
    met_on_time: int | None
    met_late: int | None
    overdue: int | None
    due: int | None
    not_yet_due: int | None
    awaiting_evidence: int | None
    on_time_pct: float | None
    suppressed: bool
    output: str


class AssuranceReportAnswer(Answer):
    as_of: str
    filters: AssuranceFiltersAnswer
    suppression: SuppressionAnswer
    rows: list[AssuranceRowAnswer]
    breakdowns: dict[str, list[AssuranceGroupRowAnswer]]


# Subject access ----------------------------------------------------------------------------------

class SubjectAccessSectionAnswer(Answer):
    key: str
    title: str
    tables: dict[str, list[dict[str, Any]]]


class PositionsOnADayAnswer(Answer):
    day: str
    fixes: int
    first: str
    last: str
    devices: list[str]


class RecordAccessAnswer(Answer):
    at: str
    username: str
    role: str
    action: str
    detail: str | None
    channel: str


class SubjectAccessAnswer(Answer):
    """A person's whole record, downloaded as one JSON file."""

    format: str
    crn: str
    generated_at: str
    generated_by: str
    sections: list[SubjectAccessSectionAnswer]
    em_positions_by_day: list[PositionsOnADayAnswer]
    record_access: list[RecordAccessAnswer]
