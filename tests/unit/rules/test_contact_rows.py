"""Contact at the required level in the obligations engines: the appointment_interval rows follow
each case's level of contact (an initial weekly phase, then the matrix interval), identically per
case and in bulk."""

from __future__ import annotations

from datetime import date, timedelta

from probation.catalogue import load_catalogue
from probation.catalogue.conditions import Register, SupervisionPeriod
from probation.catalogue.models import NATIONAL_MINIMUM_ONLY, Contract
from probation.catalogue.timescales import Offset
from probation.domain.events import EventKind as K
from probation.domain.people import Sex
from probation.domain.risk.ogrs3 import Ogrs3Band
from probation.domain.risk.rosh import RoshLevel
from probation.domain.sentences import SentenceType
from probation.rules.bulk import BulkEngine, frames_from_facts
from probation.rules.facts import CaseRecordFacts
from probation.rules.obligations import Obligation, ObligationsEngine
from probation.rules.statuses import ObligationStatus as S
from tests.obligation_factories import RECORDED, case, event
from tests.unit.rules.test_bulk_agrees import compare

CATALOGUE = load_catalogue()
ENGINE = ObligationsEngine(CATALOGUE, recorded_kinds=RECORDED)
RELEASE = date(2026, 1, 5)


def on_licence(**facts: object) -> CaseRecordFacts:
    base = case(sentence_type=SentenceType.CUSTODIAL, sentence_date=date(2025, 6, 2), requirements=(),
                supervision_period=SupervisionPeriod.LICENCE, **facts)
    return CaseRecordFacts(case_id=base.case_id, facts=base.facts, sentence_date=base.sentence_date,
                           release_date=RELEASE, licence_end=date(2027, 1, 5), supervision_end=date(2027, 1, 5),
                           date_of_birth=date(1980, 1, 1))


def row7(obligations: list[Obligation]) -> list[Obligation]:
    return [o for o in obligations if (o.spec_id, o.row) == ("post_release", 7)]


def test_a_low_risk_licence_is_weekly_for_twelve_weeks_then_four_weekly() -> None:
    c = on_licence(rosh=RoshLevel.LOW, ogrs3_band=Ogrs3Band.LOW)
    got = row7(ENGINE.evaluate(c, [], RELEASE + timedelta(days=100)))
    assert [o.opens for o in got[:2]] == [RELEASE, RELEASE + timedelta(days=7)]
    assert len(got) == 13  # 12 weekly periods, then the first four-weekly one
    last = got[-1]
    assert (last.opens, last.due, last.status) == (RELEASE + timedelta(days=84), RELEASE + timedelta(days=111), S.DUE)
    assert all(o.status is S.OVERDUE for o in got[:-1])


def test_an_attended_appointment_in_a_period_meets_it() -> None:
    c = on_licence(rosh=RoshLevel.LOW, ogrs3_band=Ogrs3Band.LOW)
    seen = event(K.APPOINTMENT_ATTENDED, RELEASE + timedelta(days=9))
    got = row7(ENGINE.evaluate(c, [seen], RELEASE + timedelta(days=20)))
    assert [o.status for o in got] == [S.OVERDUE, S.MET, S.DUE]
    assert got[1].evidence is not None and got[1].evidence.id == seen.id


def test_unassessed_risk_is_seen_weekly_throughout() -> None:
    got = row7(ENGINE.evaluate(on_licence(), [], RELEASE + timedelta(days=100)))
    assert len(got) == 15 and {(o.due - o.opens).days for o in got} == {6}


def test_a_contract_overriding_the_appointment_interval_keeps_its_own_figure() -> None:
    contract = Contract(contract_id="c", provider="p", commissioned_options=frozenset(),
                        timescale_overrides={"appointment_interval": Offset(days=21)}, rule_overrides={})
    got = row7(ObligationsEngine(CATALOGUE, contract, recorded_kinds=RECORDED)
               .evaluate(on_licence(rosh=RoshLevel.LOW, ogrs3_band=Ogrs3Band.LOW), [], RELEASE + timedelta(days=100)))
    assert len(got) == 5 and got[1].opens == RELEASE + timedelta(days=21)


def test_a_woman_on_licence_is_enhanced_only_where_the_option_is_bought() -> None:
    woman = on_licence(sex=Sex.FEMALE, rosh=RoshLevel.HIGH, ogrs3_band=Ogrs3Band.HIGH)
    as_of = RELEASE + timedelta(days=13)
    assert len(row7(ENGINE.evaluate(woman, [], as_of))) == 2  # weekly
    bought = Contract(contract_id="c", provider="p", commissioned_options=frozenset({"post_release.enhanced_contact"}),
                      timescale_overrides={}, rule_overrides={})
    enhanced = ObligationsEngine(CATALOGUE, bought, recorded_kinds=RECORDED)
    assert len(row7(enhanced.evaluate(woman, [], as_of))) == 5  # every 3 days: days 0, 3, 6, 9, 12
    assert enhanced.contact_level(woman, as_of).level == "twice_weekly"


def test_a_ppo_is_enhanced_under_the_national_minimum() -> None:
    ppo = on_licence(registers=frozenset({Register.PPO}), rosh=RoshLevel.LOW, ogrs3_band=Ogrs3Band.LOW)
    assert ENGINE.contact_level(ppo, RELEASE).level == "fortnightly"
    assert NATIONAL_MINIMUM_ONLY.commissioned_options == frozenset()


def test_the_level_rows_on_a_community_order_follow_the_level_too() -> None:
    c = case(rosh=RoshLevel.MEDIUM, ogrs3_band=Ogrs3Band.LOW)  # RAR from 2 March 2026
    got = [o for o in ENGINE.evaluate(c, [], date(2026, 3, 2) + timedelta(days=97))
           if (o.spec_id, o.row) == ("rar", 1)]
    assert [(o.due - o.opens).days + 1 for o in got] == [7] * 12 + [14]


def test_bulk_agrees_on_the_worked_cases_and_age_boundaries() -> None:
    as_of = date(2026, 5, 31)
    cases = []
    for i, (born, sex) in enumerate([(date(2001, 6, 1), Sex.FEMALE), (date(2001, 5, 31), Sex.MALE),
                                     (date(2004, 2, 29), Sex.MALE), (None, Sex.FEMALE)], start=1):
        c = on_licence(sex=sex, rosh=RoshLevel.LOW, ogrs3_band=Ogrs3Band.MEDIUM)
        cases.append(CaseRecordFacts(case_id=i, facts=c.facts, sentence_date=c.sentence_date,
                                     release_date=c.release_date, licence_end=c.licence_end,
                                     supervision_end=c.supervision_end, date_of_birth=born))
    events = {1: [event(K.APPOINTMENT_ATTENDED, RELEASE + timedelta(days=3))],
              2: [event(K.APPOINTMENT_ATTENDED, RELEASE + timedelta(days=90))]}
    bought = Contract(contract_id="c", provider="p", commissioned_options=frozenset({"post_release.enhanced_contact"}),
                      timescale_overrides={}, rule_overrides={})
    for engine in (ENGINE, ObligationsEngine(CATALOGUE, bought, recorded_kinds=RECORDED)):
        compare(engine, cases, events, as_of)
        frame = BulkEngine(engine).evaluate(*frames_from_facts(cases, events), as_of)
        assert frame.height > 0
