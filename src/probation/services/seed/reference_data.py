"""Reference data for a synthetic caseload: providers, partner agencies, courts, teams, staff
and the demo users (one per role).

Staffing scales with the caseload so practitioners hold realistic caseloads (about 45 cases
each), and staff codes depend only on the team and the position in it, so seeding more people
later (--append) finds the same staff."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate

from probation.domain.organisations import Court, Organisation, OrganisationKind, Staff, Team
from probation.domain.people import Sex
from probation.domain.roles import Role
from probation.services.seed.names import BRITISH_FEMALE, BRITISH_MALE, BRITISH_SURNAMES, NAME_POOLS
from probation.services.seed.places import CONTRACTED_PROVIDERS, EM_PROVIDER, REGIONS, Region

# Under Transforming Rehabilitation (2014-2021) the NPS kept high-risk and MAPPA cases, about a
# third of the caseload; the contracted providers held the rest.
NPS_SHARE = 0.35
CASELOAD_PER_PRACTITIONER = 45
PRACTITIONERS_PER_TEAM = 8
WOMEN_STAFF_SHARE = 0.7  # the probation workforce is about 70% women (HMPPS workforce statistics)

DEMO_ORGANISATION = "CRC-CGM"
DEMO_TEAM = f"{DEMO_ORGANISATION}-T001"
DEMO_PRACTITIONER = f"{DEMO_TEAM}-01"
DEMO_TEAM_MANAGER = f"{DEMO_TEAM}-00"
DEMO_CASELOAD = 40
DEMO_PASSWORD = "demo"
DEMO_REGION = "GM"  # Greater Manchester, covered by the demo provider
DEMO_NPS_REGION = "NPS-GM"
DEMO_POLICE = "POL-GMP"


def nps_code(region: Region) -> str:
    return f"NPS-{region.key}"


@dataclass(frozen=True, kw_only=True)
class Staffing:
    """The practitioners of one provider, with the weights used to allocate its cases."""

    organisation_code: str
    practitioners: tuple[Staff, ...]
    cum_weights: tuple[float, ...]
    women: tuple[Staff, ...]
    women_cum_weights: tuple[float, ...]


@dataclass(frozen=True, kw_only=True)
class ReferenceData:
    organisations: tuple[Organisation, ...]
    teams: tuple[Team, ...]
    staff: tuple[Staff, ...]
    courts: tuple[Court, ...]
    staffing: Mapping[str, Staffing]
    teams_by_code: Mapping[str, Team]
    organisations_by_code: Mapping[str, Organisation]
    courts_by_code: Mapping[str, Court]
    manager_of_team: Mapping[str, str]
    demo_every: int = 2  # every n-th person is the demo practitioner's case


@dataclass(frozen=True, kw_only=True)
class DemoLogin:
    username: str
    password: str
    role: Role
    display_name: str
    staff_code: str | None = None
    organisation_code: str | None = None


def demo_logins() -> tuple[DemoLogin, ...]:
    """One login per role; the practitioner holds a caseload in the demo team."""
    by_role = {
        Role.PRACTITIONER: DemoLogin(username="practitioner", password=DEMO_PASSWORD,
                                     role=Role.PRACTITIONER, display_name="Demo practitioner",
                                     staff_code=DEMO_PRACTITIONER,
                                     organisation_code=DEMO_ORGANISATION),
        Role.TEAM_MANAGER: DemoLogin(username="team.manager", password=DEMO_PASSWORD,
                                     role=Role.TEAM_MANAGER, display_name="Demo team manager",
                                     staff_code=DEMO_TEAM_MANAGER,
                                     organisation_code=DEMO_ORGANISATION),
        Role.PROVIDER_STAFF: DemoLogin(username="provider.staff", password=DEMO_PASSWORD,
                                       role=Role.PROVIDER_STAFF, display_name="Demo provider staff",
                                       organisation_code=DEMO_ORGANISATION),
        Role.EM_OPERATOR: DemoLogin(username="em.operator", password=DEMO_PASSWORD,
                                    role=Role.EM_OPERATOR, display_name="Demo EM operator",
                                    organisation_code=EM_PROVIDER[0]),
        Role.POLICE_LIAISON: DemoLogin(username="police", password=DEMO_PASSWORD,
                                       role=Role.POLICE_LIAISON, display_name="Demo police liaison",
                                       organisation_code=DEMO_POLICE),
        Role.NPS_RISK: DemoLogin(username="nps.risk", password=DEMO_PASSWORD, role=Role.NPS_RISK,
                                 display_name="Demo NPS risk team", organisation_code=DEMO_NPS_REGION),
        Role.COMMISSIONER: DemoLogin(username="commissioner", password=DEMO_PASSWORD,
                                     role=Role.COMMISSIONER, display_name="Demo commissioner"),
        Role.ADMINISTRATOR: DemoLogin(username="admin", password=DEMO_PASSWORD,
                                      role=Role.ADMINISTRATOR, display_name="Demo administrator"),
    }
    return tuple(by_role[role] for role in Role)


def expected_cases(people: int) -> dict[str, float]:
    """Expected cases per probation provider for a caseload of `people`."""
    out: dict[str, float] = {}
    for region in REGIONS:
        out[nps_code(region)] = people * region.share * NPS_SHARE
        provider = region.contracted_provider
        out[provider] = out.get(provider, 0.0) + people * region.share * (1 - NPS_SHARE)
    return out


def organisations() -> tuple[Organisation, ...]:
    orgs = [Organisation(code=nps_code(r), name=f"National Probation Service - {r.name}",
                         kind=OrganisationKind.NPS_REGION) for r in REGIONS]
    orgs += [Organisation(code=code, name=name, kind=OrganisationKind.CONTRACTED_PROVIDER)
             for code, name in CONTRACTED_PROVIDERS.items()]
    orgs.append(Organisation(code=EM_PROVIDER[0], name=EM_PROVIDER[1], kind=OrganisationKind.EM_PROVIDER))
    orgs += [Organisation(code=r.police[0], name=r.police[1], kind=OrganisationKind.POLICE) for r in REGIONS]
    orgs += [Organisation(code=r.children_services[0], name=r.children_services[1],
                          kind=OrganisationKind.PARTNER) for r in REGIONS]
    return tuple(orgs)


def courts() -> tuple[Court, ...]:
    return tuple(Court(code=code, name=name) for r in REGIONS for code, name in r.courts)


def _staff_member(code: str, team_code: str, *, woman: bool | None, domain: str) -> Staff:
    # Seeded by the code alone: the same code always names the same person.
    rng = random.Random(f"staff:{code}")
    if woman is None:
        woman = rng.random() < WOMEN_STAFF_SHARE
    males: tuple[str, ...]
    females: tuple[str, ...]
    surnames: tuple[str, ...]
    if rng.random() < 0.8:
        males, females, surnames = BRITISH_MALE, BRITISH_FEMALE, BRITISH_SURNAMES
    else:
        males, females, surnames = NAME_POOLS[rng.choice(("south_asian", "african_caribbean",
                                                          "east_european"))]
    first = rng.choice(females if woman else males)
    last = rng.choice(surnames)
    email = f"{first}.{last}".lower().replace("'", "") + f".{code[-6:].lower()}@{domain}"
    return Staff(code=code, first_name=first, last_name=last, sex=Sex.FEMALE if woman else Sex.MALE,
                 team_code=team_code, email=email)


def build_reference_data(people: int) -> ReferenceData:
    """Organisations, courts, teams and staff sized for a caseload of `people`."""
    orgs = organisations()
    org_by_code = {o.code: o for o in orgs}
    teams: list[Team] = []
    staff: list[Staff] = []
    staffing: dict[str, Staffing] = {}
    managers: dict[str, str] = {}
    demo_every = 2
    for org_code, cases in expected_cases(people).items():
        org = org_by_code[org_code]
        domain = f"{org_code.lower()}.probation.example.org"
        practitioners = max(2, round(cases / CASELOAD_PER_PRACTITIONER))
        n_teams = math.ceil(practitioners / PRACTITIONERS_PER_TEAM)
        held: list[Staff] = []
        for t in range(n_teams):
            size = practitioners // n_teams + (1 if t < practitioners % n_teams else 0)
            team = Team(code=f"{org_code}-T{t + 1:03d}", name=f"{org.name.split(' - ')[-1]} "
                        f"offender management team {t + 1}", organisation_code=org_code)
            teams.append(team)
            manager = _staff_member(f"{team.code}-00", team.code, woman=None, domain=domain)
            managers[team.code] = manager.code
            staff.append(manager)
            for i in range(1, size + 1):
                # The first practitioner of every team is a woman, so every team can allocate a
                # female offender manager to a woman who accepts the offer (Manage row 4).
                member = _staff_member(f"{team.code}-{i:02d}", team.code, woman=True if i == 1 else None,
                                       domain=domain)
                staff.append(member)
                held.append(member)
        weights = [1.0] * len(held)
        if org_code == DEMO_ORGANISATION:
            # The demo practitioner takes only cases routed to her, about DEMO_CASELOAD of them
            # whatever the size of the seed (weight 0 in the provider's allocation).
            weights[0] = 0.0
            demo_every = max(2, round(people / DEMO_CASELOAD))
        women = [(s, w) for s, w in zip(held, weights, strict=True) if s.sex is Sex.FEMALE]
        staffing[org_code] = Staffing(
            organisation_code=org_code, practitioners=tuple(held), cum_weights=tuple(accumulate(weights)),
            women=tuple(s for s, _ in women), women_cum_weights=tuple(accumulate(w for _, w in women)))
    court_list = courts()
    return ReferenceData(organisations=orgs, teams=tuple(teams), staff=tuple(staff), courts=court_list,
                         staffing=staffing, teams_by_code={t.code: t for t in teams},
                         organisations_by_code=org_by_code,
                         courts_by_code={c.code: c for c in court_list}, manager_of_team=managers,
                         demo_every=demo_every)
