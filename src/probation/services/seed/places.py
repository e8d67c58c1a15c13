"""Where the synthetic caseload lives: the 12 probation regions of England and Wales, with a
police force, a children's social care partner, towns (real postcode districts) and courts.

Region shares of the caseload are rounded from the Offender Management Statistics Quarterly
(probation caseload by region); they only shape the synthetic mix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Town:
    name: str
    districts: tuple[str, ...]  # postcode outward codes


@dataclass(frozen=True, kw_only=True)
class Region:
    key: str              # short code used in organisation codes
    name: str
    share: float          # of the national caseload
    police: tuple[str, str]
    children_services: tuple[str, str]
    contracted_provider: str  # code of the provider holding the region's lower-risk cases
    towns: tuple[Town, ...]
    courts: tuple[tuple[str, str], ...]  # (code, name)


def _t(name: str, *districts: str) -> Town:
    return Town(name=name, districts=districts)


REGIONS: tuple[Region, ...] = (
    Region(key="LDN", name="London", share=0.15,
           police=("POL-MPS", "Metropolitan Police Service"),
           children_services=("CSC-ISL", "Islington Council Children's Services"),
           contracted_provider="CRC-LDN",
           towns=(_t("London", "E1", "E8", "E15", "N1", "N7", "N17", "NW10", "SE1", "SE15", "SW2",
                     "SW9", "W2"), _t("Croydon", "CR0"), _t("Romford", "RM1")),
           courts=(("MC-WESTM", "Westminster Magistrates' Court"),
                   ("MC-HIGHB", "Highbury Corner Magistrates' Court"),
                   ("MC-THAME", "Thames Magistrates' Court"),
                   ("CC-SOUTHW", "Southwark Crown Court"),
                   ("CC-SNARES", "Snaresbrook Crown Court"),
                   ("CC-WOODG", "Wood Green Crown Court"))),
    Region(key="NW", name="North West", share=0.11,
           police=("POL-MER", "Merseyside Police"),
           children_services=("CSC-LIV", "Liverpool City Council Children's Services"),
           contracted_provider="CRC-CGM",
           towns=(_t("Liverpool", "L1", "L4", "L8", "L11"), _t("Preston", "PR1"),
                  _t("Blackpool", "FY1"), _t("Chester", "CH1"), _t("Warrington", "WA1"),
                  _t("Carlisle", "CA1"), _t("Blackburn", "BB1")),
           courts=(("MC-LIVKN", "Liverpool and Knowsley Magistrates' Court"),
                   ("CC-LIVER", "Liverpool Crown Court"),
                   ("CC-PREST", "Preston Crown Court"),
                   ("MC-BLACKP", "Blackpool Magistrates' Court"))),
    Region(key="GM", name="Greater Manchester", share=0.08,
           police=("POL-GMP", "Greater Manchester Police"),
           children_services=("CSC-MAN", "Manchester City Council Children's Services"),
           contracted_provider="CRC-CGM",
           towns=(_t("Manchester", "M1", "M8", "M13", "M40"), _t("Salford", "M5", "M6"),
                  _t("Bolton", "BL1"), _t("Oldham", "OL1"), _t("Wigan", "WN1"),
                  _t("Stockport", "SK1"), _t("Rochdale", "OL11")),
           courts=(("MC-MANSAL", "Manchester and Salford Magistrates' Court"),
                   ("CC-MANMIN", "Manchester Crown Court (Minshull Street)"),
                   ("CC-BOLTON", "Bolton Crown Court"),
                   ("MC-TAMES", "Tameside Magistrates' Court"))),
    Region(key="YH", name="Yorkshire and the Humber", share=0.10,
           police=("POL-WYP", "West Yorkshire Police"),
           children_services=("CSC-LDS", "Leeds City Council Children's Services"),
           contracted_provider="CRC-WY",
           towns=(_t("Leeds", "LS1", "LS9", "LS11"), _t("Bradford", "BD1", "BD3"),
                  _t("Sheffield", "S1", "S2", "S5"), _t("Hull", "HU1", "HU3"), _t("York", "YO1"),
                  _t("Doncaster", "DN1"), _t("Wakefield", "WF1")),
           courts=(("MC-LEEDS", "Leeds Magistrates' Court"),
                   ("CC-LEEDS", "Leeds Crown Court"),
                   ("MC-SHEFF", "Sheffield Magistrates' Court"),
                   ("CC-SHEFF", "Sheffield Crown Court"),
                   ("CC-BRADF", "Bradford Crown Court"),
                   ("CC-HULL", "Hull Crown Court"))),
    Region(key="NE", name="North East", share=0.06,
           police=("POL-NOR", "Northumbria Police"),
           children_services=("CSC-NCL", "Newcastle City Council Children's Services"),
           contracted_provider="CRC-NOR",
           towns=(_t("Newcastle upon Tyne", "NE1", "NE4", "NE6"), _t("Sunderland", "SR1"),
                  _t("Middlesbrough", "TS1"), _t("Durham", "DH1"), _t("Gateshead", "NE8"),
                  _t("Hartlepool", "TS24")),
           courts=(("MC-NEWC", "Newcastle upon Tyne Magistrates' Court"),
                   ("CC-NEWC", "Newcastle upon Tyne Crown Court"),
                   ("MC-TEES", "Teesside Magistrates' Court"),
                   ("CC-TEES", "Teesside Crown Court"))),
    Region(key="WM", name="West Midlands", share=0.10,
           police=("POL-WMP", "West Midlands Police"),
           children_services=("CSC-BHM", "Birmingham Children's Trust"),
           contracted_provider="CRC-SWM",
           towns=(_t("Birmingham", "B6", "B10", "B21", "B33"), _t("Coventry", "CV1"),
                  _t("Wolverhampton", "WV1"), _t("Stoke-on-Trent", "ST1"), _t("Walsall", "WS1"),
                  _t("Worcester", "WR1")),
           courts=(("MC-BIRM", "Birmingham Magistrates' Court"),
                   ("CC-BIRM", "Birmingham Crown Court"),
                   ("CC-WOLV", "Wolverhampton Crown Court"),
                   ("MC-COVEN", "Coventry Magistrates' Court"))),
    Region(key="EM", name="East Midlands", share=0.08,
           police=("POL-NOT", "Nottinghamshire Police"),
           children_services=("CSC-NOT", "Nottingham City Council Children's Services"),
           contracted_provider="CRC-SWM",
           towns=(_t("Nottingham", "NG1", "NG7"), _t("Leicester", "LE1", "LE4"),
                  _t("Derby", "DE1"), _t("Lincoln", "LN1"), _t("Northampton", "NN1")),
           courts=(("MC-NOTT", "Nottingham Magistrates' Court"),
                   ("CC-NOTT", "Nottingham Crown Court"),
                   ("MC-LEIC", "Leicester Magistrates' Court"),
                   ("CC-LEIC", "Leicester Crown Court"),
                   ("CC-DERBY", "Derby Crown Court"))),
    Region(key="EE", name="East of England", share=0.08,
           police=("POL-ESS", "Essex Police"),
           children_services=("CSC-ESS", "Essex County Council Children's Services"),
           contracted_provider="CRC-SWM",
           towns=(_t("Norwich", "NR1"), _t("Ipswich", "IP1"), _t("Peterborough", "PE1"),
                  _t("Luton", "LU1"), _t("Chelmsford", "CM1"), _t("Southend-on-Sea", "SS1"),
                  _t("Cambridge", "CB1")),
           courts=(("MC-NORW", "Norwich Magistrates' Court"),
                   ("CC-NORW", "Norwich Crown Court"),
                   ("CC-CHELM", "Chelmsford Crown Court"),
                   ("CC-LUTON", "Luton Crown Court"),
                   ("CC-IPSW", "Ipswich Crown Court"))),
    Region(key="SW", name="South West", share=0.06,
           police=("POL-ASC", "Avon and Somerset Constabulary"),
           children_services=("CSC-BRS", "Bristol City Council Children's Services"),
           contracted_provider="CRC-WAL",
           towns=(_t("Bristol", "BS1", "BS5"), _t("Plymouth", "PL1"), _t("Exeter", "EX1"),
                  _t("Swindon", "SN1"), _t("Bournemouth", "BH1"), _t("Gloucester", "GL1")),
           courts=(("MC-BRIST", "Bristol Magistrates' Court"),
                   ("CC-BRIST", "Bristol Crown Court"),
                   ("CC-EXETER", "Exeter Crown Court"),
                   ("MC-PLYM", "Plymouth Magistrates' Court"))),
    Region(key="SC", name="South Central", share=0.06,
           police=("POL-TVP", "Thames Valley Police"),
           children_services=("CSC-RDG", "Brighter Futures for Children (Reading)"),
           contracted_provider="CRC-KSS",
           towns=(_t("Reading", "RG1"), _t("Oxford", "OX1"), _t("Southampton", "SO14"),
                  _t("Portsmouth", "PO1"), _t("Milton Keynes", "MK9"), _t("Slough", "SL1")),
           courts=(("MC-READ", "Reading Magistrates' Court"),
                   ("CC-READ", "Reading Crown Court"),
                   ("CC-OXF", "Oxford Crown Court"),
                   ("CC-SOTON", "Southampton Crown Court"),
                   ("CC-PORTS", "Portsmouth Crown Court"))),
    Region(key="KSS", name="Kent, Surrey and Sussex", share=0.07,
           police=("POL-KEN", "Kent Police"),
           children_services=("CSC-KEN", "Kent County Council Children's Services"),
           contracted_provider="CRC-KSS",
           towns=(_t("Maidstone", "ME14"), _t("Brighton", "BN1", "BN2"), _t("Canterbury", "CT1"),
                  _t("Crawley", "RH10"), _t("Guildford", "GU1"), _t("Hastings", "TN34")),
           courts=(("CC-MAIDS", "Maidstone Crown Court"),
                   ("CC-CANTE", "Canterbury Crown Court"),
                   ("MC-BRIGH", "Brighton Magistrates' Court"),
                   ("CC-LEWES", "Lewes Crown Court"),
                   ("CC-GUILD", "Guildford Crown Court"))),
    Region(key="WAL", name="Wales", share=0.05,
           police=("POL-SWP", "South Wales Police"),
           children_services=("CSC-CDF", "Cardiff Council Children's Services"),
           contracted_provider="CRC-WAL",
           towns=(_t("Cardiff", "CF10", "CF24"), _t("Swansea", "SA1"), _t("Newport", "NP20"),
                  _t("Wrexham", "LL11"), _t("Bangor", "LL57")),
           courts=(("MC-CARDF", "Cardiff Magistrates' Court"),
                   ("CC-CARDF", "Cardiff Crown Court"),
                   ("CC-SWANS", "Swansea Crown Court"),
                   ("CC-MOLD", "Mold Crown Court"))),
)

# Contracted providers (community rehabilitation companies, 2014-2021) and their names.
CONTRACTED_PROVIDERS: dict[str, str] = {
    "CRC-LDN": "London Community Rehabilitation Company",
    "CRC-CGM": "Cheshire and Greater Manchester Community Rehabilitation Company",
    "CRC-WY": "West Yorkshire Community Rehabilitation Company",
    "CRC-NOR": "Northumbria Community Rehabilitation Company",
    "CRC-SWM": "Staffordshire and West Midlands Community Rehabilitation Company",
    "CRC-KSS": "Kent, Surrey and Sussex Community Rehabilitation Company",
    "CRC-WAL": "Wales Community Rehabilitation Company",
}

EM_PROVIDER = ("EMS", "Electronic Monitoring Service (monitoring centre)")

# Letters Royal Mail never uses in the inward code of a postcode.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

STREETS = ("High Street", "Station Road", "Church Street", "Victoria Road", "Park Road",
           "London Road", "Mill Lane", "Queen Street", "King Street", "Albert Road", "Grange Road",
           "New Road", "Manor Road", "North Street", "School Lane", "Chapel Street", "Green Lane",
           "Springfield Road", "York Road", "Windsor Avenue", "Oxford Street", "Clarence Street",
           "Nelson Street", "Princess Road", "Moss Lane", "Elm Grove", "Cedar Close", "Ash Walk")

# Places named in synthetic exclusion requirements (the zones themselves come from EM).
EXCLUSION_PLACES = ("{town} town centre", "the victim's home street in {town}",
                    "{town} railway station", "the shopping centre in {town}",
                    "the school gates on {street}, {town}")
