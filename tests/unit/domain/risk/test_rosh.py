"""Risk of serious harm decides which kind of organisation manages the case."""

from __future__ import annotations

import pytest

from probation.domain.organisations import OrganisationKind
from probation.domain.risk import RoshLevel, responsible_provider_kind

NPS = OrganisationKind.NPS_REGION
CONTRACTED = OrganisationKind.CONTRACTED_PROVIDER


@pytest.mark.parametrize(("rosh", "mappa", "kind"), [
    (RoshLevel.LOW, False, CONTRACTED),
    (RoshLevel.MEDIUM, False, CONTRACTED),
    (RoshLevel.HIGH, False, NPS),
    (RoshLevel.VERY_HIGH, False, NPS),
    (RoshLevel.LOW, True, NPS),
    (RoshLevel.MEDIUM, True, NPS),
    (RoshLevel.HIGH, True, NPS),
    (RoshLevel.VERY_HIGH, True, NPS),
])
def test_high_and_very_high_rosh_and_every_mappa_case_are_the_national_probation_services(
        rosh: RoshLevel, mappa: bool, kind: OrganisationKind) -> None:
    assert responsible_provider_kind(rosh, mappa) is kind


def test_rosh_levels_rank_from_low_to_very_high() -> None:
    assert [level.rank for level in RoshLevel] == [0, 1, 2, 3]
    assert [level.value for level in RoshLevel] == ["low", "medium", "high", "very_high"]
    assert [level.is_high_or_above for level in RoshLevel] == [False, False, True, True]
