"""The contract PDF: content, the UDKAST watermark, and a fetcher that fetches nothing foreign."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import BytesIO

import pytest
from django_tenants.utils import schema_context
from pypdf import PdfReader

from contracts.pdf import contract_pdf_html
from documents.pdf import html_to_pdf


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_draft_pdf_has_parties_sections_page_numbers_and_udkast(draft):
    with schema_context("alpha"):
        html = contract_pdf_html(contract=draft, version=1, draft=True)
        pdf, fetcher = html_to_pdf(html)
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    assert "Jobcenter Alfa" in text
    assert "Brugsen Nørre Aaby" in text
    assert draft.centre.company.cvr in text
    assert "4 pladser" in text
    assert "1.500,00 kr. pr. plads pr. måned" in text
    # No text for them in this draft: no heading either (issue 21).
    assert "Udslusning" not in text and "Fravær" not in text
    assert "UDKAST" in text
    assert "Version 1" in text
    assert "Side 1 af" in text
    # The stylesheet and the logo came from our static files, nothing else was asked for.
    assert fetcher.refused == []
    assert {url.rsplit("/", 1)[-1] for url in fetcher.fetched} == {"pdf.css", "logo.svg"}


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"GIF89a")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    _Recorder.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_fetcher_refuses_network_and_file_urls_in_raw_html(http_server):
    html = (
        f'<p>x</p><img src="{http_server}/tracker.gif">'
        '<img src="file:///etc/passwd"><link rel="stylesheet" href="file:///etc/passwd">'
        '<img src="https://virksomhedscenter.invalid/static/../../etc/passwd">'
    )
    pdf, fetcher = html_to_pdf(html)
    assert _Recorder.hits == []
    assert fetcher.fetched == []
    assert f"{http_server}/tracker.gif" in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    assert "root:" not in pdf_text(pdf)


def test_contract_text_with_img_tags_fetches_nothing(draft, http_server, konsulent):
    from contracts.services import contract_update

    evil = f'<img src="{http_server}/x.png"> <img src="file:///etc/passwd">'
    with schema_context("alpha"):
        contract = contract_update(contract=draft, goals_text=evil, acting_user=konsulent)
        pdf, fetcher = html_to_pdf(contract_pdf_html(contract=contract, version=1, draft=True))
    assert _Recorder.hits == []
    assert all("/static/contracts/" in url for url in fetcher.fetched)
    assert fetcher.refused == []  # escaped by the template: never even an element
    assert "file:///etc/passwd" in pdf_text(pdf)  # shown as text, not fetched
