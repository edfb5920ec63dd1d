"""The contract as a PDF: a Django template rendered by WeasyPrint, fetching only our static files.

A contract's text is written by users and, through the template, becomes HTML that
WeasyPrint reads. WeasyPrint would fetch any URL it meets (http://, file:///etc/passwd);
the fetcher below refuses everything except the project's own static files, which it reads
through Django's staticfiles finders - never from the network.
"""

import mimetypes
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from codes import clock

from .models import Amendment, Contract

# A host under the reserved .invalid TLD: even a mistake can never reach a real server.
INTERNAL_BASE_URL = "https://virksomhedscenter.invalid/"


class StaticOnlyURLFetcher(URLFetcher):
    """Serves our static files from the staticfiles finders; refuses the rest.

    `fetched` and `refused` list the URLs asked for, so a caller (and a test) can see what
    the document tried to load.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fetched: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):  # noqa: ARG002 - the framework fixes the signature
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"Refused to fetch {url!r}: only the project's static files.")
        with open(path, "rb") as handle:
            body = handle.read()
        self.fetched.append(url)
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    @staticmethod
    def _static_path(url: str) -> str | None:
        parts = urlsplit(url)
        base = urlsplit(INTERNAL_BASE_URL)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            return None
        path = unquote(parts.path)
        if not path.startswith(settings.STATIC_URL) or ".." in path.split("/"):
            return None
        try:
            found = finders.find(path.removeprefix(settings.STATIC_URL))
        except SuspiciousFileOperation:
            return None
        return found if isinstance(found, str) else None


def jobcenter_name() -> str:
    """The current jobcentre's name (schema_context() sets a tenant without one)."""
    from tenants.models import Jobcenter

    name = getattr(connection.tenant, "name", "")
    if not name:
        name = (
            Jobcenter.objects.filter(schema_name=connection.schema_name)
            .values_list("name", flat=True)
            .first()
        ) or ""
    return name


def html_to_pdf(html: str) -> tuple[bytes, StaticOnlyURLFetcher]:
    """Render HTML to PDF bytes with the restricted fetcher; returns the fetcher for inspection."""
    fetcher = StaticOnlyURLFetcher(timeout=2, allowed_protocols=("https",))
    pdf = HTML(string=html, base_url=INTERNAL_BASE_URL, url_fetcher=fetcher).write_pdf()
    return pdf, fetcher


@dataclass(frozen=True)
class VersionTerms:
    """What one version of a contract agrees, and who signed that version."""

    version: int
    amendment: Amendment | None
    terms: Contract | Amendment  # the row holding places, mentor hours and payment
    signer: Contract | Amendment  # the row holding this version's signatures


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
            "amendments": list(contract.amendments.order_by("version")),
            "draft": draft,
            "printed_on": today or clock.today(),
        },
    )
