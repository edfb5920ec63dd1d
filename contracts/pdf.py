"""One version of a contract as the HTML the PDF engine (documents.pdf) renders."""

import hashlib
from dataclasses import dataclass
from datetime import date

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
_NOT_CONTENT = ("signed", "approved", "recorded", "status", "director_", "created_", "import_")


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


def contract_pdf_html(
    *, contract: Contract, version: int, draft: bool, today: date | None = None
) -> str:
    """The HTML of one version of the contract, ready for WeasyPrint."""
    terms = version_terms(contract, version)
    return render_to_string(
        "contracts/pdf/contract.html",
        {
            "contract": contract,
            "centre": contract.centre,
            "company": contract.centre.company,
            "jobcenter_name": jobcenter_name(),
            "v": terms,
            "contract_approvals": list(contract.current_approvals),
            "amendments": list(contract.amendments.order_by("version")),
            "draft": draft,
            "printed_on": today or clock.today(),
        },
    )
