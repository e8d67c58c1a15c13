"""Contact at the required level: which rows follow the level of contact, and each case's level.

The catalogue's recurring contact rows use the named timescale `appointment_interval` ("longest
gap between appointments given", which the National Standards 2011 leave to the offender manager):
Supervision rows 1 and 5, RAR row 1, Post-Release rows 5 and 7 (row 7: "the level of contact
provided is in line with the identified likelihood of reoffending and risk of serious harm").
For those rows the per-case level of contact (domain/contact_level.py) replaces the platform's
flat default: the initial level for the first weeks after the row's anchor (commencement or
release), then the matrix level. A contract that overrides `appointment_interval` keeps its own
figure (the provider bought a different standard).
"""

from __future__ import annotations

from datetime import date, timedelta

from probation.catalogue.conditions import EnhancedContactGroup, Register
from probation.catalogue.timescales import DayUnit, DueRule, TriggerKind
from probation.domain.contact_level import ContactLevel, ContactMatrix, contact_groups, contact_level
from probation.rules.facts import CaseRecordFacts

LEVEL_TIMESCALE = "appointment_interval"


def is_level_row(rule: DueRule) -> bool:
    return (rule.kind is TriggerKind.RECURRING and rule.timescale == LEVEL_TIMESCALE
            and not rule.overridden and rule.offset.unit is DayUnit.CALENDAR)


def case_contact_level(case: CaseRecordFacts, as_of: date, matrix: ContactMatrix,
                       commissioned_options: frozenset[str]) -> ContactLevel:
    f = case.facts
    groups = contact_groups(
        sex=f.sex, ppo=Register.PPO in f.registers,
        vulnerable_adult=Register.VULNERABLE_ADULT in f.registers, date_of_birth=case.date_of_birth,
        as_of=as_of, matrix=matrix,
        placed=[str(g) for g in f.enhanced_contact_groups if g is not EnhancedContactGroup.OTHER_VULNERABLE_GROUP])
    return contact_level(matrix, rosh=f.rosh, ogrs3_band=f.ogrs3_band, groups=groups,
                         commissioned_options=commissioned_options)


def next_start(level: ContactLevel, anchor: date, start: date) -> date:
    """The start of the period after the one starting on `start`."""
    initial = (start - anchor).days < level.initial_days
    return start + timedelta(days=level.initial_interval_days if initial else level.interval_days)
