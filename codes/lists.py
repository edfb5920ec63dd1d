"""The code lists of the domain (docs/DOMAIN.md, "Things"), one home each.

The values are the stable codes stored in the database, written in import files and checked
by database constraints: lowercase ASCII, never renamed (STYLE.md, "Names"). The labels are
the users' Danish words. The models, forms, the import and the reports import these lists
from here; `candidates.models`, `centers.models`, `contracts.models` and `mentors.models`
keep their old names as re-exports, because migrations and older code name them there.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


def codes(choices) -> list[str]:
    """The stored values of a code list, for CHECK constraints and the import's messages."""
    return [c.value for c in choices]


# --- the candidate -------------------------------------------------------------------------


class Benefit(models.TextChoices):
    """Ydelse: the benefit the candidate receives."""

    KONTANTHJAELP = "kontanthjaelp", _("Kontanthjælp")
    STARTHJAELP = "starthjaelp", _("Starthjælp")
    UDDANNELSESHJAELP = "uddannelseshjaelp", _("Uddannelseshjælp")
    SYGEDAGPENGE = "sygedagpenge", _("Sygedagpenge")
    LEDIGHEDSYDELSE = "ledighedsydelse", _("Ledighedsydelse")
    FORSIKRET_LEDIG = "forsikret_ledig", _("Forsikret ledig")
    RESSOURCEFORLOEB = "ressourceforloeb", _("Ressourceforløb")


class Education(models.TextChoices):
    INGEN_GRUNDSKOLE = "ingen_grundskole", _("Ikke afsluttet grundskole")
    GRUNDSKOLE = "grundskole", _("Grundskole")
    GYMNASIAL = "gymnasial", _("Gymnasial uddannelse")
    ERHVERVSFAGLIG = "erhvervsfaglig_eller_videregaaende", _("Erhvervsfaglig eller videregående")


class LabourMarketYears(models.TextChoices):
    ALDRIG = "aldrig", _("Aldrig")
    UNDER_1 = "under_1", _("Under 1 år")
    ET_TIL_TRE = "1_3", _("1-3 år")
    OVER_3 = "over_3", _("Over 3 år")


class Barrier(models.TextChoices):
    PSYKISK = "psykisk", _("Psykiske problemer")
    MISBRUG = "misbrug", _("Misbrug")
    SPROG = "sprog", _("Sprog")
    KRIMINALITET = "kriminalitet", _("Kriminalitet")
    FYSISK = "fysisk", _("Fysiske problemer")


class TargetGroup(models.TextChoices):
    """Målgruppe: the law's target groups (LAB § 6, nr. 1-13; the same list as § 1 of the
    bekendtgørelse om en aktiv beskæftigelsesindsats). The durations of virksomhedspraktik
    (§ 61) depend on it, see codes/lab.py. Recipients of selvforsørgelses- og hjemrejseydelse
    or overgangsydelse belong to nr. 2-5 as the kontanthjælp/uddannelseshjælp recipients do;
    ledighedsydelse is paid to persons visiteret til fleksjob (nr. 9)."""

    IKKE_ANGIVET = "ikke_angivet", _("Ikke angivet")
    DAGPENGE = "dagpenge", _("Dagpengemodtager (forsikret ledig)")
    JOBPARAT_KONTANTHJAELP = "jobparat_kontanthjaelp", _("Jobparat kontanthjælpsmodtager")
    AKTIVITETSPARAT_KONTANTHJAELP = (
        "aktivitetsparat_kontanthjaelp",
        _("Aktivitetsparat kontanthjælpsmodtager"),
    )
    UDDANNELSESPARAT = "uddannelsesparat", _("Uddannelsesparat uddannelseshjælpsmodtager")
    AKTIVITETSPARAT_UDDANNELSESHJAELP = (
        "aktivitetsparat_uddannelseshjaelp",
        _("Aktivitetsparat uddannelseshjælpsmodtager"),
    )
    SYGEDAGPENGE = "sygedagpenge", _("Sygedagpengemodtager")
    JOBAFKLARING = "jobafklaring", _("Jobafklaringsforløb")
    RESSOURCEFORLOEB = "ressourceforloeb", _("Ressourceforløb")
    FLEKSJOB_VISITERET = "fleksjob_visiteret", _("Visiteret til fleksjob (også ledighedsydelse)")
    REVALIDERING = "revalidering", _("Revalidering")
    FOERTIDSPENSION = "foertidspension", _("Førtidspensionist")
    SELVFORSOERGENDE_JOBPARAT = "selvforsoergende_jobparat", _("Ledig selvforsørgende, jobparat")
    SELVFORSOERGENDE_AKTIVITETSPARAT = (
        "selvforsoergende_aktivitetsparat",
        _("Ledig selvforsørgende, aktivitetsparat"),
    )
    UNDER_18 = "under_18", _("Under 18 år")


# Matchgruppe 1-5 (the national trial's scale; today's jobparat/aktivitetsparat came later).
MATCHGRUPPE_MIN, MATCHGRUPPE_MAX = 1, 5


# --- the course ----------------------------------------------------------------------------


class LegalFrame(models.TextChoices):
    VIRKSOMHEDSPRAKTIK = "virksomhedspraktik", _("Virksomhedspraktik")
    SAERLIGT_TILRETTELAGT = "saerligt_tilrettelagt_projekt", _("Særligt tilrettelagt projekt")


class Outcome(models.TextChoices):
    """Udslusning: the code list of the national trial."""

    UDDANNELSE = "uddannelse", _("Uddannelse")
    ORDINAERT_JOB = "ordinaert_job", _("Ordinært job")
    LOENTILSKUD = "loentilskud", _("Job med løntilskud")
    FLEKSJOB = "fleksjob", _("Fleksjob")
    FOERTIDSPENSION = "foertidspension", _("Førtidspension")
    INDIVIDUEL_PRAKTIK = "individuel_praktik", _("Individuel praktik")
    ANDET_KOMMUNALT_TILBUD = "andet_kommunalt_tilbud", _("Andet kommunalt tilbud")
    BEHANDLING = "behandling", _("Behandling")
    YDELSE_STOPPET = "ydelse_stoppet", _("Ydelse stoppet")
    LANGTIDSSYGEMELDING = "langtidssygemelding", _("Langtidssygemelding")
    UKENDT = "ukendt", _("Andet/ukendt")


# The outcomes the KPI counts as a direct success (job or education, DOMAIN.md).
DIRECT_SUCCESS_OUTCOMES = (
    Outcome.UDDANNELSE,
    Outcome.ORDINAERT_JOB,
    Outcome.LOENTILSKUD,
    Outcome.FLEKSJOB,
)


class AttendanceStatus(models.TextChoices):
    """Fremmøde: one of these per candidate per day."""

    PRESENT = "present", _("Mødt")
    SICK = "sick", _("Syg")
    ABSENT = "absent", _("Udeblevet uden besked")
    AGREED_ABSENCE = "agreed_absence", _("Aftalt fravær/ferie")


# --- the company and the centre ------------------------------------------------------------


class Branche(models.TextChoices):
    DETAIL = "detail", _("Detailhandel")
    SERVICE_KULTUR = "service_kultur", _("Service og kultur")
    TRANSPORT_BYGGE = "transport_bygge", _("Transport og bygge/anlæg")
    PRODUKTION = "produktion", _("Produktion")
    OFFENTLIG = "offentlig", _("Offentlig sektor")


class Sector(models.TextChoices):
    PRIVATE = "private", _("Privat")
    PUBLIC = "public", _("Offentlig")


class OrganisationModel(models.TextChoices):
    VIRTUELT = "virtuelt", _("Virtuelt center")
    AABEN_SIDEPRODUKTION = "aaben_sideproduktion", _("Åben sideproduktion")
    NETVAERKSBASERET = "netvaerksbaseret", _("Netværksbaseret center")
    SATELLITBASERET = "satellitbaseret", _("Satellitbaseret center")


# The organisation models whose centre spans network (or client) companies.
NETWORK_MODELS = (OrganisationModel.NETVAERKSBASERET, OrganisationModel.SATELLITBASERET)


# --- the contract --------------------------------------------------------------------------


class PaymentModel(models.TextChoices):
    PER_CANDIDATE_WEEK = "per_candidate_week", _("Fast beløb pr. kandidat pr. påbegyndt uge")
    MENTOR_HOURS = "mentor_hours", _("Frikøb af mentortimer (timer x timesats)")
    PER_PLACE_MONTH = "per_place_month", _("Fast beløb pr. plads pr. måned")
    TRAINING_ONLY = "training_only", _("Mentoruddannelse i stedet for betaling")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Udkast")
    APPROVED = "approved", _("Godkendt")
    SIGNED = "signed", _("Underskrevet")
    ACTIVE = "active", _("Aktiv")
    ENDED = "ended", _("Udløbet")
    TERMINATED = "terminated", _("Opsagt")
