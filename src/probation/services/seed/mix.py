"""The proportions that shape a synthetic caseload. They are rounded from the Ministry of
Justice Offender Management Statistics Quarterly (probation caseload by sex, age, ethnicity,
sentence and requirement type) and only aim at a believable mix, not at official figures."""

from __future__ import annotations

from probation.domain.people import Disability, Ethnicity

WOMEN_SHARE = 0.15
FEMALE_OFFENDER_MANAGER_ACCEPTED = 0.65
FEMALE_ONLY_ENVIRONMENT_ACCEPTED = 0.5

SENTENCE_MIX = (("community_order", 0.55), ("suspended_sentence_order", 0.25), ("custodial", 0.20))

# Share of cases whose order has already ended (terminated, most then closed).
ENDED_SHARE = 0.15
RESTRICTED_SHARE = 0.005
INDUCTION_MISSED_SHARE = 0.02  # active cases with no induction recorded: overdue work to find

# Age at sentence: (lowest, highest, weight).
AGE_BANDS = ((18, 20, 8), (21, 24, 14), (25, 29, 18), (30, 34, 17), (35, 39, 14), (40, 49, 17),
             (50, 59, 9), (60, 69, 2.5), (70, 77, 0.5))

# None: ethnicity not recorded.
ETHNICITY_MIX: tuple[tuple[Ethnicity | None, float], ...] = (
    (Ethnicity.WHITE_BRITISH, 0.70), (Ethnicity.WHITE_IRISH, 0.006),
    (Ethnicity.WHITE_GYPSY_OR_IRISH_TRAVELLER, 0.007), (Ethnicity.WHITE_ROMA, 0.002),
    (Ethnicity.WHITE_OTHER, 0.065), (Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN, 0.018),
    (Ethnicity.MIXED_WHITE_BLACK_AFRICAN, 0.005), (Ethnicity.MIXED_WHITE_ASIAN, 0.006),
    (Ethnicity.MIXED_OTHER, 0.008), (Ethnicity.ASIAN_INDIAN, 0.010),
    (Ethnicity.ASIAN_PAKISTANI, 0.025), (Ethnicity.ASIAN_BANGLADESHI, 0.008),
    (Ethnicity.ASIAN_CHINESE, 0.002), (Ethnicity.ASIAN_OTHER, 0.012),
    (Ethnicity.BLACK_AFRICAN, 0.030), (Ethnicity.BLACK_CARIBBEAN, 0.030),
    (Ethnicity.BLACK_OTHER, 0.012), (Ethnicity.OTHER_ARAB, 0.004), (Ethnicity.OTHER_ANY, 0.010),
    (Ethnicity.PREFER_NOT_TO_SAY, 0.020), (None, 0.020),
)

DISABILITY_MIX: tuple[tuple[Disability | None, float], ...] = (
    (None, 0.25), (Disability.NONE, 0.50), (Disability.PHYSICAL, 0.04),
    (Disability.SENSORY, 0.01), (Disability.MENTAL_HEALTH, 0.10), (Disability.LEARNING, 0.03),
    (Disability.LONG_TERM_CONDITION, 0.04), (Disability.MULTIPLE, 0.02),
    (Disability.PREFER_NOT_TO_SAY, 0.01),
)

RELIGION_MIX: tuple[tuple[str | None, float], ...] = (
    (None, 0.30), ("No religion", 0.35), ("Christian", 0.24), ("Muslim", 0.02),
    ("Buddhist", 0.01), ("Pagan", 0.005), ("Jewish", 0.003), ("Other", 0.012),
    ("Prefer not to say", 0.06),
)

GENDER_IDENTITY_MIX: tuple[tuple[str | None, float], ...] = (
    (None, 0.60), ("Same as sex registered at birth", 0.395), ("Trans woman", 0.0015),
    ("Trans man", 0.001), ("Non-binary", 0.0025),
)

# Home Office offence codes (group + sub-code) common on probation caseloads; every one is in
# the OGRS3 offence table with a weight (ogrs3-offence-weights.csv).
OFFENCE_MIX = (
    ("04600", 0.18),  # 046: theft from shops
    ("10501", 0.14),  # 105: common assault
    ("00801", 0.09),  # 008: wounding / actual bodily harm
    ("09200", 0.10),  # 092: drug offences
    ("05800", 0.06),  # 058: criminal damage
    ("02801", 0.05),  # 028: burglary in a dwelling
    ("03001", 0.03),  # 030: burglary other than a dwelling
    ("04900", 0.08),  # 049: other theft
    ("04800", 0.03),  # 048: vehicle theft
    ("03900", 0.02),  # 039: theft from the person
    ("04500", 0.02),  # 045: theft from a vehicle
    ("05300", 0.05),  # 053: fraud
    ("06600", 0.06),  # 066: public order
    ("05600", 0.01),  # 056: arson
    ("80300", 0.08),  # 803: motoring (alcohol or drugs)
)

# Independent chance that a community or suspended sentence order carries each requirement.
REQUIREMENT_CHANCE = (
    ("rehabilitation_activity", 0.60),
    ("unpaid_work", 0.45),
    ("curfew", 0.12),
    ("accredited_programme", 0.06),
    ("drug_rehabilitation", 0.05),
    ("alcohol_treatment", 0.04),
    ("alcohol_abstinence_monitoring", 0.02),
    ("prohibited_activity", 0.02),
    ("exclusion", 0.01),
    ("mental_health_treatment", 0.01),
    ("residence", 0.01),
    ("attendance_centre", 0.01),   # only offered to people under 25
    ("foreign_travel_prohibition", 0.003),
)
EXCLUSION_EM_SHARE = 0.9
CURFEW_EM_SHARE = 0.95

RAR_DAYS = ((10, 3), (15, 3), (20, 4), (25, 2), (30, 3), (40, 2), (50, 1), (60, 1))
UNPAID_WORK_HOURS = ((40, 1), (60, 3), (80, 3), (100, 3), (120, 3), (150, 3), (180, 2), (200, 2),
                     (240, 1), (300, 1))
CO_MONTHS = ((6, 10), (12, 50), (18, 15), (24, 20), (36, 5))
SSO_TERM_MONTHS = ((2, 10), (4, 20), (6, 20), (8, 10), (12, 20), (18, 10), (24, 10))
SSO_OPERATIONAL_MONTHS = ((12, 50), (18, 20), (24, 30))
SSO_SUPERVISION_MONTHS = ((6, 10), (12, 60), (18, 15), (24, 15))
CUSTODY_TERM_MONTHS = ((6, 15), (9, 10), (12, 20), (18, 15), (24, 15), (30, 10), (36, 10), (48, 5))
PROGRAMMES = ("Thinking Skills Programme", "Building Better Relationships", "Resolve",
              "Drink Impaired Drivers Programme")
PROHIBITED_ACTIVITIES = ("entering licensed premises", "attending football matches",
                         "contacting the victim directly or indirectly", "driving a motor vehicle")
