"""Writes on Centerkontrakter: drafting, approvals, signing, transitions, amendments, PDFs.

The lifecycle (issue 7): draft -> approved (works council/union and LBR) -> signed (the
jobcenterchef in the application, the company's director through a one-time e-mailed
link) -> active on the start date -> ended after the end date (a daily job). A signed
contract is never edited; a change is an amendment (version 2, 3, ...) signed again.
"""

import hashlib
import secrets
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.emails import email_send
from audit.services import audit_record
from centers.models import Centre, Place
from jobs.services import (
    job_error_message,
    job_fail,
    job_finish,
    job_queue,
    job_requeue,
    job_start,
)

from .models import (
    Amendment,
    AmendmentStatus,
    Contract,
    ContractDocument,
    ContractStatus,
    PaymentModel,
    SigningLink,
)

# A director has two weeks to open the link; after that a new link must be sent.
SIGNING_LINK_VALID_DAYS = getattr(settings, "CONTRACT_SIGNING_LINK_DAYS", 14)

# Fields a draft form may change (the rest is set by approvals, signing and transitions).
EDITABLE_FIELDS = (
    "centre",
    "start",
    "end",
    "places",
    "course_weeks",
    "mentor_hours_per_week",
    "payment_model",
    "payment_amount",
    "payment_hourly_rate",
    "payment_hours_per_week",
    "establishment_amount",
    "goals_text",
    "goal_ordinary_job_pct",
    "goal_education_pct",
    "target_group",
    "target_age_min",
    "target_age_max",
    "target_barriers",
    "work_tasks",
    "support_activities",
    "reception",
    "absence_handling",
    "udslusning",
    "director_name",
    "director_email",
)
TERMS_FIELDS = (
    "places",
    "mentor_hours_per_week",
    "payment_model",
    "payment_amount",
    "payment_hourly_rate",
    "payment_hours_per_week",
    "establishment_amount",
)


def contract_terms_validate(
    *, payment_model: str, payment_amount, payment_hourly_rate, payment_hours_per_week, places: int
) -> None:
    """The readable Danish version of the database's checks on agreed terms."""
    errors = {}
    if payment_model not in PaymentModel.values:
        errors["payment_model"] = f"Ukendt betalingsmodel: {payment_model}."
    if places is None or places < 1:
        errors["places"] = "En kontrakt skal have mindst 1 plads."
    if payment_model in (PaymentModel.PER_CANDIDATE_WEEK, PaymentModel.PER_PLACE_MONTH) and (
        payment_amount is None
    ):
        errors["payment_amount"] = "Betalingsmodellen kræver et beløb."
    if payment_model == PaymentModel.MENTOR_HOURS and (
        payment_hourly_rate is None or payment_hours_per_week is None
    ):
        errors["payment_hourly_rate"] = "Frikøb af mentortimer kræver timesats og timer pr. uge."
    for field, value in (
        ("payment_amount", payment_amount),
        ("payment_hourly_rate", payment_hourly_rate),
        ("payment_hours_per_week", payment_hours_per_week),
    ):
        if value is not None and Decimal(value) < 0:
            errors[field] = "Beløb og timer kan ikke være negative."
    if errors:
        raise ValidationError(errors)


def contract_places_ensure(*, contract: Contract, places: int | None = None) -> None:
    """Make sure place rows 1..places exist (places are never deleted: courses refer to them).

    `places` defaults to the contract's own; a signed amendment passes its (larger) number.
    """
    wanted = places if places is not None else contract.places
    existing = set(contract.place_set.values_list("number", flat=True))
    Place.objects.bulk_create(
        [Place(contract=contract, number=n) for n in range(1, wanted + 1) if n not in existing]
    )


@transaction.atomic
def contract_create(
    *, centre: Centre, start: date, end: date, places: int, payment_model: str, acting_user, **terms
) -> Contract:
    """Draft a contract for a centre and create its places.

    Raises ValidationError (Danish) when end is before start or the terms are incomplete.
    A contract below 4 places is allowed (the concept's minimum is a recommendation).
    """
    if end < start:
        raise ValidationError({"end": "Slutdatoen ligger før startdatoen."})
    contract_fields_validate(terms)
    contract_terms_validate(
        payment_model=payment_model,
        payment_amount=terms.get("payment_amount"),
        payment_hourly_rate=terms.get("payment_hourly_rate"),
        payment_hours_per_week=terms.get("payment_hours_per_week"),
        places=places,
    )
    contract = Contract.objects.create(
        centre=centre, start=start, end=end, places=places, payment_model=payment_model, **terms
    )
    contract_places_ensure(contract=contract)
    audit_record(acting_user=acting_user, action="contract.create", obj=contract)
    return contract


def contract_fields_validate(fields: dict) -> None:
    """The readable Danish version of the table's checks, for a whole draft at once."""
    errors = {}
    start, end = fields.get("start"), fields.get("end")
    if start and end and end < start:
        errors["end"] = "Slutdatoen ligger før startdatoen."
    for name in ("goal_ordinary_job_pct", "goal_education_pct"):
        value = fields.get(name)
        if value is not None and not 0 <= value <= 100:
            errors[name] = "En andel skal ligge mellem 0 og 100 %."
    age_min, age_max = fields.get("target_age_min"), fields.get("target_age_max")
    if age_min is not None and age_max is not None and age_max < age_min:
        errors["target_age_max"] = "Aldersgrænsen 'til' ligger under 'fra'."
    if errors:
        raise ValidationError(errors)


def _terms_validate(merged: dict) -> None:
    contract_terms_validate(
        payment_model=merged["payment_model"],
        payment_amount=merged["payment_amount"],
        payment_hourly_rate=merged["payment_hourly_rate"],
        payment_hours_per_week=merged["payment_hours_per_week"],
        places=merged["places"],
    )


def _locked(model, pk: int):
    """The row again, locked for the rest of the transaction (two clicks never both win)."""
    return model.objects.select_for_update().get(pk=pk)


@transaction.atomic
def contract_update(*, contract: Contract, acting_user, **fields) -> Contract:
    """Change a draft. Only EDITABLE_FIELDS; only while nobody has signed.

    Changing an approved contract sends it back to draft: the approvals were given to
    the old text. Unused signing links are revoked for the same reason.
    Raises ValidationError (Danish) and changes nothing when the input is wrong.
    """
    contract = _locked(Contract, contract.pk)
    if not contract.is_editable:
        raise ValidationError("Kontrakten er underskrevet og kan ikke ændres. Lav et tillæg.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Felterne kan ikke ændres her: {', '.join(sorted(unknown))}.")
    merged = {name: getattr(contract, name) for name in EDITABLE_FIELDS} | fields
    contract_fields_validate(merged)
    _terms_validate(merged)
    changed = [name for name, value in fields.items() if getattr(contract, name) != value]
    if not changed:
        return contract
    for name in changed:
        setattr(contract, name, fields[name])
    if contract.status == ContractStatus.APPROVED:
        contract.status = ContractStatus.DRAFT
        contract.works_council_approved_on = contract.lbr_approved_on = None
        contract.works_council_approved_by = contract.lbr_approved_by = ""
        contract.works_council_recorded_by = contract.lbr_recorded_by = None
    contract.save()
    contract_places_ensure(contract=contract)
    _signing_links_revoke(contract=contract, version=1)
    audit_record(acting_user=acting_user, action="contract.update", obj=contract, fields=changed)
    return contract


APPROVAL_BODIES = {
    "works_council": (
        "works_council_approved_on",
        "works_council_approved_by",
        "works_council_recorded_by",
    ),
    "lbr": ("lbr_approved_on", "lbr_approved_by", "lbr_recorded_by"),
}


@transaction.atomic
def contract_approval_record(
    *, contract: Contract, body: str, approved_by: str, approved_on: date, today: date, acting_user
) -> Contract:
    """Record that the works council/union (`works_council`) or the LBR (`lbr`) approved.

    When both have approved, the draft becomes *approved* and can be signed.
    Raises ValidationError (Danish) for an unknown body, a missing name, a future date or a
    contract that is no longer a draft.
    """
    if body not in APPROVAL_BODIES:
        raise ValidationError({"body": "Ukendt godkendelsesinstans."})
    if not approved_by.strip():
        raise ValidationError({"approved_by": "Skriv hvem der godkendte."})
    if approved_on > today:
        raise ValidationError({"approved_on": "Godkendelsesdatoen ligger i fremtiden."})
    contract = _locked(Contract, contract.pk)
    if contract.status != ContractStatus.DRAFT:
        raise ValidationError("Kun et udkast kan godkendes.")
    on_field, by_field, recorded_field = APPROVAL_BODIES[body]
    setattr(contract, on_field, approved_on)
    setattr(contract, by_field, approved_by.strip())
    setattr(contract, recorded_field, acting_user)
    if contract.is_approved:
        contract.status = ContractStatus.APPROVED
    contract.save()
    audit_record(
        acting_user=acting_user, action=f"contract.approve.{body}", obj=contract, fields=[on_field]
    )
    return contract


def contract_version_get(*, contract: Contract, version: int) -> Contract | Amendment:
    """The row that is `version` of the contract: the contract (1) or an amendment (2..).

    Raises Amendment.DoesNotExist for an unknown version.
    """
    if version == 1:
        return contract
    return contract.amendments.get(version=version)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _signing_links_revoke(*, contract: Contract, version: int) -> None:
    SigningLink.objects.filter(
        contract=contract, version=version, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


@transaction.atomic
def contract_signing_link_send(
    *,
    contract: Contract,
    version: int,
    director_name: str,
    director_email: str,
    url_for_token,
    now: datetime,
    acting_user,
) -> SigningLink:
    """E-mail the company's director a one-time link to sign `version` of the contract.

    `url_for_token(token)` makes the absolute URL at this jobcentre's host. Earlier unused
    links for the same version stop working. The token itself is only in the e-mail.
    Raises ValidationError (Danish) when the version is not ready for the director.
    """
    if not director_name.strip() or not director_email.strip():
        raise ValidationError("Skriv direktørens navn og e-mail.")
    contract = _locked(Contract, contract.pk)
    signer = contract_version_get(contract=contract, version=version)
    if not signer.is_ready_for_signing:
        raise ValidationError("Kontrakten skal være godkendt af samarbejdsudvalg og LBR først.")
    if signer.director_signed_at:
        raise ValidationError("Direktøren har allerede underskrevet.")
    _signing_links_revoke(contract=contract, version=version)
    token = secrets.token_urlsafe(32)
    link = SigningLink.objects.create(
        contract=contract,
        version=version,
        token_hash=_token_hash(token),
        director_name=director_name.strip(),
        email=director_email.strip(),
        created_by=acting_user,
        expires_at=now + timedelta(days=SIGNING_LINK_VALID_DAYS),
    )
    signer.director_name, signer.director_email = link.director_name, link.email
    signer.save(update_fields=["director_name", "director_email"])
    url = url_for_token(token)
    from documents.pdf import jobcenter_name

    jobcenter = jobcenter_name() or "Jobcentret"
    # Sent only when the link is stored; a rolled-back request sends nothing.
    email_send(
        to=[link.email],
        template="contracts/email/signing_link",
        context={
            "link": link,
            "contract": contract,
            "version": version,
            "jobcenter": jobcenter,
            "url": url,
            "expires": timezone.localtime(link.expires_at),
        },
    )
    audit_record(
        acting_user=acting_user,
        action="contract.signing_link.send",
        obj=contract,
        fields=[f"version:{version}"],
    )
    return link


class SigningLinkError(Exception):
    """A signing link that cannot be used; `reason` is the Danish text for the director."""

    def __init__(self, reason: str, *, status: int = 410):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def signing_link_check(*, token: str, now: datetime) -> SigningLink:
    """The usable link for `token` in this jobcentre, or SigningLinkError.

    404 for a token this jobcentre never issued (a link of another jobcentre included);
    410 for a link that was used, revoked or has expired.
    """
    link = (
        SigningLink.objects.select_related("contract__centre__company")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if link is None:
        raise SigningLinkError("Linket findes ikke.", status=404)
    if link.used_at:
        raise SigningLinkError("Linket er allerede brugt. Kontrakten er underskrevet.")
    if link.revoked_at:
        raise SigningLinkError("Linket er erstattet af et nyere link. Brug det seneste link.")
    if link.expires_at <= now:
        raise SigningLinkError("Linket er udløbet. Bed jobcentret om et nyt link.")
    return link


@transaction.atomic
def contract_sign_director(*, token: str, name: str, ip: str | None, now: datetime) -> SigningLink:
    """The director signs the link's version: records name, time and IP; the link dies.

    Raises SigningLinkError for an unknown, used, revoked or expired link and
    ValidationError (Danish) when the name is missing.
    """
    if not name.strip():
        raise ValidationError({"name": "Skriv dit fulde navn for at underskrive."})
    link = signing_link_check(token=token, now=now)
    link = SigningLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at:  # another request won the race
        raise SigningLinkError("Linket er allerede brugt. Kontrakten er underskrevet.")
    contract = _locked(Contract, link.contract_id)
    signer = contract_version_get(contract=contract, version=link.version)
    if not signer.is_ready_for_signing or signer.director_signed_at:
        raise SigningLinkError("Kontrakten kan ikke underskrives med dette link.")
    link.used_at, link.used_ip, link.used_name = now, ip, name.strip()
    link.save(update_fields=["used_at", "used_ip", "used_name"])
    signer.director_name, signer.director_signed_at, signer.director_ip = name.strip(), now, ip
    signer.save(update_fields=["director_name", "director_signed_at", "director_ip"])
    audit_record(
        acting_user=None,
        action="contract.sign.director",
        obj=contract,
        fields=[f"version:{link.version}", f"name:{name.strip()}"],
        ip=ip,
    )
    _signing_complete_if_both(contract=contract, signer=signer, acting_user=None)
    return link


@transaction.atomic
def contract_sign_chief(
    *, contract: Contract, version: int, password: str, now: datetime, acting_user
) -> Contract | Amendment:
    """The jobcenterchef signs `version` after re-entering the password.

    Raises ValidationError (Danish) for a wrong password, a user who is not jobcenterchef
    or a version that is not ready for signing.
    """
    from accounts.roles import ROLE_JOBCENTERCHEF

    if not acting_user.has_role(ROLE_JOBCENTERCHEF):
        raise ValidationError("Kun jobcenterchefen kan underskrive.")
    if not password or not acting_user.check_password(password):
        raise ValidationError({"password": "Forkert adgangskode. Kontrakten er ikke underskrevet."})
    contract = _locked(Contract, contract.pk)
    signer = contract_version_get(contract=contract, version=version)
    if not signer.is_ready_for_signing:
        raise ValidationError("Kontrakten skal være godkendt af samarbejdsudvalg og LBR først.")
    if signer.chief_signed_at:
        raise ValidationError("Jobcenterchefen har allerede underskrevet.")
    signer.chief_signed_by, signer.chief_signed_at = acting_user, now
    signer.save(update_fields=["chief_signed_by", "chief_signed_at"])
    audit_record(
        acting_user=acting_user,
        action="contract.sign.chief",
        obj=contract,
        fields=[f"version:{version}"],
    )
    _signing_complete_if_both(contract=contract, signer=signer, acting_user=acting_user)
    return signer


def _signing_complete_if_both(*, contract: Contract, signer, acting_user) -> None:
    """Both signed: the version is signed, its places exist, and its final PDF is rendered."""
    if not signer.is_signed:
        return
    if isinstance(signer, Amendment):
        signer.status = AmendmentStatus.SIGNED
        signer.save(update_fields=["status"])
        contract_places_ensure(contract=contract, places=max(signer.places, contract.places))
        version = signer.version
    else:
        contract.status = ContractStatus.SIGNED
        contract.save(update_fields=["status"])
        version = 1
    audit_record(
        acting_user=acting_user,
        action="contract.signed",
        obj=contract,
        fields=[f"version:{version}"],
    )
    contract_document_request(
        contract=contract,
        version=version,
        kind=ContractDocument.Kind.SIGNED,
        acting_user=acting_user,
    )


@transaction.atomic
def contract_status_transitions(*, today: date) -> dict[str, int]:
    """The daily job: signed -> active from the start date, -> ended after the end date.

    Returns how many contracts became active and ended. Idempotent: running it twice on
    the same day changes nothing the second time.
    """
    counts = {"activated": 0, "ended": 0}
    due = (
        Contract.objects.select_for_update()
        .filter(status__in=[ContractStatus.SIGNED, ContractStatus.ACTIVE], start__lte=today)
        .select_related("centre")
    )
    for contract in due:
        if contract.end < today:
            new = ContractStatus.ENDED
        elif contract.status == ContractStatus.SIGNED:
            new = ContractStatus.ACTIVE
        else:
            continue
        contract.status = new
        contract.save(update_fields=["status"])
        counts["activated" if new == ContractStatus.ACTIVE else "ended"] += 1
        audit_record(acting_user=None, action=f"contract.{new}", obj=contract)
    return counts


@transaction.atomic
def amendment_create(
    *, contract: Contract, valid_from: date, reason: str, acting_user, **terms
) -> Amendment:
    """A new version of a signed or active contract, to be signed again by both parties.

    `terms` are the PaymentTermsMixin fields; missing ones are taken from the version in force.
    Raises ValidationError (Danish) for a contract that is not signed, an open amendment,
    a date outside the contract period or incomplete terms.
    """
    contract = _locked(Contract, contract.pk)
    if contract.status not in (ContractStatus.SIGNED, ContractStatus.ACTIVE):
        raise ValidationError("Kun en underskrevet eller aktiv kontrakt kan få et tillæg.")
    if contract.amendments.filter(status=AmendmentStatus.DRAFT).exists():
        raise ValidationError("Der er allerede et tillæg til underskrift.")
    if not reason.strip():
        raise ValidationError({"reason": "Skriv en begrundelse for tillægget."})
    if not contract.start <= valid_from <= contract.end:
        raise ValidationError({"valid_from": "Datoen skal ligge i kontraktens periode."})
    unknown = set(terms) - set(TERMS_FIELDS)
    if unknown:
        raise ValidationError(f"Ukendte felter: {', '.join(sorted(unknown))}.")
    current = contract.amendments.filter(status=AmendmentStatus.SIGNED).order_by("-version").first()
    base = current or contract
    merged = {name: getattr(base, name) for name in TERMS_FIELDS} | terms
    _terms_validate(merged)
    last = contract.amendments.order_by("-version").values_list("version", flat=True).first()
    amendment = Amendment.objects.create(
        contract=contract,
        version=(last or 1) + 1,
        valid_from=valid_from,
        reason=reason.strip(),
        created_by=acting_user,
        director_name=contract.director_name,
        director_email=contract.director_email,
        **merged,
    )
    audit_record(
        acting_user=acting_user,
        action="contract.amendment.create",
        obj=contract,
        fields=[f"version:{amendment.version}"],
    )
    return amendment


@transaction.atomic
def contract_document_request(
    *, contract: Contract, version: int, kind: str, acting_user
) -> ContractDocument:
    """Queue the rendering of a PDF; the request never waits for it.

    A signed version's PDF is rendered once: asking again returns the stored document
    (or re-queues it only when the earlier attempt failed or was lost). Every preview
    request renders a new preview (the draft may have changed since the last one).
    Raises ValidationError (Danish) for a final PDF of a version that is not signed.
    """
    from .tasks import contract_document_render_task

    if kind not in ContractDocument.Kind.values:
        raise ValidationError("Ukendt dokumenttype.")
    signer = contract_version_get(contract=contract, version=version)
    document = None
    if kind == ContractDocument.Kind.SIGNED:
        if not signer.is_signed:
            raise ValidationError("Den underskrevne PDF dannes først, når begge har underskrevet.")
        document = (
            ContractDocument.objects.select_for_update()
            .filter(contract=contract, version=version, kind=kind)
            .first()
        )
        if document is not None and (
            document.state == ContractDocument.State.DONE or document.is_pending
        ):
            return document
        if document is not None:  # failed, or lost on the way
            document = job_requeue(run=document, task=contract_document_render_task)
    if document is None:
        document, _created = job_queue(
            model=ContractDocument,
            task=contract_document_render_task,
            acting_user=acting_user,
            # Two requests for the signed PDF at once queue it once; previews are many.
            single=kind == ContractDocument.Kind.SIGNED,
            contract=contract,
            version=version,
            kind=kind,
        )
    audit_record(
        acting_user=acting_user,
        action=f"contract.pdf.{kind}",
        obj=contract,
        fields=[f"version:{version}"],
    )
    return document


def contract_document_path(document: ContractDocument) -> Path:
    return Path(settings.MEDIA_ROOT) / document.file_path


def contract_document_render(*, document_id: int) -> ContractDocument | None:
    """Render a queued document (the Celery task's body). Records done or failed with a reason.

    Runs in the tenant's schema; the file goes to MEDIA_ROOT/<schema>/contracts/<id>/.
    A document already done or failed is left as it is (the signed PDF is made once; a
    failed one is rendered again only when someone asks again).
    Returns None when the document no longer exists (its contract was deleted).
    """
    from documents.pdf import html_to_pdf

    from .pdf import contract_pdf_html

    document = job_start(model=ContractDocument, run_id=document_id)
    if document is None:
        return ContractDocument.objects.filter(pk=document_id).first()
    try:
        contract = Contract.objects.select_related("centre__company", "chief_signed_by").get(
            pk=document.contract_id
        )
        started = time.monotonic()
        html = contract_pdf_html(
            contract=contract,
            version=document.version,
            draft=document.kind == ContractDocument.Kind.PREVIEW,
        )
        pdf, _fetcher = html_to_pdf(html)
        seconds = time.monotonic() - started
        sha256 = hashlib.sha256(pdf).hexdigest()
        relative = (
            f"{connection.schema_name}/contracts/{contract.pk}/"  # type: ignore[attr-defined]
            f"v{document.version}-{document.kind}-{document.pk}-{sha256[:12]}.pdf"
        )
        target = Path(settings.MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf)
    except Exception as exc:  # the reason is shown on the page; the task must not crash
        job_fail(model=ContractDocument, run_id=document.pk, message=job_error_message(exc))
    else:
        job_finish(
            model=ContractDocument,
            run_id=document.pk,
            message=f"{seconds:.2f} s",
            file_path=relative,
            sha256=sha256,
            size_bytes=len(pdf),
        )
    document.refresh_from_db()
    return document
