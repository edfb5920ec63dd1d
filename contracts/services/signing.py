"""Signing: the chief in the application, the director through a one-time e-mailed link."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.emails import email_send
from audit.services import audit_record

from ..models import (
    Amendment,
    AmendmentStatus,
    Contract,
    ContractDocument,
    ContractStatus,
    SigningLink,
)
from ..pdf import version_fingerprint
from ..rules import NOT_APPROVED_MESSAGE
from .documents import contract_document_request
from .drafts import _locked, _signing_links_revoke, contract_places_ensure, contract_version_get

# A director has two weeks to open the link; after that a new link must be sent.
SIGNING_LINK_VALID_DAYS = getattr(settings, "CONTRACT_SIGNING_LINK_DAYS", 14)
TITLE_MAX = 150


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
        raise ValidationError(NOT_APPROVED_MESSAGE)
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
def contract_sign_director(
    *,
    token: str,
    name: str,
    ip: str | None,
    now: datetime,
    shown: str | None = None,
    title: str = "",
    document_sha256: str | None = None,
) -> SigningLink:
    """The director signs the link's version: records name, title, time and IP, and the
    SHA-256 of the PDF they were shown; the link dies.

    `shown` is pdf.version_fingerprint() of the version the page showed; when the version
    has changed since, nothing is signed. `document_sha256` is the SHA-256 of the PDF the
    page showed: it must be a finished PDF of this version (the signed PDF names it).
    Raises SigningLinkError for an unknown, used, revoked or expired link and
    ValidationError (Danish) when the name is missing, the version has changed or the
    document is not one of this version's.
    """
    if not name.strip():
        raise ValidationError({"name": "Skriv dit fulde navn for at underskrive."})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"Stillingen er for lang (højst {TITLE_MAX} tegn)."})
    link = signing_link_check(token=token, now=now)
    link = SigningLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at:  # another request won the race
        raise SigningLinkError("Linket er allerede brugt. Kontrakten er underskrevet.")
    contract = _locked(Contract, link.contract_id)
    signer = contract_version_get(contract=contract, version=link.version)
    if not signer.is_ready_for_signing or signer.director_signed_at:
        raise SigningLinkError("Kontrakten kan ikke underskrives med dette link.")
    _shown_is_current(contract=contract, version=link.version, shown=shown)
    if document_sha256 is not None and not (
        ContractDocument.objects.filter(
            contract=contract,
            version=link.version,
            kind=ContractDocument.Kind.PREVIEW,
            state=ContractDocument.State.DONE,
            sha256=document_sha256,
        ).exists()
    ):
        raise ValidationError("Dokumentet er ikke denne versions PDF - hent siden igen.")
    link.used_at, link.used_ip, link.used_name = now, ip, name.strip()
    link.used_title = title.strip()
    link.save(update_fields=["used_at", "used_ip", "used_name", "used_title"])
    signer.director_name, signer.director_signed_at, signer.director_ip = name.strip(), now, ip
    signer.director_title = title.strip()
    signer.director_signed_sha256 = document_sha256 or ""
    signer.save(
        update_fields=[
            "director_name",
            "director_signed_at",
            "director_ip",
            "director_title",
            "director_signed_sha256",
        ]
    )
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
    *,
    contract: Contract,
    version: int,
    password: str,
    now: datetime,
    acting_user,
    shown: str | None = None,
    name: str | None = None,
    title: str | None = None,
) -> Contract | Amendment:
    """The jobcenterchef signs `version` after re-entering the password, with the name and
    title the signature shows (the signing page asks for them, filled in from the user;
    left out, they are the user's own, the role's name when the user has no title).

    `shown` is pdf.version_fingerprint() of the version the page showed; when the version
    has changed since, nothing is signed.
    Raises ValidationError (Danish) for a wrong password, a user who is not jobcenterchef,
    a version that is not ready for signing or one that has changed.
    """
    from accounts.roles import ROLE_JOBCENTERCHEF

    if not acting_user.has_role(ROLE_JOBCENTERCHEF):
        raise ValidationError("Kun jobcenterchefen kan underskrive.")
    if not password or not acting_user.check_password(password):
        raise ValidationError({"password": "Forkert adgangskode. Kontrakten er ikke underskrevet."})
    name = (acting_user.get_full_name() or acting_user.email if name is None else name).strip()
    title = (acting_user.title or "Jobcenterchef" if title is None else title).strip()
    if not name:
        raise ValidationError({"name": "Skriv dit fulde navn for at underskrive."})
    if not title or len(title) > TITLE_MAX:
        raise ValidationError({"title": f"Skriv din stilling (højst {TITLE_MAX} tegn)."})
    contract = _locked(Contract, contract.pk)
    signer = contract_version_get(contract=contract, version=version)
    if not signer.is_ready_for_signing:
        raise ValidationError(NOT_APPROVED_MESSAGE)
    if signer.chief_signed_at:
        raise ValidationError("Jobcenterchefen har allerede underskrevet.")
    _shown_is_current(contract=contract, version=version, shown=shown)
    signer.chief_signed_by, signer.chief_signed_at = acting_user, now
    signer.chief_signed_name, signer.chief_signed_title = name, title
    signer.save(
        update_fields=[
            "chief_signed_by",
            "chief_signed_at",
            "chief_signed_name",
            "chief_signed_title",
        ]
    )
    audit_record(
        acting_user=acting_user,
        action="contract.sign.chief",
        obj=contract,
        fields=[f"version:{version}"],
    )
    _signing_complete_if_both(contract=contract, signer=signer, acting_user=acting_user)
    return signer


def _shown_is_current(*, contract: Contract, version: int, shown: str | None) -> None:
    """Refuse a signature of a version that changed after the page showed it (issue 19)."""
    if shown is not None and shown != version_fingerprint(contract, version):
        raise ValidationError("Kontrakten er ændret - se den igen.")


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
