"""The engine's prepared clause test equals the catalogue's reference Condition.matches for every
row, on random facts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from probation.catalogue import load_catalogue
from probation.catalogue.conditions import (
    CaseFacts,
    CaseFlag,
    Characteristic,
    EnhancedContactGroup,
    Register,
    RequirementFact,
    SupervisionPeriod,
)
from probation.domain.people import Sex
from probation.domain.requirements import RequirementType
from probation.domain.risk.ogrs3 import Ogrs3Band
from probation.domain.risk.rosh import RoshLevel
from probation.domain.sentences import SentenceType
from probation.rules.applicability import clauses_of, matches

ROWS = [(r, clauses_of(r.applies_when)) for r in load_catalogue().rows_for()]

facts = st.builds(
    CaseFacts, sentence_type=st.sampled_from(list(SentenceType)), sex=st.sampled_from(list(Sex)),
    requirements=st.lists(st.builds(RequirementFact, type=st.sampled_from(list(RequirementType)),
                                    electronically_monitored=st.booleans()), max_size=3).map(tuple),
    registers=st.frozensets(st.sampled_from(list(Register)), max_size=3),
    rosh=st.one_of(st.none(), st.sampled_from(list(RoshLevel))),
    ogrs3_band=st.one_of(st.none(), st.sampled_from(list(Ogrs3Band))),
    characteristics=st.frozensets(st.sampled_from(list(Characteristic))),
    enhanced_contact_groups=st.frozensets(st.sampled_from(list(EnhancedContactGroup))),
    supervision_period=st.one_of(st.none(), st.sampled_from(list(SupervisionPeriod))),
    referred_to_nps=st.booleans(), at_risk_of_enforcement=st.booleans(),
    flags=st.frozensets(st.sampled_from(list(CaseFlag))))


@settings(max_examples=300)
@given(facts)
def test_prepared_clauses_agree_with_the_catalogues_reference_semantics(case: CaseFacts) -> None:
    for row, clauses in ROWS:
        assert matches(row.applies_when, clauses, case) == row.applies_when.matches(case), row.key
