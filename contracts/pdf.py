"""One version of a contract as the HTML the PDF engine (documents.pdf) renders."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.template.loader import render_to_string

from codes import clock
from documents.pdf import jobcenter_name

from .models import Amendment, Contract


@dataclass(frozen=True)
class VersionTerms:
    """What one version of a contract agrees, and who signed that version."""

    version: int
    amendment: Amendment | None
    terms: Contract | Amendment  # the row holding places, mentor hours and payment
    signer: Contract | Amendment  # the row holding this version's signatures


# Fields that say who approved or signed and when, not what is agreed: a signature or an
# approval arriving while the other party reads the contract does not change what they sign.
_NOT_CONTENT = (
    "signed",
    "approved",
    "recorded",
    "status",
    "director_",
    "created_",
    "updated_",  # bookkeeping: bumped by every save, a signature included (codes.tracking)
    "import_",
)


def version_fingerprint(contract: Contract, version: int) -> str:
    """A short fingerprint of what `version` agrees (its terms and the parties' names).

    The signing forms carry it; a change in between (an edit, a new amendment text) makes
    the signature refused (issue 19). Raises Amendment.DoesNotExist for an unknown version.
    """
    terms = version_terms(contract, version).terms
    values = [
        f"{field.attname}={getattr(terms, field.attname)}"
        for field in terms._meta.concrete_fields
        if not any(part in field.attname for part in _NOT_CONTENT)
    ]
    company = contract.centre.company
    values += [contract.centre.name, company.name, company.cvr]
    return hashlib.sha256("|".join(values).encode()).hexdigest()[:16]


def version_terms(contract: Contract, version: int) -> VersionTerms:
    """The terms of `version` (1 = the contract, 2.. = amendments).

    Raises Amendment.DoesNotExist for an unknown version.
    """
    if version == 1:
        return VersionTerms(version=1, amendment=None, terms=contract, signer=contract)
    amendment = contract.amendments.get(version=version)
    return VersionTerms(version=version, amendment=amendment, terms=amendment, signer=amendment)


# The sections of a contract in their order; each is printed only when it has something to
# say (`contract_sections`), and the numbers follow the sections printed.
SECTION_ORDER = (
    "parties",
    "period",
    "goals",
    "target_group",
    "work_tasks",
    "support_activities",
    "mentor",
    "reception",
    "absence",
    "udslusning",
    "payment",
    "approvals",
    "termination",
)


def contract_sections(contract: Contract, terms: Contract | Amendment) -> dict[str, int]:
    """{section: its number} for the sections of `contract` that have content.

    Parties, period, payment and approvals always have; a text section only when its text
    (or, for goals and target group, one of its figures) is there; the mentor section when
    the version agrees mentor hours; the termination section when the contract is ended
    early. A section without content is left out, heading and all.
    """
    present = {
        "parties": True,
        "period": True,
        "goals": bool(contract.goals_text.strip())
        or contract.goal_ordinary_job_pct is not None
        or contract.goal_education_pct is not None,
        "target_group": bool(contract.target_group.strip())
        or bool(contract.target_age_min or contract.target_age_max or contract.target_barriers),
        "work_tasks": bool(contract.work_tasks.strip()),
        "support_activities": bool(contract.support_activities.strip()),
        "mentor": bool(terms.mentor_hours_per_week),
        "reception": bool(contract.reception.strip()),
        "absence": bool(contract.absence_handling.strip()),
        "udslusning": bool(contract.udslusning.strip()),
        "payment": True,
        "approvals": True,
        "termination": contract.terminated_on is not None,
    }
    shown = [name for name in SECTION_ORDER if present[name]]
    return {name: number for number, name in enumerate(shown, start=1)}


@dataclass(frozen=True)
class Signature:
    """One party's signature as the document prints it."""

    party: str  # "jobcentret" / "virksomheden"
    name: str
    title: str
    organisation: str
    signed_at: datetime | None


def chief_signatory_name(signer: Contract | Amendment) -> str:
    """The chief's name as signed; for a signature from before names were stored, the
    signing user's name (or, lacking one, e-mail). Empty before the chief signs."""
    if not signer.chief_signed_at:
        return ""
    user = signer.chief_signed_by
    return signer.chief_signed_name or (user.get_full_name() or user.email if user else "")


def version_signatures(
    *, contract: Contract, signer: Contract | Amendment, jobcenter: str
) -> list[Signature]:
    """Both parties' signatures of one version: name, title and time as given when signing
    (before the chief signs, the name is empty; an older signature without a stored name
    shows the signing user's name)."""
    chief_name = chief_signatory_name(signer)
    company = contract.centre.company
    return [
        Signature(
            party="jobcentret",
            name=chief_name,
            title=signer.chief_signed_title or ("Jobcenterchef" if chief_name else ""),
            organisation=jobcenter,
            signed_at=signer.chief_signed_at,
        ),
        Signature(
            party="virksomheden",
            name=signer.director_name if signer.director_signed_at else "",
            title=signer.director_title if signer.director_signed_at else "",
            organisation=f"{company.name} (CVR {company.cvr})",
            signed_at=signer.director_signed_at,
        ),
    ]


def version_approvals(*, contract: Contract):
    """The approval section of the record: each step of the jobcentre's settings with the
    approval given to the present text (or None), then approvals of steps no longer used."""
    from .selectors import contract_approval_state

    return contract_approval_state(contract=contract)


def version_context(*, contract: Contract, version: int, jobcenter: str, approvals=None) -> dict:
    """What the contract text (page and PDF alike) needs for one version (`approvals`: the
    contract's ApprovalState when the caller has read it already)."""
    terms = version_terms(contract, version)
    approvals = approvals or version_approvals(contract=contract)
    return {
        "contract": contract,
        "centre": contract.centre,
        "company": contract.centre.company,
        "jobcenter_name": jobcenter,
        "v": terms,
        "sections": contract_sections(contract, terms.terms),
        "approvals": approvals,
        "contract_approvals": [a for _step, a in approvals.steps if a] + approvals.other,
        "signatures": version_signatures(
            contract=contract, signer=terms.signer, jobcenter=jobcenter
        ),
    }


def _versions_if_amended(contract: Contract) -> list:
    """The versions table of a contract with amendments (the page's status words)."""
    from .selectors import contract_versions

    if not contract.amendments.exists():
        return []
    return contract_versions(contract=contract)


def contract_pdf_html(
    *, contract: Contract, version: int, draft: bool, today: date | None = None
) -> str:
    """The HTML of one version of the contract, ready for WeasyPrint.

    `draft` is any PDF but the signed one: an unapproved draft carries the UDKAST
    watermark, a version ready for signing says "til underskrift" (it is the document the
    parties are shown and sign). The signed PDF names, in its metadata, the SHA-256 of the
    PDF the director signed.
    """
    context = version_context(contract=contract, version=version, jobcenter=jobcenter_name())
    signer = context["v"].signer
    stage = "signed" if not draft else ("to_sign" if signer.is_ready_for_signing else "draft")
    return render_to_string(
        "contracts/pdf/contract.html",
        context
        | {
            "versions": _versions_if_amended(contract),
            "draft": stage == "draft",
            "stage": stage,
            "signed_sha256": signer.director_signed_sha256 if stage == "signed" else "",
            "printed_on": today or clock.today(),
        },
    )
