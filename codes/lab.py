"""The law's numbers for virksomhedspraktik, one home for every floor that needs them.

Lov om en aktiv beskæftigelsesindsats (LAB, lov nr. 548 af 7. maj 2019, now
lovbekendtgørelse nr. 280 af 1. marts 2024), kapitel 11. The numbers are data: a
`RulesVersion` per law, keyed by the date it applies from (`RULES_VERSIONS`), so the next
main law (planned for 1 January 2027, docs/DOMAIN.md last section) is a new entry here and a
test, not a code change. The functions that apply them live in candidates/rules.py; the
sources and where they disagree are in docs/RULES.md ("Rules by date and target group").
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from .lists import Benefit, TargetGroup

# § 61, stk. 1, nr. 2: a course is up to 13 weeks ...
NORMAL_COURSE_WEEKS = 13
# ... extendable to 26 weeks after a concrete, individual assessment (§ 61, stk. 2), and
# beyond that 13 weeks at a time where there is a very special need.
EXTENDED_COURSE_WEEKS = 26
# At most 37 hours a week (docs/DOMAIN.md, "Virksomhedspraktik, LAB section 61").
MAX_HOURS_PER_WEEK = Decimal(37)

# Who takes part in an extension decision (the words the pages show). The duration is agreed
# by the jobcentre and the employer together with the person (BEK nr. 2636 af 28/12/2021
# § 60, stk. 2); the employees' representatives are heard before a course goes beyond its
# normal length (the concept, docs/DOMAIN.md "Forløb").
CONSULT_AGREEMENT = ("kandidaten", "virksomheden")
CONSULT_REPRESENTATIVES = "medarbejderrepræsentanterne"


@dataclass(frozen=True)
class ExtensionStep:
    """One step of § 61, stk. 2: up to `up_to_weeks` (None: beyond, `step_weeks` at a time),
    on what ground, and who must be consulted (the representatives with a date)."""

    up_to_weeks: int | None
    ground: str  # "assessment" (konkret vurdering) or "very_special_need" (helt særligt behov)
    consult: tuple[str, ...]
    step_weeks: int | None = None


@dataclass(frozen=True)
class RulesVersion:
    """The virksomhedspraktik rules from `valid_from` until the next version applies.

    `initial_weeks` maps every target group to the longest first period; the groups in
    `extendable` may be extended by `steps` (the others: no extension at all). A course keeps
    the version (by `id`) and target group it started under.
    """

    id: str
    name: str
    valid_from: date
    source: str
    initial_weeks: MappingProxyType
    extendable: frozenset
    steps: tuple[ExtensionStep, ...]
    max_hours_per_week: Decimal


G = TargetGroup
_FOUR_WEEKS = frozenset(
    {G.DAGPENGE, G.JOBPARAT_KONTANTHJAELP, G.UDDANNELSESPARAT, G.SELVFORSOERGENDE_JOBPARAT}
)
# Every law group except "ikke angivet", which has no rule: a course start asks for the group.
_LAW_GROUPS = [g for g in G if g != G.IKKE_ANGIVET]

LAB_2020 = RulesVersion(
    id="lab-2020",
    name="LAB § 61 (lov nr. 548 af 7. maj 2019, LBK nr. 280 af 1. marts 2024)",
    valid_from=date(2020, 1, 1),
    source="LAB § 61, stk. 1-2; BEK nr. 2636 af 28. december 2021 § 1 og § 60",
    # § 61, stk. 1, nr. 1: 4 weeks for insured unemployed, job-ready cash-benefit and
    # education-ready education-benefit recipients (and job-ready self-supporting unemployed);
    # nr. 2: 13 weeks for the others.
    initial_weeks=MappingProxyType(
        {g: 4 if g in _FOUR_WEEKS else NORMAL_COURSE_WEEKS for g in _LAW_GROUPS}
    ),
    # § 61, stk. 2: "For personer omfattet af stk. 1, nr. 2" - the 13-week groups only.
    extendable=frozenset(g for g in _LAW_GROUPS if g not in _FOUR_WEEKS),
    steps=(
        ExtensionStep(
            up_to_weeks=EXTENDED_COURSE_WEEKS,
            ground="assessment",
            consult=(*CONSULT_AGREEMENT, CONSULT_REPRESENTATIVES),
        ),
        ExtensionStep(
            up_to_weeks=None,
            ground="very_special_need",
            consult=(*CONSULT_AGREEMENT, CONSULT_REPRESENTATIVES),
            step_weeks=13,
        ),
    ),
    max_hours_per_week=MAX_HOURS_PER_WEEK,
)

# Newest last. The main law planned for 1 January 2027 (13 target groups become 5) had no
# published durations for virksomhedspraktik when this was written (docs/RULES.md): add its
# version here when they are known; tests/candidates/test_rules.py shows a made-up one.
RULES_VERSIONS: tuple[RulesVersion, ...] = (LAB_2020,)


def rules_version_on(day: date, versions: tuple[RulesVersion, ...] = RULES_VERSIONS):
    """The version in force on `day` (the newest whose valid_from is on or before it), or
    None before the first one. Versions must be listed oldest first."""
    found = None
    for version in versions:
        if version.valid_from <= day:
            found = version
    return found


def rules_version_by_id(version_id: str, versions: tuple[RulesVersion, ...] = RULES_VERSIONS):
    """The version a course stored at its start, or None for an unknown or empty id."""
    return next((v for v in versions if v.id == version_id), None)


# The target group a benefit implies where it is unambiguous (the migration of existing
# candidates and the import's default); kontanthjælp, starthjælp and uddannelseshjælp do not
# tell job-ready from activity-ready, so they give "ikke angivet" and the course start asks.
TARGET_GROUP_FROM_BENEFIT = MappingProxyType(
    {
        Benefit.FORSIKRET_LEDIG: G.DAGPENGE,
        Benefit.SYGEDAGPENGE: G.SYGEDAGPENGE,
        Benefit.RESSOURCEFORLOEB: G.RESSOURCEFORLOEB,
        Benefit.LEDIGHEDSYDELSE: G.FLEKSJOB_VISITERET,
    }
)


def default_target_group(benefit: str) -> str:
    """The documented default target group for a benefit code (docs/import-format.md)."""
    return str(TARGET_GROUP_FROM_BENEFIT.get(benefit, G.IKKE_ANGIVET))


# Rimelighedskravet (the staff-ratio rule), bekendtgørelse nr. 2636 af 28. december 2021 om
# en aktiv beskæftigelsesindsats, § 65 (issued under LAB § 48), counted per production unit
# (P-number). Persons in virksomhedspraktik, wage subsidy and nytteindsats together may be at
# most 1 for every 5 ordinary employees up to 50 employees, always at least 1, and beyond that
# 1 for every 10 ordinary employees (stk. 1). docs/RULES.md gives the sources and where the
# older orders (BEK nr. 1297 af 9/11 2017 § 92) counted differently.
STAFF_RATIO_EMPLOYEES_PER_PERSON = 5
STAFF_RATIO_FIRST_BAND_EMPLOYEES = 50
STAFF_RATIO_EMPLOYEES_PER_PERSON_BEYOND = 10
STAFF_RATIO_MINIMUM_PERSONS = 1
# Stk. 4: the ordinary employees are the average of the last 4 months before the placement.
STAFF_RATIO_AVERAGE_MONTHS = 4
