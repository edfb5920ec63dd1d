#!/usr/bin/env python3
"""Write deterministic demo data in the import format (docs/import-format.md).

    python scripts/make_demo_data.py --jobcenter middelfart --out docs/examples/middelfart.json
    python scripts/make_demo_data.py --jobcenter skive --out docs/examples/skive.json
    python scripts/make_demo_data.py --jobcenter skive --attendance-rows 1000000 --out big.json

It needs the project's packages (run it with .venv/bin/python) but no settings and no
database: every file is checked with the importer's own dataimport.validation.validate,
and the course rules come from candidates/rules.py. The same arguments always give the
same bytes (one random.Random(seed) drives everything). The centres are the ones the two
jobcentres ran in the national trial (Virksomhedscenterforsøget); persons, CPR numbers,
CVR numbers, addresses and contact data are invented.

Default: two years of history ending on CUT_OFF (2026-10-31), courses still running on that
day, places refilled within 0-10 days. --attendance-rows N makes a benchmark file: more
years (up to ten), then more copies of the centres, until there are at least N attendance
rows. Every file passes validate() - the importer's validation and the places the database
allows - before it is written.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# The project's own rules: the import's validation, the course rules and the code lists.
# They need the project's packages (Django) but no settings and no database.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from candidates import rules  # noqa: E402
from codes.cvr import CVR_WEIGHTS, cvr_is_valid  # noqa: E402
from codes.lists import Barrier  # noqa: E402
from contracts.rules import staff_ratio_limit  # noqa: E402
from dataimport.validation import ExistingRefs  # noqa: E402
from dataimport.validation import validate as import_validate  # noqa: E402

FORMAT = "virksomhedscenter/v1"
CUT_OFF = date(2026, 10, 31)  # the "today" of the demo data: nothing happens after it
DAY = timedelta(days=1)
BARRIERS = tuple(Barrier.values)
SECTIONS = ("jobcenter_costs", "companies", "centres", "contracts", "candidates", "courses")

# Udslusning in the main trial (1,480 candidates), all and under 25, in per cent. The trial
# gives individual internship .. unknown only for all; for the young they are scaled down to
# the 64 % left after education/job/wage subsidy/flex job.
TRIAL_ALL = {
    "uddannelse": 4,
    "ordinaert_job": 11,
    "loentilskud": 8,
    "fleksjob": 2,
    "individuel_praktik": 6,
    "andet_kommunalt_tilbud": 25,
    "behandling": 4,
    "ydelse_stoppet": 5,
    "langtidssygemelding": 14,
    "ukendt": 20,
}
TRIAL_YOUNG_FIXED = {"uddannelse": 12, "ordinaert_job": 14, "loentilskud": 8, "fleksjob": 2}
YOUNG_SHARE = 0.25

# Self-supporting 4 weeks after the course, by outcome (the campaign goal was 20 %).
SELF_SUPPORTING_4W = {
    "uddannelse": 0.85,
    "ordinaert_job": 0.92,
    "loentilskud": 0.1,
    "fleksjob": 0.0,
    "foertidspension": 0.0,
    "ydelse_stoppet": 0.5,
    "langtidssygemelding": 0.02,
}
EARLY_END_OUTCOMES = {"ydelse_stoppet": 0.7, "langtidssygemelding": 0.6, "behandling": 0.6}
RETURNING_OUTCOMES = ("andet_kommunalt_tilbud", "ukendt", "behandling", "individuel_praktik")

EXTENSION_REASONS = (
    "Kandidaten er i god progression, men har brug for længere tid til at opbygge timetal "
    "og stabilt fremmøde.",
    "Afklaringen af arbejdsevnen er ikke afsluttet; der afventes lægelig vurdering.",
    "Forlænget for at afprøve flere arbejdsfunktioner forud for ansættelse med løntilskud.",
    "Særligt behov for forlængelse ud fra en konkret, individuel vurdering: kandidaten er "
    "sideløbende i behandling.",
    "Virksomheden overvejer ordinær ansættelse; forlænget for at afslutte oplæringen.",
    "Kandidaten skal fortsætte danskundervisning ved siden af praktikken for at nå delmålene.",
    "Forlænget for at dokumentere arbejdsevnen til ressourceprofilen.",
)

MALE_NAMES = (
    "Anders", "Bo", "Christian", "Daniel", "Emil", "Frederik", "Henrik", "Jakob", "Jens",
    "Jonas", "Kasper", "Lars", "Mads", "Martin", "Mathias", "Michael", "Mikkel", "Morten",
    "Niels", "Nikolaj", "Ole", "Peter", "Rasmus", "Simon", "Søren", "Thomas", "Tobias",
    "Allan", "Brian", "Kenneth", "Jesper", "Kim", "Torben", "Lasse", "Magnus", "Oliver",
)  # fmt: skip
FEMALE_NAMES = (
    "Anne", "Birgitte", "Camilla", "Charlotte", "Dorthe", "Emma", "Hanne", "Helle", "Ida",
    "Julie", "Karina", "Katrine", "Laura", "Lene", "Louise", "Maria", "Mette", "Nanna",
    "Pia", "Rikke", "Sanne", "Signe", "Susanne", "Tina", "Trine", "Vibeke", "Sofie",
    "Cecilie", "Gitte", "Jeanette", "Malene", "Line", "Freja", "Marianne",
)  # fmt: skip
LAST_NAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
    "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen",
    "Jakobsen", "Mikkelsen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt",
    "Eriksen", "Holm", "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen",
)  # fmt: skip
# Candidates with a language barrier: refugees and migrants, as in the seeds' cases.
MALE_NAMES_MIGRANT = ("Abdul", "Ahmad", "Ali", "Hassan", "Omar", "Yusuf", "Tomasz", "Andrei")
FEMALE_NAMES_MIGRANT = ("Amina", "Fatima", "Leyla", "Samira", "Zainab", "Agnieszka", "Elena")
LAST_NAMES_MIGRANT = (
    "Ahmadi", "Hussein", "Karimi", "Mohamud", "Osman", "Haddad", "Nowak", "Popescu", "Rahimi",
)  # fmt: skip

GENERAL_WISHES = (
    "butik", "lager", "køkken", "rengøring", "pedel", "produktion", "pleje", "gartneri",
    "chauffør", "kontor", "børn", "hotel", "kantine", "ved ikke endnu",
)  # fmt: skip


# --- the two jobcentres ------------------------------------------------------------------


# The day the demo companies' written statements on the staff-ratio rule were given.
RATIO_STATEMENT_ON = date(2024, 10, 15)


@dataclass(frozen=True)
class Company:
    name: str
    branche: str
    sector: str
    address: str
    postal_code: str
    city: str
    employees: int
    union_rep: bool = True


@dataclass(frozen=True)
class CentreSpec:
    """One company centre and how its contracts, candidates and courses are drawn."""

    company: Company
    name: str
    model: str
    work_tasks: tuple[str, ...]
    special_requirements: str
    support_activities: tuple[str, ...]
    places: tuple[int, ...]  # per successive contract; the last repeats
    payments: tuple[dict, ...]  # per successive contract; the last repeats
    goals_text: str
    goal_job: int
    goal_education: int
    target_group: str
    wishes: tuple[str, ...]
    age: tuple[int, int] = (18, 64)
    young_share: float = 0.25
    target_barriers: tuple[str, ...] = ()
    excluded_barriers: tuple[str, ...] = ()  # special requirements rule these out
    network: tuple[Company, ...] = ()
    project_share: float = 0.0  # share of courses as saerligt_tilrettelagt_projekt
    establishment_amount: int = 0  # on the first contract
    opens: date | None = None
    closes: date | None = None
    single_long_contract: bool = False  # else calendar renewals every two years


def _pay_place(amount: int) -> dict:
    return {"model": "per_place_month", "amount": amount}


def _pay_week(amount: int) -> dict:
    return {"model": "per_candidate_week", "amount": amount}


def _pay_mentor(hours: int, rate: int) -> dict:
    return {"model": "mentor_hours", "hours_per_week": hours, "hourly_rate": rate}


TRAINING_ONLY = {"model": "training_only"}
TARGET_MATCH = "Kontanthjælpsmodtagere i matchgruppe 3-5 samt sygedagpengemodtagere og personer "
GOALS_STANDARD = (
    "Afklaring og udredning af kandidaternes arbejdsevne gennem rigtige arbejdsopgaver. "
    "Opbygning af arbejdsidentitet, stabilt fremmøde og et stigende timetal med henblik på "
    "job eller uddannelse."
)

MIDDELFART = (
    CentreSpec(
        company=Company(
            "Comwell Middelfart A/S",
            "service_kultur",
            "private",
            "Kongebrovej 19",
            "5500",
            "Middelfart",
            40,
        ),
        name="Virksomhedscenter Comwell Middelfart",
        model="virtuelt",
        work_tasks=("rengøring", "køkken", "reception", "pedelopgaver"),
        special_requirements="Arbejdstøj udleveres. Rimelig standard for personlig hygiejne.",
        support_activities=("danskundervisning", "motion"),
        places=(4, 5),
        payments=(_pay_place(1500),),
        goals_text=GOALS_STANDARD + " Hotellet rekrutterer gerne blandt kandidaterne.",
        goal_job=20,
        goal_education=5,
        target_group=TARGET_MATCH + "på ledighedsydelse.",
        wishes=("hotel", "køkken", "rengøring", "reception"),
    ),
    CentreSpec(
        company=Company(
            "Føtex Middelfart", "detail", "private", "Havnegade 8", "5500", "Middelfart", 150
        ),
        name="Virksomhedscenter Føtex Middelfart",
        model="virtuelt",
        work_tasks=(
            "Quick Food",
            "kasselinjer",
            "food",
            "nonfood",
            "lager",
            "grønne udendørsarealer",
        ),
        special_requirements=(
            "Ren straffeattest, ingen misbrugsproblemer og rimelig standard for personlig hygiejne."
        ),
        support_activities=("danskundervisning", "introduktionsforløb i butikken"),
        places=(6,),
        payments=(_pay_week(450), _pay_week(475)),
        goals_text=GOALS_STANDARD,
        goal_job=20,
        goal_education=10,
        target_group=TARGET_MATCH + "på ledighedsydelse uden misbrug og uden domme.",
        wishes=("butik", "lager", "kasse", "bageri"),
        excluded_barriers=("kriminalitet", "misbrug"),
    ),
    CentreSpec(
        company=Company(
            "Gelsted Plejecenter",
            "offentlig",
            "public",
            "Plejecentervej 2",
            "5591",
            "Gelsted",
            60,
        ),
        name="Virksomhedscenter Gelsted Plejecenter",
        model="virtuelt",
        work_tasks=(
            "pleje",
            "køkken",
            "vaskeri",
            "indendørs serviceopgaver",
            "udendørs serviceopgaver",
        ),
        special_requirements="Ren straffeattest. Tavshedspligt over for beboernes forhold.",
        support_activities=("motion", "psykologhjælp"),
        places=(5,),
        payments=(TRAINING_ONLY,),
        goals_text=(
            GOALS_STANDARD + " Kandidaterne afprøver job som serviceassistent og "
            "social- og sundhedshjælper."
        ),
        goal_job=10,
        goal_education=15,
        target_group=TARGET_MATCH + "på ledighedsydelse; også kandidater med fysiske skånehensyn.",
        wishes=("pleje", "køkken", "rengøring", "social- og sundhedshjælper"),
        target_barriers=("psykisk", "fysisk"),
        excluded_barriers=("kriminalitet",),
    ),
    CentreSpec(
        company=Company(
            "Kvickly Middelfart", "detail", "private", "Algade 35", "5500", "Middelfart", 135
        ),
        name="Virksomhedscenter Kvickly Middelfart",
        model="virtuelt",
        work_tasks=("frugt og grønt", "slagter", "tekstil", "bager"),
        special_requirements="Ren straffeattest.",
        support_activities=("danskundervisning",),
        places=(6,),
        payments=(_pay_mentor(13, 210),),
        goals_text=GOALS_STANDARD + " Social ansvarlighed er en fast del af Kvickly-kulturen.",
        goal_job=20,
        goal_education=10,
        target_group=TARGET_MATCH + "på ledighedsydelse; gerne kandidater med sprogbarrierer.",
        wishes=("butik", "slagter", "bageri", "lager"),
        target_barriers=("sprog",),
        excluded_barriers=("kriminalitet",),
    ),
    CentreSpec(
        company=Company(
            "Scandic Food A/S", "produktion", "private", "Industrivej 12", "5500", "Middelfart", 30
        ),
        name="Virksomhedscenter Scandic Food",
        model="aaben_sideproduktion",
        work_tasks=(
            "nicheproduktion af dressing",
            "saucer",
            "frugtbaserede produkter",
            "emballering",
            "rengøring af produktionsudstyr",
        ),
        special_requirements="Hygiejneregler for fødevareproduktion; kittel og hårnet udleveres.",
        support_activities=("motion",),
        places=(4,),
        payments=(_pay_place(1200),),
        goals_text=(
            "Træningsbane i en nicheproduktion, der ikke er profitabel og ikke erstatter "
            "fastansatte. Afklaring af arbejdsevne og opbygning af arbejdsvaner."
        ),
        goal_job=15,
        goal_education=5,
        target_group=TARGET_MATCH + "på ledighedsydelse.",
        wishes=("produktion", "lager", "køkken"),
        project_share=0.5,
        establishment_amount=15000,
        closes=date(2026, 3, 31),  # low season cut the production: the centre closed
        single_long_contract=True,
    ),
    CentreSpec(
        company=Company(
            "Lillebælt Vikarservice ApS",
            "service_kultur",
            "private",
            "Teglgårdsvej 4",
            "5500",
            "Middelfart",
            20,
            union_rep=False,
        ),
        name="Virksomhedscenter Lillebælt Vikarservice",
        model="satellitbaseret",
        work_tasks=("lager", "rengøring", "gartneri", "pakning"),
        special_requirements="Kørekort er en fordel; arbejdssteder skifter efter behov.",
        support_activities=("jobsøgning", "danskundervisning"),
        places=(4,),
        payments=(_pay_week(500),),
        goals_text=(
            "Vikarbureauet finder praktikpladser hos sine kundevirksomheder, følger op og "
            "udsluser kandidaterne til job."
        ),
        goal_job=30,
        goal_education=5,
        target_group="Jobparate og aktivitetsparate ledige tæt på ordinær beskæftigelse.",
        wishes=("lager", "rengøring", "gartneri", "chauffør"),
        network=(
            Company(
                "Strib Gartneri ApS",
                "transport_bygge",
                "private",
                "Gartnervej 3",
                "5500",
                "Middelfart",
                18,
                union_rep=False,
            ),
            Company(
                "Lillebælt Rengøring ApS",
                "service_kultur",
                "private",
                "Fabriksvej 21",
                "5500",
                "Middelfart",
                45,
            ),
            Company(
                "Nørre Aaby Lager og Logistik A/S",
                "transport_bygge",
                "private",
                "Industriparken 7",
                "5580",
                "Nørre Aaby",
                70,
            ),
        ),
        establishment_amount=10000,
        opens=date(2026, 4, 1),
        single_long_contract=True,
    ),
)

SKIVE = (
    CentreSpec(
        company=Company(
            "Resen Daginstitution", "offentlig", "public", "Resenvej 101", "7800", "Skive", 25
        ),
        name="Virksomhedscenter Resen Daginstitution",
        model="virtuelt",
        work_tasks=("pædagogmedhjælp", "køkken", "rengøring", "udendørs vedligehold"),
        special_requirements="Børneattest og ren straffeattest.",
        support_activities=("vejledning om uddannelse", "motion"),
        places=(4,),
        payments=(TRAINING_ONLY,),
        goals_text=(
            "Unge kandidater afprøver, om job eller uddannelse som pædagogmedhjælper kan være "
            "vejen frem. Trepartsaftale mellem kandidat, mentor og jobkonsulent."
        ),
        goal_job=10,
        goal_education=25,
        target_group="Unge på uddannelseshjælp eller kontanthjælp under 30 år.",
        wishes=("børn", "pædagogmedhjælper", "køkken"),
        age=(18, 29),
        young_share=0.6,
        excluded_barriers=("kriminalitet", "misbrug"),
    ),
    CentreSpec(
        company=Company(
            "Eta-Tau Erhvervspark",
            "service_kultur",
            "private",
            "Erhvervsparken 1",
            "7800",
            "Skive",
            30,
        ),
        name="Virksomhedscenter Eta-Tau Erhvervspark",
        model="netvaerksbaseret",
        work_tasks=(
            "kontorservice",
            "kantine",
            "rengøring",
            "pedel- og vedligeholdelsesopgaver",
            "lager hos netværksvirksomhederne",
        ),
        special_requirements="Ingen.",
        support_activities=("danskundervisning", "motion", "økonomirådgivning"),
        places=(5, 6),
        payments=(_pay_mentor(12, 190),),
        goals_text=(
            "Servicekontoret koordinerer forløb i kernevirksomheden og hos virksomhederne i "
            "erhvervsparken; varierende opgaver og et stort netværk ved udslusning."
        ),
        goal_job=20,
        goal_education=10,
        target_group=TARGET_MATCH + "på ledighedsydelse.",
        wishes=("kontor", "kantine", "pedel", "lager"),
        network=(
            Company(
                "Tau Kontorservice ApS",
                "service_kultur",
                "private",
                "Erhvervsparken 3",
                "7800",
                "Skive",
                9,
                union_rep=False,
            ),
            Company(
                "Skive Maskinværksted ApS",
                "produktion",
                "private",
                "Erhvervsparken 8",
                "7800",
                "Skive",
                22,
            ),
            Company(
                "Limfjordens Emballage ApS",
                "produktion",
                "private",
                "Erhvervsparken 12",
                "7800",
                "Skive",
                35,
            ),
        ),
    ),
    CentreSpec(
        company=Company("Føtex Skive", "detail", "private", "Adelgade 20", "7800", "Skive", 140),
        name="Virksomhedscenter Føtex Skive",
        model="virtuelt",
        work_tasks=("kasselinjer", "frugt og grønt", "food", "nonfood", "lager", "bageri"),
        special_requirements=(
            "Ren straffeattest, ingen misbrugsproblemer og rimelig standard for personlig hygiejne."
        ),
        support_activities=("danskundervisning",),
        places=(6, 7),
        payments=(_pay_place(1500),),
        goals_text=GOALS_STANDARD,
        goal_job=25,
        goal_education=10,
        target_group=TARGET_MATCH + "på ledighedsydelse uden misbrug og uden domme.",
        wishes=("butik", "lager", "kasse", "bageri"),
        excluded_barriers=("kriminalitet", "misbrug"),
    ),
    CentreSpec(
        company=Company(
            "Jeld-Wen A/S", "produktion", "private", "Fabriksvej 30", "7800", "Skive", 350
        ),
        name="Virksomhedscenter Jeld-Wen",
        model="aaben_sideproduktion",
        work_tasks=(
            "montage af beslag",
            "pakning",
            "lagerarbejde uden truck",
            "oprydning i produktionen",
        ),
        special_requirements="Sikkerhedssko udleveres; sikkerhedsinstruktion før start.",
        support_activities=("motion", "danskundervisning"),
        places=(5,),
        payments=(_pay_place(1500),),
        goals_text=(
            GOALS_STANDARD + " De stærkeste kandidater lånes ud til andre afdelinger for at "
            "øge mulighederne for udslusning."
        ),
        goal_job=20,
        goal_education=5,
        target_group=TARGET_MATCH + "på ledighedsydelse.",
        wishes=("produktion", "lager", "montage"),
        project_share=0.3,
    ),
    CentreSpec(
        company=Company(
            "Plejecenter Gammelgård",
            "offentlig",
            "public",
            "Gammelgårdsvej 5",
            "7800",
            "Skive",
            80,
        ),
        name="Virksomhedscenter Plejecenter Gammelgård",
        model="virtuelt",
        work_tasks=("pleje", "køkken", "vaskeri", "aktiviteter med beboerne", "servicemedarbejder"),
        special_requirements="Ren straffeattest. Tavshedspligt over for beboernes forhold.",
        support_activities=("psykologhjælp", "motion"),
        places=(5,),
        payments=(_pay_place(1500),),
        goals_text=(
            GOALS_STANDARD + " Kandidaterne kan afprøve uddannelse inden for social og sundhed."
        ),
        goal_job=10,
        goal_education=15,
        target_group=TARGET_MATCH + "på ledighedsydelse.",
        wishes=("pleje", "køkken", "social- og sundhedshjælper"),
        target_barriers=("psykisk",),
        excluded_barriers=("kriminalitet",),
        single_long_contract=True,
    ),
    CentreSpec(
        company=Company(
            "Best Western Gl. Skivehus og Restaurant Barbara's",
            "service_kultur",
            "private",
            "Søndre Boulevard 1",
            "7800",
            "Skive",
            55,
        ),
        name="Virksomhedscenter Gl. Skivehus",
        model="virtuelt",
        work_tasks=("køkkenhjælp", "opvask", "rengøring af værelser", "servering", "restaurant"),
        special_requirements="Arbejdstøj udleveres. Aftenvagter kan forekomme.",
        support_activities=("danskundervisning",),
        places=(5,),
        payments=(_pay_place(1500),),
        goals_text=GOALS_STANDARD,
        goal_job=25,
        goal_education=10,
        target_group=TARGET_MATCH + "på ledighedsydelse; gerne unge.",
        wishes=("hotel", "køkken", "restaurant", "rengøring"),
        young_share=0.27,
    ),
    CentreSpec(
        company=Company("Gramo A/S", "produktion", "private", "Trykkerivej 6", "7800", "Skive", 45),
        name="Virksomhedscenter Gramo",
        model="aaben_sideproduktion",
        work_tasks=("efterbehandling af tryksager", "pakning og forsendelse", "lager"),
        special_requirements="Ingen.",
        support_activities=("motion",),
        places=(4,),
        payments=(_pay_week(350),),
        goals_text=GOALS_STANDARD,
        goal_job=15,
        goal_education=5,
        target_group=TARGET_MATCH + "på ledighedsydelse.",
        wishes=("produktion", "lager", "pakning"),
        project_share=0.2,
        single_long_contract=True,
    ),
)

JOBCENTRES = {
    # jobkonsulent salaries and mentor courses per year (Skive's own cost example for 2025:
    # 375,000 kr for the jobkonsulent and 50,000 kr for mentor courses).
    "middelfart": {"centres": MIDDELFART, "salaries": 350000, "courses": 40000, "seed": 3},
    "skive": {"centres": SKIVE, "salaries": 375000, "courses": 50000, "seed": 2},
}


# --- calendar --------------------------------------------------------------------------


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month = (h + m - 7 * n + 114) // 31
    return date(year, month, (h + m - 7 * n + 114) % 31 + 1)


def _holidays(year: int) -> set[date]:
    """Days a workplace is normally closed (store bededag was abolished from 2024)."""
    easter = _easter(year)
    days = {easter + timedelta(days=n) for n in (-3, -2, 1, 39, 50)}
    days |= {date(year, 1, 1), date(year, 6, 5), date(year, 12, 24), date(year, 12, 25)}
    days |= {date(year, 12, 26), date(year, 12, 31)}
    if year < 2024:
        days.add(easter + timedelta(days=26))
    return days


_HOLIDAYS: dict[int, set[date]] = {}


def is_workday(day: date) -> bool:
    if day.year not in _HOLIDAYS:
        _HOLIDAYS[day.year] = _holidays(day.year)
    return day.weekday() < 5 and day not in _HOLIDAYS[day.year]


def next_workday(day: date) -> date:
    while not is_workday(day):
        day += DAY
    return day


def previous_workday(day: date) -> date:
    while not is_workday(day):
        day -= DAY
    return day


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- numbers -----------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _outcome_weights() -> tuple[dict, dict]:
    """(under 25, 25 and over) so that a 25 % young population gives the trial's 'all'."""
    rest_all = {k: v for k, v in TRIAL_ALL.items() if k not in TRIAL_YOUNG_FIXED}
    scale = (100 - sum(TRIAL_YOUNG_FIXED.values())) / sum(rest_all.values())
    young = dict(TRIAL_YOUNG_FIXED) | {k: v * scale for k, v in rest_all.items()}
    older = {
        k: max((TRIAL_ALL[k] - YOUNG_SHARE * young[k]) / (1 - YOUNG_SHARE), 0.5) for k in TRIAL_ALL
    }
    older["foertidspension"] = 1.0  # not in the trial's table; rare, only for the older
    return young, older


OUTCOME_YOUNG, OUTCOME_OLDER = _outcome_weights()


def _ascii(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "'": ""})
    return text.lower().translate(table).replace(" ", "-").replace(".", "").replace("/", "-")


# --- the generator -----------------------------------------------------------------------


@dataclass
class Term:
    """A contract while its courses are drawn."""

    ref: str
    spec: CentreSpec
    start: date
    end: date
    places: int


@dataclass
class Person:
    ref: str
    birth_date: date
    barriers: tuple[str, ...]
    reliability: str
    free_from: date = date.min  # earliest start of a next course


class Generator:
    def __init__(self, jobcenter: str, seed: int, history_start: date):
        self.jobcenter = jobcenter
        self.rng = random.Random(seed)
        self.history_start = history_start
        self.consultant = f"jobkonsulent@{jobcenter}.demo.dk"
        self.data: dict[str, list] = {name: [] for name in (*SECTIONS, "attendance")}
        self.counters: Counter = Counter()
        self.cvrs: set[str] = set()
        self.p_numbers: set[str] = set()
        self.cprs: set[str] = set()

    def _ref(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{prefix}{self.counters[prefix]}"

    # small draws
    def _name(self, male: bool, migrant: bool = False) -> str:
        rng = self.rng
        if migrant:
            first = rng.choice(MALE_NAMES_MIGRANT if male else FEMALE_NAMES_MIGRANT)
            return f"{first} {rng.choice(LAST_NAMES_MIGRANT)}"
        first = rng.choice(MALE_NAMES if male else FEMALE_NAMES)
        return f"{first} {rng.choice(LAST_NAMES)}"

    def _phone(self) -> str:
        digits = f"{self.rng.choice('2345')}{self.rng.randrange(10**7):07d}"
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))

    def _cvr(self) -> str:
        while True:
            head = f"{self.rng.randint(2, 4)}{self.rng.randrange(10**6):06d}"
            check = -sum(int(d) * w for d, w in zip(head, CVR_WEIGHTS, strict=False)) % 11
            cvr = f"{head}{check}"
            if check < 10 and cvr not in self.cvrs:
                assert cvr_is_valid(cvr)
                self.cvrs.add(cvr)
                return cvr

    def _p_number(self) -> str:
        while True:
            p_number = f"10{self.rng.randrange(10**8):08d}"
            if p_number not in self.p_numbers:
                self.p_numbers.add(p_number)
                return p_number

    def _cpr(self, birth: date, male: bool) -> str:
        """DDMMYY + 4 digits; the 7th digit follows the century rule, the last the sex."""
        while True:
            century_digit = self.rng.randint(0, 3) if birth.year < 2000 else self.rng.randint(4, 9)
            middle = self.rng.randrange(100)
            last = self.rng.randrange(1 if male else 0, 10, 2)
            cpr = f"{birth:%d%m%y}{century_digit}{middle:02d}{last}"
            if cpr not in self.cprs:
                self.cprs.add(cpr)
                return cpr

    # sections
    def add_costs(self, years: range) -> None:
        spec = JOBCENTRES[self.jobcenter]
        for year in years:
            factor = 1.025 ** (year - 2025)  # salaries follow the 2025 figures by ~2.5 % a year
            self.data["jobcenter_costs"].append(
                {
                    "year": year,
                    "jobkonsulent_salaries": int(round(spec["salaries"] * factor, -3)),
                    "mentor_courses": int(round(spec["courses"] * factor, -3)),
                }
            )

    def _company(self, company: Company, copy: int) -> str:
        rng = self.rng
        ref = self._ref("c")
        name = company.name if copy == 1 else f"{company.name} (kopi {copy})"
        contact_male = rng.random() < 0.5
        contact = self._name(contact_male)
        domain = f"{_ascii(company.name)}.example.com"
        self.data["companies"].append(
            {
                "ref": ref,
                "name": name,
                "cvr": self._cvr(),
                "p_number": self._p_number(),
                "branche": company.branche,
                "sector": company.sector,
                "address": company.address,
                "postal_code": company.postal_code,
                "city": company.city,
                "employees": company.employees,
                "contact_name": contact,
                "contact_email": f"{_ascii(contact).replace('-', '.')}@{domain}",
                "contact_phone": self._phone(),
                "union_rep": self._name(rng.random() < 0.5) if company.union_rep else None,
                # The written statement on the staff-ratio rule (rimelighedskravet), given
                # by the employer and the union representative before the first placement;
                # a company without a representative must still get one (the demo shows it).
                "ratio_statement_on": RATIO_STATEMENT_ON.isoformat() if company.union_rep else None,
            }
        )
        return ref

    def _terms(self, spec: CentreSpec) -> list[tuple[date, date]]:
        """Contract periods: from opening, renewed for two calendar years at a time."""
        start = max(self.history_start, spec.opens or date.min)
        periods = []
        end = date(start.year + (2 if spec.single_long_contract else 1), 12, 31)
        while True:
            if spec.closes and end >= spec.closes:
                periods.append((start, spec.closes))
                break
            if end >= CUT_OFF + timedelta(days=60):
                # the running contract: long enough for the courses still running
                if spec.single_long_contract:
                    end = max(end, date(CUT_OFF.year + 1, 6, 30))
                periods.append((start, end))
                break
            periods.append((start, end))
            start, end = end + DAY, date(end.year + 2, 12, 31)
        return periods

    def add_copy(self, copy: int, specs: tuple[CentreSpec, ...]) -> None:
        terms: list[Term] = []
        for spec in specs:
            company_ref = self._company(spec.company, copy)
            network = [self._company(c, copy) for c in spec.network]
            centre_ref = self._ref("vc")
            self.data["centres"].append(
                {
                    "ref": centre_ref,
                    "company": company_ref,
                    "name": spec.name if copy == 1 else f"{spec.name} (kopi {copy})",
                    "model": spec.model,
                    "network_companies": network,
                    "work_tasks": list(spec.work_tasks),
                    "special_requirements": spec.special_requirements,
                    "support_activities": list(spec.support_activities),
                    "consultant_email": self.consultant,
                }
            )
            for index, (start, end) in enumerate(self._terms(spec)):
                places = spec.places[min(index, len(spec.places) - 1)]
                # Rimelighedskravet: the centre's workplace (its company's P-number) takes
                # no more persons than its ordinary employees allow.
                if places > staff_ratio_limit(spec.company.employees):
                    raise SystemExit(
                        f"{spec.name}: {places} pladser, men {spec.company.employees} ansatte "
                        f"tillader højst {staff_ratio_limit(spec.company.employees)}"
                    )
                payment = dict(spec.payments[min(index, len(spec.payments) - 1)])
                ref = self._ref("k")
                mentor_hours = round(10 + (places - 4) * 1.25)  # 10 h for 4, 15 h for 8
                if payment["model"] == "mentor_hours":
                    mentor_hours = payment["hours_per_week"]
                self.data["contracts"].append(
                    {
                        "ref": ref,
                        "centre": centre_ref,
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                        "places": places,
                        "mentor_hours_per_week": mentor_hours,
                        "payment": payment,
                        "establishment_amount": spec.establishment_amount if index == 0 else 0,
                        "goals_text": spec.goals_text,
                        "goal_ordinary_job_pct": spec.goal_job,
                        "goal_education_pct": spec.goal_education,
                        "target_group": spec.target_group,
                        "target_age_min": spec.age[0],
                        "target_age_max": spec.age[1],
                        "target_barriers": list(spec.target_barriers),
                    }
                )
                terms.append(Term(ref, spec, start, end, places))
        self._courses(terms)

    def _courses(self, terms: list[Term]) -> None:
        """Fill every place of every contract, earliest free place first.

        Drawing in start order over the whole jobcentre lets a candidate come back for a
        second course without ever overlapping the first.
        """
        rng = self.rng
        heap: list[tuple[date, int, int]] = []
        seq = 0
        for index, term in enumerate(terms):
            first = term.start == max(self.history_start, term.spec.opens or date.min)
            for _ in range(term.places):
                # a new centre fills up over three weeks, a renewal within a week
                stagger = rng.randint(0, 21 if first else 7)
                heap.append((term.start + timedelta(days=stagger), seq, index))
                seq += 1
        heapq.heapify(heap)
        returning: list[Person] = []
        while heap:
            free, _, index = heapq.heappop(heap)
            term = terms[index]
            start = next_workday(free)
            if start > CUT_OFF or (term.end - start).days < 28:
                continue
            person = self._pick_candidate(term.spec, start, returning)
            occupied_until, outcome = self._course(term, person, start)
            if outcome is None:
                continue  # still running on CUT_OFF: the place stays taken
            person.free_from = occupied_until + timedelta(days=21)
            if outcome in RETURNING_OUTCOMES and rng.random() < 0.5:
                returning.append(person)
            gap = rng.choice((0, 0, 1, 2, 3, 3, 4, 5, 7, 10))
            heapq.heappush(heap, (occupied_until + timedelta(days=1 + gap), seq, index))
            seq += 1

    def _pick_candidate(self, spec: CentreSpec, start: date, returning: list[Person]) -> Person:
        rng = self.rng
        if returning and rng.random() < 0.12:
            for i, person in enumerate(returning):
                age = _age(person.birth_date, start)
                if (
                    person.free_from <= start
                    and spec.age[0] <= age <= spec.age[1]
                    and not set(person.barriers) & set(spec.excluded_barriers)
                ):
                    return returning.pop(i)
        return self._new_candidate(spec, start)

    def _new_candidate(self, spec: CentreSpec, start: date) -> Person:
        rng = self.rng
        young = rng.random() < spec.young_share
        if young:
            age = rng.randint(max(18, spec.age[0]), min(24, spec.age[1]))
        else:
            age = round(rng.triangular(max(25, spec.age[0]), min(62, spec.age[1]), 38))
        birth = years_before(start, age) - timedelta(days=rng.randrange(365))
        male = rng.random() < 0.55
        barriers = set()
        chances = {"psykisk": 0.38, "misbrug": 0.16, "sprog": 0.22, "kriminalitet": 0.08}
        chances["fysisk"] = 0.12 if young else 0.3
        if young and male:
            chances["misbrug"], chances["kriminalitet"] = 0.26, 0.14
        for barrier in spec.target_barriers:
            chances[barrier] = min(0.7, chances[barrier] * 1.8)
        for barrier, chance in chances.items():
            if barrier not in spec.excluded_barriers and rng.random() < chance:
                barriers.add(barrier)
        migrant = "sprog" in barriers
        if young:
            benefit = _weighted(
                rng,
                {
                    "uddannelseshjaelp": 70,
                    "kontanthjaelp": 8,
                    "sygedagpenge": 5,
                    "ressourceforloeb": 10,
                    "forsikret_ledig": 5,
                    "starthjaelp": 6 if migrant else 0,
                },
            )
            education = _weighted(rng, {"ingen_grundskole": 30, "grundskole": 55, "gymnasial": 10})
            years = _weighted(rng, {"aldrig": 40, "under_1": 45, "1_3": 15})
        else:
            benefit = _weighted(
                rng,
                {
                    "kontanthjaelp": 50,
                    "sygedagpenge": 12,
                    "ledighedsydelse": 8,
                    "ressourceforloeb": 14,
                    "forsikret_ledig": 6,
                    "starthjaelp": 25 if migrant else 0,
                    "uddannelseshjaelp": 6 if age < 30 else 0,
                },
            )
            education = _weighted(
                rng,
                {
                    "ingen_grundskole": 18,
                    "grundskole": 45,
                    "gymnasial": 12,
                    "erhvervsfaglig_eller_videregaaende": 25,
                },
            )
            years = _weighted(rng, {"aldrig": 12, "under_1": 28, "1_3": 28, "over_3": 32})
        wishes = rng.sample(spec.wishes, rng.randint(1, 2))
        if rng.random() < 0.5:
            wishes.append(rng.choice(GENERAL_WISHES))
        name = self._name(male, migrant and rng.random() < 0.8)
        ref = self._ref("p")
        email = None
        if rng.random() < 0.65:
            email = f"{_ascii(name).replace('-', '.')}.{ref[1:]}@example.com"
        self.data["candidates"].append(
            {
                "ref": ref,
                "cpr": self._cpr(birth, male),
                "name": name,
                "birth_date": birth.isoformat(),
                "benefit": benefit,
                "matchgruppe": _weighted(rng, {1: 2, 2: 15, 3: 20, 4: 50, 5: 13}),
                "education": education,
                "labour_market_years": years,
                "barriers": [b for b in BARRIERS if b in barriers],
                "wishes": ", ".join(dict.fromkeys(wishes)),
                "phone": self._phone() if rng.random() < 0.9 else None,
                "email": email,
            }
        )
        reliability = _weighted(rng, {"stable": 60, "medium": 30, "unstable": 10})
        return Person(ref, birth, tuple(sorted(barriers)), reliability)

    def _course(self, term: Term, person: Person, start: date) -> tuple[date, str | None]:
        """Add one course; return (last occupied day, outcome or None when running)."""
        rng = self.rng
        young = rules.is_young(birth_date=person.birth_date, day=start)
        outcome = _weighted(rng, OUTCOME_YOUNG if young else OUTCOME_OLDER)
        if outcome == "foertidspension" and _age(person.birth_date, start) < 40:
            outcome = "andet_kommunalt_tilbud"
        early = rng.random() < EARLY_END_OUTCOMES.get(outcome, 0.08)
        # about a third extended beyond 13 weeks; known only ~10 weeks into a course
        extended = (
            not early
            and rng.random() < 0.5
            and (start + timedelta(days=70)) <= CUT_OFF
            and (term.end - start).days > 120
        )
        weeks = rng.choice((26, 26, 26, 39)) if extended else 13
        planned_end = min(start + timedelta(days=weeks * 7 - 1), term.end)
        if not rules.is_extended(start=start, last_day=planned_end):
            extended = False
        if early:
            end = start + timedelta(days=rng.randint(10, 80))
        elif extended:
            end = planned_end
            if rng.random() < 0.4:
                end = start + timedelta(
                    days=rng.randint(rules.NORMAL_COURSE_DAYS + 1, (planned_end - start).days)
                )
        else:
            end = planned_end - timedelta(days=rng.choice((0, 0, 0, 0, 1, 3, 5, 10, 20)))
        end = max(previous_workday(min(end, planned_end)), start)
        running = end > CUT_OFF
        hours = _weighted(rng, {8: 6, 10: 10, 12: 8, 15: 16, 18: 6, 20: 20, 25: 12, 30: 12, 37: 10})
        legal_frame = (
            "saerligt_tilrettelagt_projekt"
            if rng.random() < term.spec.project_share
            else "virksomhedspraktik"
        )
        ref = self._ref("f")
        follow_ups: list[bool | None] = [None, None, None]
        if not running:
            supporting = rng.random() < SELF_SUPPORTING_4W.get(outcome, 0.1)
            for i, weeks_after in enumerate(rules.FOLLOW_UP_WEEKS):
                if i:
                    stay = 0.88 if supporting else (0.25 if outcome == "loentilskud" else 0.08)
                    supporting = rng.random() < stay
                if end + timedelta(weeks=weeks_after) <= CUT_OFF:
                    follow_ups[i] = supporting
        reason = consulted = None
        if extended:
            reason = rng.choice(EXTENSION_REASONS)
            consulted_on = next_workday(start + timedelta(days=rng.randint(56, 84)))
            consulted = min(consulted_on, CUT_OFF, end).isoformat()
        self.data["courses"].append(
            {
                "ref": ref,
                "candidate": person.ref,
                "contract": term.ref,
                "start": start.isoformat(),
                "planned_end": planned_end.isoformat(),
                "end": None if running else end.isoformat(),
                "hours_per_week": hours,
                "legal_frame": legal_frame,
                "outcome": None if running else outcome,
                "self_supporting_4w": follow_ups[0],
                "self_supporting_13w": follow_ups[1],
                "self_supporting_26w": follow_ups[2],
                "extension_reason": reason,
                "representatives_consulted_on": consulted,
            }
        )
        self._attendance(ref, start, min(end, CUT_OFF), hours, person, None if running else outcome)
        return (planned_end, None) if running else (end, outcome)

    def _attendance(
        self, ref: str, start: date, last: date, hours_per_week: int, person: Person, outcome
    ) -> None:
        rng = self.rng
        daily = max(0.5, round(hours_per_week / 5 * 2) / 2)
        sick, absent, agreed = {
            "stable": (0.03, 0.01, 0.02),
            "medium": (0.07, 0.04, 0.03),
            "unstable": (0.14, 0.12, 0.04),
        }[person.reliability]
        summer = rng.random() < 0.7
        summer_start = rng.randint(0, 14)
        sick_from = last - timedelta(days=rng.randint(7, 28))  # before a long-term sick leave
        rows = self.data["attendance"]
        day = start
        while day <= last:
            if is_workday(day):
                row = {"course": ref, "date": day.isoformat()}
                draw = rng.random()
                in_summer = (
                    summer and day.month == 7 and summer_start <= day.day - 1 < summer_start + 15
                )
                if in_summer or (day.month == 12 and day.day >= 27 and draw < 0.6):
                    row["status"] = "agreed_absence"
                elif outcome == "langtidssygemelding" and day >= sick_from:
                    row["status"] = "sick" if draw < 0.9 else "present"
                elif outcome == "ydelse_stoppet" and (last - day).days < 7:
                    row["status"] = "absent" if draw < 0.8 else "present"
                elif draw < sick:
                    row["status"] = "sick"
                elif draw < sick + absent:
                    row["status"] = "absent"
                elif draw < sick + absent + agreed:
                    row["status"] = "agreed_absence"
                else:
                    row["status"] = "present"
                if row["status"] == "present":
                    worked = daily
                    if rng.random() < 0.06:
                        worked = max(0.5, daily - rng.choice((0.5, 1, 1.5)))
                    row["hours"] = int(worked) if worked == int(worked) else worked
                rows.append(row)
            day += DAY


def _age(birth: date, on: date) -> int:
    return rules.age_on(birth_date=birth, day=on)


# --- the self-check ----------------------------------------------------------------------


def _day(value: str) -> date:
    return date.fromisoformat(value)


def validate(data: dict, *, cut_off: date = CUT_OFF) -> None:
    """Check the file with the importer's own validation, then what only the demo adds.

    dataimport.validation.validate is the one home of the import's rules (the 13-week
    extension, CPR and CVR checks, the code lists, overlaps, follow-up dates); it runs here
    against an empty jobcentre whose jobkonsulenter are the ones the file names (the import
    requires them to exist already, as demo_setup creates them). What is left below is the
    demo's own realism, which the importer does not ask for.
    """
    existing = ExistingRefs(
        companies=set(),
        centres=set(),
        contracts={},
        candidates=set(),
        courses={},
        consultants={
            v["consultant_email"].lower(): 0
            for v in data.get("centres", [])
            if v.get("consultant_email")
        },
    )
    _parsed, problems = import_validate(data, existing=existing, today=cut_off)
    assert not problems, "\n".join(str(p) for p in problems[:20])

    cvrs = set()
    for c in data["companies"]:
        assert c["cvr"] not in cvrs, f"CVR {c['cvr']} twice"  # our choice; chains may share
        cvrs.add(c["cvr"])
    for k in data["contracts"]:
        payment = k["payment"]
        if payment["model"] == "mentor_hours":
            assert 170 <= payment["hourly_rate"] <= 250, k["ref"]  # DOMAIN.md: 170-250 kr

    places = {k["ref"]: k["places"] for k in data["contracts"]}
    occupancy: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for f in data["courses"]:
        start, planned = _day(f["start"]), _day(f["planned_end"])
        end = _day(f["end"]) if f["end"] else None
        assert end is not None or planned >= cut_off, f"{f['ref']}: running past its planned end"
        # rules.occupies: a running course holds its place open-ended (the database's
        # exclusion constraint); the import finds a free place for each, so there must be one
        occupancy[f["contract"]] += [(start, 1), (end + DAY, -1)] if end else [(start, 1)]
    for contract_ref, events in occupancy.items():
        taken = 0
        for _, delta in sorted(events):  # -1 sorts before +1 on the same day
            taken += delta
            assert taken <= places[contract_ref], f"{contract_ref}: places"


# --- output ------------------------------------------------------------------------------


def build(jobcenter: str, *, seed: int, years: int, attendance_rows: int | None) -> dict:
    specs = JOBCENTRES[jobcenter]["centres"]
    if attendance_rows:
        # ~225 attendance rows per place and year; lengthen history to ten years first
        places = sum(spec.places[-1] for spec in specs)
        years = max(years, min(10, math.ceil(attendance_rows / (places * 225))))
    history_start = years_before(CUT_OFF, years) + DAY
    generator = Generator(jobcenter, seed, history_start)
    generator.add_costs(range(history_start.year, CUT_OFF.year + 1))
    copy = 1
    while True:
        generator.add_copy(copy, specs)
        if not attendance_rows or len(generator.data["attendance"]) >= attendance_rows:
            break
        copy += 1
    return {"format": FORMAT, **generator.data}


def dumps(data: dict) -> str:
    """JSON with one row per line: readable, diffable and still compact."""
    lines = ["{", f'  "format": {json.dumps(data["format"])},']
    sections = [key for key in data if key != "format"]
    for n, section in enumerate(sections):
        rows = data[section]
        comma = "," if n < len(sections) - 1 else ""
        if not rows:
            lines.append(f'  "{section}": []{comma}')
            continue
        lines.append(f'  "{section}": [')
        for i, row in enumerate(rows):
            sep = "," if i < len(rows) - 1 else ""
            lines.append("    " + json.dumps(row, ensure_ascii=False) + sep)
        lines.append(f"  ]{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def summary(data: dict) -> str:
    courses = data["courses"]
    ended = [f for f in courses if f["end"]]
    young = {
        p["ref"]
        for p in data["candidates"]
        if rules.is_young(birth_date=_day(p["birth_date"]), day=CUT_OFF)
    }
    starts = {f["candidate"]: f["start"] for f in courses}
    young_at_start = sum(
        rules.is_young(birth_date=_day(p["birth_date"]), day=_day(starts[p["ref"]]))
        for p in data["candidates"]
    )
    extended = sum(1 for f in courses if f["extension_reason"])
    outcomes = Counter(f["outcome"] for f in ended)
    follow = [f["self_supporting_4w"] for f in ended if f["self_supporting_4w"] is not None]
    statuses = Counter(row["status"] for row in data["attendance"])
    occupied = available = 0
    first_day = min((_day(k["start"]) for k in data["contracts"]), default=CUT_OFF)
    for k in data["contracts"]:
        span_end = min(_day(k["end"]), CUT_OFF)
        available += k["places"] * max(0, (span_end - _day(k["start"])).days + 1)
    for f in courses:
        occupied += (min(_day(f["end"] or f["planned_end"]), CUT_OFF) - _day(f["start"])).days + 1
    lines = [f"{name}: {len(data[name])}" for name in (*SECTIONS, "attendance")]
    lines += [
        f"period: {first_day} .. {CUT_OFF}; running on {CUT_OFF}: {len(courses) - len(ended)}",
        f"under 25 at course start: {young_at_start / max(1, len(starts)):.0%}"
        f" (on {CUT_OFF}: {len(young) / max(1, len(data['candidates'])):.0%})",
        f"extended beyond 13 weeks: {extended / max(1, len(courses)):.0%}",
        f"occupancy: {occupied / max(1, available):.1%}",
        "outcomes: "
        + ", ".join(f"{k} {v / max(1, len(ended)):.0%}" for k, v in outcomes.most_common()),
        f"self-supporting 4 weeks after: {sum(follow) / max(1, len(follow)):.0%}",
        "attendance: " + ", ".join(f"{k} {v}" for k, v in statuses.most_common()),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobcenter", choices=sorted(JOBCENTRES), required=True)
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    parser.add_argument("--seed", type=int, help="default: fixed per jobcentre")
    parser.add_argument("--years", type=int, default=2, help="years of history (default 2)")
    parser.add_argument(
        "--attendance-rows",
        type=int,
        metavar="N",
        help="benchmark: more years and copies of the centres until >= N attendance rows",
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else JOBCENTRES[args.jobcenter]["seed"]
    data = build(args.jobcenter, seed=seed, years=args.years, attendance_rows=args.attendance_rows)
    validate(data)
    text = dumps(data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    print(f"{args.out}: {size / 1e6:.2f} MB\n{summary(data)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
