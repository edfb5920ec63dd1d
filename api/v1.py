"""The integration API, version 1: /api/v1/ on each jobcentre's host (issue 27).

Thin views: each checks its scope, calls the selectors (reads) or the mentors' own service
(writes of attendance, exactly as the mentor's page does), logs reads of personal data in
the audit log with the key's name and purpose, and returns typed schemas from which the
OpenAPI 3.1 document (/api/v1/openapi.json, browsable at /api/v1/docs) is generated.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Header, NinjaAPI, Path, Query, Schema

from audit.services import audit_access
from billing.einvoice import InvoiceNotReady, statement_invoice_xml
from candidates.models import Barrier, Benefit, Candidate
from candidates.services import candidate_refer_by_cpr
from codes import clock
from mentors.models import AttendanceStatus
from mentors.services import attendance_record

from . import rules, selectors
from .auth import ApiKeyAuth, need
from .problems import CONTENT_TYPE, ERRORS, ERRORS_WITH_404, Problem, ProblemOut, install_handlers
from .services import idempotent_answer, idempotent_store


class VcApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The generated document, with errors as application/problem+json (RFC 9457)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.pop("x-xml-response", False):
                    operation["responses"][200] = {
                        "description": "Peppol BIS Billing 3.0-faktura (UBL 2.1 XML)",
                        "content": {"application/xml": {"schema": {"type": "string"}}},
                    }
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[CONTENT_TYPE] = content.pop("application/json")
        return schema


api = VcApi(
    title="Virksomhedscenter - integrations-API",
    version="1",
    description=(
        "Data ind og ud af Virksomhedscenter for jobcentrets fagsystem, økonomisystem og "
        "virksomhedernes systemer. Godkendelse med en API-nøgle, som jobcentrets "
        "administrator opretter (Authorization: Bearer <nøgle>). Rettigheder: "
        + "; ".join(f"`{s}`: {text}" for s, text in rules.SCOPES.items())
        + ". Lister sider med `cursor` (næste side: `next_cursor`) og filtreres med "
        "`changed_since`. Fejl er RFC 9457 problem details med en dansk `detail`."
    ),
    auth=ApiKeyAuth(),
    urls_namespace="api-v1",
)
install_handlers(api)


class ListParams(Schema):
    changed_since: datetime | None = Field(
        None, description="Kun rækker ændret dette tidspunkt eller senere (ISO 8601)."
    )
    cursor: str | None = Field(None, max_length=200, description="`next_cursor` fra sidste side.")
    limit: int = Field(rules.PAGE_DEFAULT, ge=1, le=rules.PAGE_MAX)


class IdParams(Schema):
    cursor: str | None = Field(None, max_length=200, description="`next_cursor` fra sidste side.")
    limit: int = Field(rules.PAGE_DEFAULT, ge=1, le=rules.PAGE_MAX)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


def _by_time(rows, params: ListParams, field: str = "updated_at") -> selectors.Page:
    try:
        return selectors.page_by_time(
            rows,
            field=field,
            changed_since=_aware(params.changed_since),
            cursor=params.cursor,
            limit=params.limit,
        )
    except (ValueError, OverflowError):
        raise Problem(422, "Ugyldig cursor: brug `next_cursor` fra forrige side.") from None


def _by_id(rows, params: IdParams) -> selectors.Page:
    try:
        return selectors.page_by_id(rows, cursor=params.cursor, limit=params.limit)
    except (ValueError, OverflowError):
        raise Problem(422, "Ugyldig cursor: brug `next_cursor` fra forrige side.") from None


def _log_read(request, *, action: str, candidate_ids, fields=None, criteria: str = "") -> None:
    """One access event per answer that shows people, naming each of them (audit/reads.py).

    Written by `reads_flush` once the answer is known to carry its body: a 304 to a matching
    If-None-Match shows nobody, so it logs no read (api/urls.py).
    """
    ids = sorted({int(i) for i in candidate_ids if i is not None})
    if not ids:
        return
    if not hasattr(request, "api_reads"):
        request.api_reads = []
    request.api_reads.append(
        {
            "action": action,
            "purpose": request.auth.purpose,
            "subjects": ids,
            "fields": fields,
            "criteria": criteria,
            "label": f"{len(ids)} kandidat(er) via API",
        }
    )


def reads_flush(request, response) -> None:
    """The reads `_log_read` noted, into the audit log when `response` shows them."""
    for read in getattr(request, "api_reads", ()):
        if 200 <= response.status_code < 300:  # a 304 or an error shows nobody
            audit_access(request=request, **read)
    request.api_reads = []


def _criteria(params) -> str:
    if getattr(params, "changed_since", None):
        return f"ændret siden: {params.changed_since.isoformat()}"
    return ""


# --- schemas -------------------------------------------------------------------------


class WorkplaceOut(Schema):
    id: int
    name: str
    p_number: str


class CompanyOut(Schema):
    id: int
    name: str
    cvr: str
    p_number: str
    branche: str
    sector: str
    address: str
    postal_code: str
    city: str
    employees: int | None
    vat_category: str = Field(description="UNCL5305: O uden for momsområdet, S 25 %, E fritaget")
    workplaces: list[WorkplaceOut]
    updated_at: datetime

    @staticmethod
    def resolve_workplaces(obj):
        return list(obj.workplaces.all())


class CompanyPage(Schema):
    items: list[CompanyOut]
    next_cursor: str | None


class CentreOut(Schema):
    id: int
    company_id: int
    workplace_id: int | None
    name: str
    organisation_model: str
    updated_at: datetime


class CentrePage(Schema):
    items: list[CentreOut]
    next_cursor: str | None


class TermsOut(Schema):
    places: int
    mentor_hours_per_week: Decimal
    payment_model: str
    payment_amount: Decimal | None
    payment_hourly_rate: Decimal | None
    payment_hours_per_week: Decimal | None
    establishment_amount: Decimal


class AmendmentOut(TermsOut):
    version: int
    valid_from: date
    status: str


class ContractOut(TermsOut):
    id: int
    centre_id: int
    status: str
    start: date
    end: date
    course_weeks: int
    amendments: list[AmendmentOut]
    updated_at: datetime

    @staticmethod
    def resolve_amendments(obj):
        return list(obj.amendments.all())


class ContractPage(Schema):
    items: list[ContractOut]
    next_cursor: str | None


class PlaceOut(Schema):
    id: int
    contract_id: int
    centre_id: int
    number: int
    occupied: bool = Field(description="En kandidat er placeret på pladsen i dag.")

    @staticmethod
    def resolve_centre_id(obj):
        return obj.contract.centre_id


class PlacePage(Schema):
    items: list[PlaceOut]
    next_cursor: str | None


class CandidateOut(Schema):
    id: int
    name: str
    birth_date: date
    cpr: str | None = Field(description="Kun med rettigheden read:cpr; ellers null.")
    benefit: str
    target_group: str
    matchgruppe: int | None
    anonymised: bool
    created_at: datetime
    updated_at: datetime


class CandidatePage(Schema):
    items: list[CandidateOut]
    next_cursor: str | None


class ReferralOut(Schema):
    id: int
    candidate_id: int
    referred_on: date
    status: str
    course_id: int | None
    closed_on: date | None
    updated_at: datetime


class ReferralPage(Schema):
    items: list[ReferralOut]
    next_cursor: str | None


class CourseOut(Schema):
    id: int
    candidate_id: int
    contract_id: int
    centre_id: int
    place_id: int
    start: date
    planned_end: date
    end: date | None
    legal_frame: str
    outcome: str | None
    self_supporting_4w: bool | None
    self_supporting_13w: bool | None
    self_supporting_26w: bool | None
    updated_at: datetime

    @staticmethod
    def resolve_centre_id(obj):
        return obj.contract.centre_id


class CoursePage(Schema):
    items: list[CourseOut]
    next_cursor: str | None


class AttendanceOut(Schema):
    id: int
    course_id: int
    date: date
    status: str
    hours: Decimal
    recorded_at: datetime


class AttendancePage(Schema):
    items: list[AttendanceOut]
    next_cursor: str | None


class AttendanceIn(Schema):
    course_id: int = Field(ge=1, le=2**63 - 1)
    date: date
    status: Literal["present", "sick", "absent", "agreed_absence"]
    hours: Decimal | None = Field(
        None, ge=0, le=24, max_digits=3, decimal_places=1, description="Kun ved mødt."
    )


class ReferralIn(Schema):
    cpr: str = Field(
        min_length=10, max_length=11, description="Kandidatens CPR-nummer (DDMMÅÅXXXX, evt. med -)."
    )
    reason: str = Field(min_length=1, max_length=2000, description="Begrundelse for henvisningen.")
    wishes: str = Field("", max_length=2000, description="Kandidatens ønsker til arbejde.")
    name: str | None = Field(
        None, max_length=200, description="Kræves, når kandidaten ikke er registreret."
    )
    benefit: Literal[tuple(Benefit.values)] | None = Field(  # type: ignore[valid-type]
        None, description="Ydelse; kræves, når kandidaten ikke er registreret."
    )
    barriers: list[Literal[tuple(Barrier.values)]] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=len(Barrier.values)
    )
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)


class ReferralCreatedOut(ReferralOut):
    candidate_created: bool = Field(description="Kandidaten blev oprettet af denne henvisning.")


class MentorHoursOut(Schema):
    id: int
    mentor_id: int
    centre_id: int
    week_start: date
    hours: Decimal
    updated_at: datetime


class MentorHoursPage(Schema):
    items: list[MentorHoursOut]
    next_cursor: str | None


class StatementLineOut(Schema):
    position: int
    rule: str
    description: str
    course_id: int | None
    period_start: date
    period_end: date
    quantity: Decimal
    rate: Decimal
    amount: Decimal


class StatementOut(Schema):
    id: int
    contract_id: int
    centre_id: int
    month: date
    kind: str
    corrects_id: int | None
    status: str
    total: Decimal
    lines: list[StatementLineOut]
    updated_at: datetime

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class StatementPage(Schema):
    items: list[StatementOut]
    next_cursor: str | None


class KpiOut(Schema):
    period_from: date
    period_to: date
    computed_at: datetime
    figures: dict


class KpiParams(Schema):
    period_from: date
    period_to: date


def _page(page: selectors.Page) -> dict:
    return {"items": page.rows, "next_cursor": page.next_cursor}


# --- centres, companies, contracts, places (read:centres) ----------------------------


@api.get("/companies", response={200: CompanyPage, **ERRORS}, tags=["centre"])
def companies_list(request, params: Query[ListParams]):
    """Virksomheder med CVR, P-nummer og arbejdssteder."""
    need(request, "read:centres")
    return _page(_by_time(selectors.companies(), params))


@api.get("/centres", response={200: CentrePage, **ERRORS}, tags=["centre"])
def centres_list(request, params: Query[ListParams]):
    """Virksomhedscentre."""
    need(request, "read:centres")
    return _page(_by_time(selectors.centres(), params))


@api.get("/contracts", response={200: ContractPage, **ERRORS}, tags=["centre"])
def contracts_list(request, params: Query[ListParams]):
    """Centerkontrakter med tillæg (versioner af vilkårene) og betalingsvilkår."""
    need(request, "read:centres")
    return _page(_by_time(selectors.contracts(), params))


@api.get("/places", response={200: PlacePage, **ERRORS}, tags=["centre"])
def places_list(request, params: Query[IdParams]):
    """Pladser og om de er besat i dag."""
    need(request, "read:centres")
    return _page(_by_id(selectors.places(today=clock.today()), params))


# --- people (read:candidates, read:cpr) ------------------------------------------------


@api.get("/candidates", response={200: CandidatePage, **ERRORS}, tags=["kandidater"])
def candidates_list(request, params: Query[ListParams]):
    """Kandidater; CPR-nummeret kun med read:cpr. Hver læsning står i revisionssporet."""
    key = need(request, "read:candidates")
    with_cpr = "read:cpr" in key.scopes
    page = _by_time(selectors.candidates(), params)
    items = [_candidate(c, with_cpr=with_cpr) for c in page.rows]
    _log_read(
        request,
        action="api.candidates.cpr" if with_cpr else "api.candidates",
        candidate_ids=[c.pk for c in page.rows],
        fields=["cpr"] if with_cpr else None,
        criteria=_criteria(params),
    )
    return {"items": items, "next_cursor": page.next_cursor}


def _candidate(candidate: Candidate, *, with_cpr: bool) -> dict:
    return {
        "id": candidate.pk,
        "name": candidate.name,
        "birth_date": candidate.birth_date,
        "cpr": (candidate.cpr or None) if with_cpr else None,
        "benefit": candidate.benefit,
        "target_group": candidate.target_group,
        "matchgruppe": candidate.matchgruppe,
        "anonymised": candidate.anonymised_at is not None,
        "created_at": candidate.created_at,
        "updated_at": candidate.updated_at,
    }


@api.get("/referrals", response={200: ReferralPage, **ERRORS}, tags=["kandidater"])
def referrals_list(request, params: Query[ListParams]):
    """Henvisninger til ventelisten."""
    need(request, "read:candidates")
    page = _by_time(selectors.referrals(), params)
    _log_read(
        request,
        action="api.referrals",
        candidate_ids=[r.candidate_id for r in page.rows],
        criteria=_criteria(params),
    )
    return _page(page)


@api.get("/courses", response={200: CoursePage, **ERRORS}, tags=["kandidater"])
def courses_list(request, params: Query[ListParams]):
    """Forløb med udslusning og opfølgning (selvforsørgende efter 4, 13 og 26 uger)."""
    need(request, "read:candidates")
    page = _by_time(selectors.courses(), params)
    _log_read(
        request,
        action="api.courses",
        candidate_ids=[c.candidate_id for c in page.rows],
        criteria=_criteria(params),
    )
    return _page(page)


@api.get("/attendance", response={200: AttendancePage, **ERRORS}, tags=["fremmøde"])
def attendance_list(request, params: Query[ListParams]):
    """Fremmøde; `changed_since` gælder tidspunktet for registreringen (`recorded_at`)."""
    need(request, "read:candidates")
    page = _by_time(selectors.attendance(), params, field="recorded_at")
    _log_read(
        request,
        action="api.attendance",
        candidate_ids=[a.course.candidate_id for a in page.rows],
        criteria=_criteria(params),
    )
    return _page(page)


IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    min_length=1,
    max_length=200,
    description="Samme nøgle igen giver det første svar igen i et døgn.",
)


@api.post(
    "/attendance",
    response={200: AttendanceOut, 400: ProblemOut, **ERRORS_WITH_404},
    tags=["fremmøde"],
)
def attendance_write(
    request,
    payload: AttendanceIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """Registrér dagens fremmøde for et forløb, som mentoren gør (samme regler og log).

    Idempotent: samme dag og status igen ændrer intet. Kun dagens dato; rettelser af
    tidligere dage sker i appen."""
    key = need(request, "write:attendance")
    return _idempotent(
        request, key, idempotency_key, lambda: _attendance_save(request, payload), status=200
    )


def _idempotent(request, key, idempotency_key: str | None, write, *, status: int):
    """`write()`'s answer, or with an Idempotency-Key the first answer to that key again."""
    fingerprint = rules.request_fingerprint(
        method=request.method, path=request.path, body=request.body
    )
    if idempotency_key:
        earlier = idempotent_answer(key=key, idempotency_key=idempotency_key)
        if earlier is not None:
            return _replay(earlier, fingerprint)
    response = api.create_response(request, write(), status=status)
    if idempotency_key:
        stored = idempotent_store(
            key=key,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            status=status,
            body=response.content,
        )
        if stored.fingerprint != fingerprint:
            # A twin with the same key and another body won the race: refuse as a reuse.
            return _replay(stored, fingerprint)
    return response


@api.post(
    "/referrals",
    response={201: ReferralCreatedOut, 400: ProblemOut, **ERRORS},
    tags=["kandidater"],
)
def referral_write(request, payload: ReferralIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """Henvis en kandidat til ventelisten fra fagsystemet, som jobkonsulenten gør i appen.

    Kandidaten findes på CPR-nummeret; findes hun ikke, oprettes hun med navn og ydelse
    (begge kræves da). Afvises, når kandidaten allerede står på ventelisten eller er i et
    forløb; så ændres intet."""
    key = need(request, "write:referrals")
    return _idempotent(
        request, key, idempotency_key, lambda: _referral_save(request, payload), status=201
    )


def _referral_save(request, payload: ReferralIn) -> dict:
    fields = payload.model_dump(exclude={"cpr", "reason", "wishes"}, exclude_none=True)
    try:
        referral, created = candidate_refer_by_cpr(
            cpr=payload.cpr,
            reason=payload.reason,
            wishes=payload.wishes,
            referred_on=clock.today(),
            acting_user=request.user,
            **fields,
        )
    except ValidationError as exc:
        raise Problem(422, " ".join(exc.messages), code="ugyldig-henvisning") from None
    body = ReferralOut.model_validate(referral, from_attributes=True).model_dump()
    return body | {"candidate_created": created}


def _attendance_save(request, payload: AttendanceIn) -> dict:
    today = clock.today()
    course = selectors.courses().select_related("candidate").filter(pk=payload.course_id).first()
    if course is None:
        raise Problem(404, "Forløbet findes ikke.")
    if payload.date != today:
        raise Problem(
            422,
            f"Via API'et registreres kun dagens fremmøde ({today:%d.%m.%Y}); "
            "ret tidligere dage i appen.",
            code="kun-dagens-fremmoede",
        )
    hours = payload.hours if payload.status == AttendanceStatus.PRESENT else None
    try:
        saved = attendance_record(
            course=course,
            date=payload.date,
            status=payload.status,
            hours=hours,
            acting_user=request.user,
            today=today,
        )
    except ValidationError as exc:
        raise Problem(422, " ".join(exc.messages), code="ugyldigt-fremmoede") from None
    # As PostgreSQL holds it (hours with their one decimal), rendered as the list renders it.
    saved.refresh_from_db(fields=["hours", "recorded_at"])
    return AttendanceOut.model_validate(saved, from_attributes=True).model_dump()


def _replay(earlier, fingerprint: str):
    if earlier.fingerprint != fingerprint:
        raise Problem(
            422,
            "Idempotency-Key er allerede brugt til en anden forespørgsel; brug en ny nøgle.",
            code="idempotency-key-genbrugt",
        )
    response = HttpResponse(bytes(earlier.body), status=earlier.status)
    response["Content-Type"] = "application/json; charset=utf-8"
    response["Idempotent-Replayed"] = "true"
    return response


# --- money (read:billing) --------------------------------------------------------------


@api.get("/mentor-hours", response={200: MentorHoursPage, **ERRORS}, tags=["afregning"])
def mentor_hours_list(request, params: Query[ListParams]):
    """Mentortimer pr. uge og center (grundlaget for afregning efter mentortimer)."""
    need(request, "read:billing")
    return _page(_by_time(selectors.mentor_hours(), params))


@api.get("/statements", response={200: StatementPage, **ERRORS}, tags=["afregning"])
def statements_list(request, params: Query[ListParams]):
    """Månedlige afregningsopgørelser med linjer; beløb i kr. med øre (tekst)."""
    need(request, "read:billing")
    return _page(_by_time(selectors.statements(), params))


@api.get(
    "/statements/{statement_id}/invoice",
    response={200: str, **ERRORS_WITH_404},
    tags=["afregning"],
    openapi_extra={"x-xml-response": True},
)
def statement_invoice(request, statement_id: int = Path(..., ge=1, le=2**63 - 1)):
    """Opgørelsen som elektronisk faktura (Peppol BIS Billing 3.0, UBL 2.1) med
    virksomheden som sælger (CVR) og kommunen som køber (EAN), udfyldt til virksomheden,
    der kontrollerer og sender den fra sit eget system."""
    need(request, "read:billing")
    found = selectors.statement_with_lines(pk=statement_id)
    if found is None:
        raise Problem(404, "Opgørelsen findes ikke.")
    statement, lines = found
    try:
        xml = statement_invoice_xml(statement=statement, lines=lines)
    except InvoiceNotReady as exc:
        raise Problem(422, str(exc), code="faktura-mangler-oplysninger") from None
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="faktura-{statement.pk}.xml"'
    return response


# --- key figures (read:kpi) ------------------------------------------------------------


@api.get("/kpi", response={200: KpiOut, **ERRORS_WITH_404}, tags=["nøgletal"])
def kpi(request, params: Query[KpiParams]):
    """De beregnede nøgletal for en periode (som /statistik/ viser dem)."""
    need(request, "read:kpi")
    if params.period_to < params.period_from:
        raise Problem(422, "Periodens slutdato ligger før dens startdato.")
    result = selectors.kpi_for_period(period_from=params.period_from, period_to=params.period_to)
    if result is None:
        raise Problem(
            404,
            "Nøgletallene for perioden er ikke beregnet; beregn dem under Statistik.",
            code="ikke-beregnet",
        )
    return {
        "period_from": result.period_from,
        "period_to": result.period_to,
        "computed_at": result.computed_at,
        "figures": json.loads(json.dumps(result.figures, default=str)),
    }
