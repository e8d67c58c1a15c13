"""Community and suspended sentence orders and custody (Sentencing Code s.204, s.209, s.277, s.288)."""

from __future__ import annotations

from datetime import date

import pytest

from probation.domain.errors import InvalidValue
from probation.domain.offences import Offence
from probation.domain.requirements import Requirement
from probation.domain.requirements import RequirementType as T
from probation.domain.sentences import Sentence
from probation.domain.sentences import SentenceType as S
from tests.factories import community_order, rar

D = date(2026, 3, 1)


def sso(term_days: int = 180, operational: int = 12, supervision: int | None = 12,
        reqs: tuple[Requirement, ...] | None = None) -> Sentence:
    return Sentence(type=S.SUSPENDED_SENTENCE_ORDER, sentence_date=D, offence=Offence(code="02801"),
                    requirements=(rar(D),) if reqs is None else reqs, custodial_term_days=term_days,
                    operational_period_months=operational, supervision_period_months=supervision)


def test_a_community_order_runs_up_to_three_years() -> None:
    assert community_order(months=36).end_date == date(2029, 3, 1)
    with pytest.raises(InvalidValue, match="37 months exceeds the 3-year maximum") as e:
        community_order(months=37)
    assert e.value.field == "length_months"


def test_a_community_order_needs_a_requirement() -> None:
    with pytest.raises(InvalidValue, match="at least one requirement"):
        community_order(requirements=())


def test_a_month_end_order_ends_on_the_last_day_of_a_shorter_month() -> None:
    assert community_order(sentence_date=date(2026, 1, 31), months=1,
                           requirements=(rar(date(2026, 1, 31)),)).end_date == date(2026, 2, 28)
    assert community_order(sentence_date=date(2027, 1, 31), months=13,
                           requirements=(rar(date(2027, 1, 31)),)).end_date == date(2028, 2, 29)


@pytest.mark.parametrize(("operational", "ok"), [(5, False), (6, True), (24, True), (25, False)])
def test_sso_operational_period_is_6_months_to_2_years(operational: int, ok: bool) -> None:
    if ok:
        assert sso(operational=operational, supervision=6).end_date is not None
    else:
        with pytest.raises(InvalidValue, match="operational period"):
            sso(operational=operational, supervision=6)


@pytest.mark.parametrize(("supervision", "ok"), [(5, False), (6, True), (12, True)])
def test_sso_supervision_period_is_at_least_6_months(supervision: int, ok: bool) -> None:
    if ok:
        assert sso(operational=12, supervision=supervision).supervision_end_date is not None
    else:
        with pytest.raises(InvalidValue, match="supervision period"):
            sso(operational=12, supervision=supervision)


def test_sso_supervision_period_may_end_before_but_not_after_the_operational_period() -> None:
    s = sso(operational=24, supervision=12, reqs=(rar(D),))
    assert s.supervision_end_date == date(2027, 3, 1) and s.end_date == date(2028, 3, 1)
    with pytest.raises(InvalidValue, match="outlasts the operational period"):
        sso(operational=12, supervision=18)


def test_sso_without_requirements_has_no_supervision_period() -> None:
    assert sso(supervision=None, reqs=()).requirements == ()
    with pytest.raises(InvalidValue, match="no community requirement"):
        sso(supervision=12, reqs=())


@pytest.mark.parametrize(("days", "ok"), [(13, False), (14, True), (730, True), (731, False)])
def test_sso_custodial_term_is_14_days_to_2_years(days: int, ok: bool) -> None:
    if ok:
        sso(term_days=days)
    else:
        with pytest.raises(InvalidValue, match="14 days to 2 years"):
            sso(term_days=days)


def test_requirements_must_finish_within_the_order() -> None:
    late = Requirement(type=T.EXCLUSION, start_date=D, length_months=13, places=("Leeds",))
    with pytest.raises(InvalidValue, match="after the order's end") as e:
        community_order(months=12, requirements=(late,))
    assert e.value.field == "requirements[0].length_months"


def test_requirements_within_an_sso_must_finish_within_the_supervision_period() -> None:
    req = Requirement(type=T.CURFEW, start_date=D, length_months=9, hours_per_day=8)
    with pytest.raises(InvalidValue, match="after the order's end"):
        sso(operational=12, supervision=6, reqs=(req,))


def test_custody_takes_no_community_requirements() -> None:
    ok = Sentence(type=S.CUSTODIAL, sentence_date=D, offence=Offence(code="02801"), custodial_term_days=300)
    assert ok.end_date == date(2026, 12, 26)
    with pytest.raises(InvalidValue, match="licence conditions"):
        Sentence(type=S.CUSTODIAL, sentence_date=D, offence=Offence(code="02801"), custodial_term_days=300,
                 requirements=(rar(D),))


def test_an_offence_cannot_follow_its_sentence() -> None:
    with pytest.raises(InvalidValue, match="after the sentence date"):
        community_order(offence_date=date(2026, 3, 2))


def test_one_rar_per_order() -> None:
    with pytest.raises(InvalidValue, match="imposed 2 times"):
        community_order(requirements=(rar(D), rar(D)))


def test_offence_codes_are_home_office_codes() -> None:
    assert Offence(code="028/01").code == "02801"
    with pytest.raises(InvalidValue, match="Home Office"):
        Offence(code="2801")
