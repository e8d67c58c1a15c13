"""OGRS3: the Offender Group Reconviction Scale, version 3 (Howard, Francis, Soothill and
Humphreys, Ministry of Justice Research Summary 7/09, 2009), a static predictor of proven
reoffending within one and two years from sex, age, criminal history and the current offence.

Coefficients and rules as the Ministry of Justice runs them in hmpps-arns-risk-actuarial-api
(OGRS3TransformationHelper.kt, OGRS3RiskProducerService.kt, NumbersUtils.kt), transcribed in
shared/reference/REFERENCE.md "Risk predictors". The formula, rounding and validation rules are
explained with a worked example in docs/RISK.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from probation.domain.errors import InvalidValue, require
from probation.domain.people import Sex, age_on
from probation.domain.risk.likelihood import LikelihoodOfReoffending
from probation.domain.risk.offence_weights import (
    Ogrs3OffenceWeights,
    normalise_ogrs3_code,
    ogrs3_offence_weights,
)
from probation.domain.risk.predictors import ModelId
from probation.domain.risk.rounding import round_half_up, round_half_up_decimal, whole_percentage

OGRS3 = ModelId(name="ogrs3", version="3.0")

MIN_AGE = 10            # age of criminal responsibility in England and Wales (CYPA 1933 s.50)
MAX_SANCTIONS = 999     # the MoJ service's accepted range of total sanctions is 1..999
COPAS_COEFFICIENT = 1.25112
ONE_YEAR_OFFSET = 1.40256
TWO_YEAR_OFFSET = 2.1217
LOG_RATIO_PLACES = 5    # the log ratio is rounded to 5 decimals before multiplying
PROBABILITY_PLACES = 5  # each probability is rounded to 5 decimals before it becomes a percentage
MIN_PERCENT, MAX_PERCENT = 1, 99  # never 0% or 100%: the MoJ service holds scores within 1..99


class ConvictionStatus(StrEnum):
    FIRST_TIME = "first_time"  # the current conviction is the only sanction
    REPEAT = "repeat"


CONVICTION_STATUS_WEIGHT = {ConvictionStatus.FIRST_TIME: 0.12614, ConvictionStatus.REPEAT: 0.46306}

# Age (whole years at the start of follow-up) x sex. Each band starts at the age given and runs
# to the next band's start; the last is 50 and over.
AGE_BAND_STARTS = (10, 12, 14, 16, 18, 21, 25, 30, 35, 40, 50)
AGE_SEX_WEIGHTS = {
    Sex.MALE: (0.0, 0.08392, 0.07578, -0.0616, -0.6251, -1.0515,
               -1.1667, -1.326, -1.368, -1.4997, -2.0253),
    Sex.FEMALE: (0.785, 0.61385, 0.66952, -0.9592, -0.8975, -1.0285,
                 -1.0528, -1.1291, -1.4219, -1.5247, -2.4498),
}


class Ogrs3Band(StrEnum):
    """Band on the two-year percentage."""

    LOW = "low"              # 0-49
    MEDIUM = "medium"        # 50-74
    HIGH = "high"            # 75-89
    VERY_HIGH = "very_high"  # 90+

    @property
    def likelihood(self) -> LikelihoodOfReoffending:
        return LikelihoodOfReoffending(self.value)


def band_for(two_year_percent: int) -> Ogrs3Band:
    require(0 <= two_year_percent <= 100, f"percentage {two_year_percent} is outside 0..100",
            field="two_year", value=two_year_percent, rule="a percentage is between 0 and 100")
    if two_year_percent >= 90:
        return Ogrs3Band.VERY_HIGH
    if two_year_percent >= 75:
        return Ogrs3Band.HIGH
    if two_year_percent >= 50:
        return Ogrs3Band.MEDIUM
    return Ogrs3Band.LOW


def age_sex_weight(age: int, sex: Sex) -> float:
    """The age/sex term for whole years of age at the start of follow-up."""
    require(age >= MIN_AGE, f"age {age} at the start of follow-up is under {MIN_AGE}",
            field="age_at_follow_up", value=age, rule=f"OGRS3 scores people aged {MIN_AGE} or over")
    band = sum(1 for start in AGE_BAND_STARTS if age >= start) - 1
    return AGE_SEX_WEIGHTS[sex][band]


def conviction_status(total_sanctions: int) -> ConvictionStatus:
    return ConvictionStatus.FIRST_TIME if total_sanctions == 1 else ConvictionStatus.REPEAT


def copas_log_ratio(*, previous_sanctions: int, age_at_conviction: int,
                    age_at_first_sanction: int) -> float:
    """ln((1 + previous sanctions) / (10 + age at conviction - age at first sanction)), the
    rate of offending over the criminal career, rounded half up to 5 decimals."""
    denominator = 10 + age_at_conviction - age_at_first_sanction
    if denominator <= 0:
        raise InvalidValue(
            f"log denominator 10 + {age_at_conviction} - {age_at_first_sanction} = {denominator}"
            " is not positive", field="first_sanction_age", value=age_at_first_sanction,
            rule="10 + age at conviction - age at first sanction must be positive")
    require(previous_sanctions >= 0, f"previous sanctions {previous_sanctions} is negative",
            field="previous_sanctions", value=previous_sanctions, rule="a count is 0 or more")
    return round_half_up(math.log((1 + previous_sanctions) / denominator), LOG_RATIO_PLACES)


def logistic(x: float) -> float:
    """exp(x) / (1 + exp(x)), written so that neither tail overflows."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def reported_percentage(probability: float) -> int:
    """Probability -> 5 decimals (half up) -> whole percentage (half up) -> held within 1..99.
    Decimal throughout: a probability of 0.494996 is 0.49500, so 49.5%, so 50%."""
    percent = whole_percentage(round_half_up_decimal(probability, PROBABILITY_PLACES))
    return min(MAX_PERCENT, max(MIN_PERCENT, percent))


@dataclass(frozen=True, kw_only=True)
class Ogrs3Inputs:
    """What OGRS3 needs. `follow_up_date` is the start of follow-up: the sentence date for a
    community sentence, the release date for custody (or the assessment date if later)."""

    sex: Sex
    date_of_birth: date
    conviction_date: date
    follow_up_date: date
    total_sanctions: int        # every sanction, the current conviction included
    age_at_first_sanction: int
    offence_code: str           # Home Office code of the current (principal) offence

    def __post_init__(self) -> None:
        object.__setattr__(self, "offence_code", normalise_ogrs3_code(self.offence_code))
        require(self.conviction_date >= self.date_of_birth,
                f"conviction date {self.conviction_date.isoformat()} is before the date of birth "
                f"{self.date_of_birth.isoformat()}", field="conviction_date",
                value=self.conviction_date.isoformat(), rule="conviction cannot precede birth")
        require(self.follow_up_date >= self.conviction_date,
                f"follow-up date {self.follow_up_date.isoformat()} is before the conviction date "
                f"{self.conviction_date.isoformat()}", field="follow_up_date",
                value=self.follow_up_date.isoformat(),
                rule="follow-up starts on or after the current conviction")
        require(self.age_at_conviction >= MIN_AGE,
                f"age at conviction {self.age_at_conviction} is under {MIN_AGE}",
                field="conviction_date", value=self.conviction_date.isoformat(),
                rule=f"age at current conviction must be {MIN_AGE} or over")
        require(1 <= self.total_sanctions <= MAX_SANCTIONS,
                f"total sanctions {self.total_sanctions} is outside 1..{MAX_SANCTIONS}",
                field="sanctions", value=self.total_sanctions,
                rule=f"total sanctions count the current conviction: 1 to {MAX_SANCTIONS}")
        require(self.age_at_first_sanction >= MIN_AGE,
                f"age at first sanction {self.age_at_first_sanction} is under {MIN_AGE}",
                field="first_sanction_age", value=self.age_at_first_sanction,
                rule=f"no sanction before the age of criminal responsibility ({MIN_AGE})")
        require(self.age_at_first_sanction <= self.age_at_conviction,
                f"age at first sanction {self.age_at_first_sanction} is after the age at current "
                f"conviction {self.age_at_conviction}", field="first_sanction_age",
                value=self.age_at_first_sanction,
                rule="the first sanction cannot come after the current conviction")

    @property
    def age_at_conviction(self) -> int:
        return age_on(self.date_of_birth, self.conviction_date)

    @property
    def age_at_follow_up(self) -> int:
        return age_on(self.date_of_birth, self.follow_up_date)

    @property
    def previous_sanctions(self) -> int:
        return self.total_sanctions - 1


@dataclass(frozen=True, kw_only=True)
class Ogrs3Result:
    """The score with every term, so a practitioner or auditor can retrace it."""

    model: ModelId
    inputs: Ogrs3Inputs
    conviction_status: ConvictionStatus
    age_sex_weight: float
    conviction_status_weight: float
    copas_log_ratio: float      # already rounded to 5 decimals
    copas_weight: float         # COPAS_COEFFICIENT x copas_log_ratio
    offence_weight: float
    score: float                # sum of the four terms (the linear predictor)
    one_year_probability: float
    two_year_probability: float
    one_year: int               # whole percentage
    two_year: int               # whole percentage
    band: Ogrs3Band

    @property
    def likelihood(self) -> LikelihoodOfReoffending:
        return self.band.likelihood


@dataclass(frozen=True, kw_only=True)
class Ogrs3Predictor:
    """OGRS3 as a registered predictor; the weights table can be swapped for tests."""

    weights: Ogrs3OffenceWeights = field(default_factory=ogrs3_offence_weights)

    @property
    def model(self) -> ModelId:
        return OGRS3

    def predict(self, inputs: Ogrs3Inputs) -> Ogrs3Result:
        offence_weight = self.weights.weight(inputs.offence_code)
        status = conviction_status(inputs.total_sanctions)
        age_sex = age_sex_weight(inputs.age_at_follow_up, inputs.sex)
        log_ratio = copas_log_ratio(previous_sanctions=inputs.previous_sanctions,
                                    age_at_conviction=inputs.age_at_conviction,
                                    age_at_first_sanction=inputs.age_at_first_sanction)
        copas = COPAS_COEFFICIENT * log_ratio
        status_weight = CONVICTION_STATUS_WEIGHT[status]
        score = age_sex + status_weight + copas + offence_weight
        one_year_p = logistic(score + ONE_YEAR_OFFSET)
        two_year_p = logistic(score + TWO_YEAR_OFFSET)
        two_year = reported_percentage(two_year_p)
        return Ogrs3Result(
            model=OGRS3, inputs=inputs, conviction_status=status, age_sex_weight=age_sex,
            conviction_status_weight=status_weight, copas_log_ratio=log_ratio, copas_weight=copas,
            offence_weight=offence_weight, score=score, one_year_probability=one_year_p,
            two_year_probability=two_year_p, one_year=reported_percentage(one_year_p),
            two_year=two_year, band=band_for(two_year))


def ogrs3(inputs: Ogrs3Inputs) -> Ogrs3Result:
    """Score `inputs` with the packaged offence weights."""
    return Ogrs3Predictor().predict(inputs)
