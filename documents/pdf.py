"""The PDF engine: HTML (a Django template) rendered by WeasyPrint, fetching only our static
files. Contracts, statements, the dashboard and the audit exports all render through it.

A document's text (a contract's, for one) is written by users and, through the template,
becomes HTML that WeasyPrint reads. WeasyPrint would fetch any URL it meets (http://, file:///etc/passwd);
the fetcher below refuses everything except the project's own static files, which it reads
through Django's staticfiles finders - never from the network.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tenants.models import Jobcenter

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
    name = getattr(connection.tenant, "name", "")
    if not name:
        name = (
            Jobcenter.objects.filter(schema_name=connection.schema_name)
            .values_list("name", flat=True)
            .first()
        ) or ""
    return name


# The accessible variant: PDF/UA-1 tags the document (structure tree, reading order) and
# marks it; WeasyPrint takes /Lang from <html lang> and the title from <title>.
ACCESSIBLE_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str, *, accessible: bool = False) -> tuple[bytes, StaticOnlyURLFetcher]:
    """Render HTML to PDF bytes with the restricted fetcher; returns the fetcher for inspection.

    `accessible` renders the tagged PDF/UA variant, with the document's own <meta> tags
    (author, description, keywords and any custom name) in its metadata.
    """
    fetcher = StaticOnlyURLFetcher(timeout=2, allowed_protocols=("https",))
    options = {"pdf_variant": ACCESSIBLE_VARIANT, "custom_metadata": True} if accessible else {}
    pdf = HTML(string=html, base_url=INTERNAL_BASE_URL, url_fetcher=fetcher).write_pdf(**options)
    return pdf, fetcher
