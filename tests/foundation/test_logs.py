"""A request's log line (issue 29): JSON, with the jobcentre, the request id and the user's
id, and no personal data - no name, no e-mail address, no CPR number, no query string.

The line is read from the handler the settings configure (LOGGING "console"), its stream
swapped for a buffer: the formatter and the filter are those production runs.
"""

import io
import json
import logging

import pytest

from config.logs import CPR_MASK, REQUEST_LOGGER
from tests.factories import CandidateFactory

NAME = "Signe Vestergaard"
CPR = "150304-4123"


@pytest.fixture
def log_lines():
    """The JSON objects the settings' console handler writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    lines: list[dict] = []
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        handler.setStream(previous)
    return lines


def request_lines(lines):
    return [line for line in lines if line["logger"] == REQUEST_LOGGER]


def test_a_requests_log_line_carries_tenant_request_id_and_user_id_and_no_personal_data(
    tenant_a, login, log_lines
):
    from django_tenants.utils import schema_context

    with schema_context("alpha"):
        candidate = CandidateFactory(name=NAME, cpr=CPR.replace("-", ""))
    client = login(tenant_a, "jobkonsulent", email="signe.logs@alpha.test")
    from accounts.models import User

    with schema_context("alpha"):
        user_id = User.objects.get(email="signe.logs@alpha.test").pk

    detail = client.get(f"/kandidater/{candidate.pk}/", HTTP_X_REQUEST_ID="7F000001:D2A4_1F90")
    reveal = client.get(f"/kandidater/{candidate.pk}/cpr/")
    search = client.get("/kandidater/", {"q": NAME})
    assert detail.status_code == reveal.status_code == search.status_code == 200
    assert NAME in detail.content.decode()  # the page has the name; the log must not

    lines = request_lines(log_lines())
    assert [line["path"] for line in lines] == [
        f"/kandidater/{candidate.pk}/",
        f"/kandidater/{candidate.pk}/cpr/",
        "/kandidater/",  # the search words are not logged
    ]
    first = lines[0]
    assert first["request_id"] == "7F000001:D2A4_1F90"  # haproxy's id, kept
    assert detail["X-Request-ID"] == "7F000001:D2A4_1F90"
    assert first["tenant"] == "alpha"
    assert first["user_id"] == user_id
    assert first["status"] == 200
    assert first["method"] == "GET"
    assert first["view"] == "candidates:detail"
    assert first["duration_ms"] >= 0
    # A request without an id gets a new one, answered in the header.
    assert len(lines[1]["request_id"]) == 32
    assert reveal["X-Request-ID"] == lines[1]["request_id"]

    everything = json.dumps(log_lines(), ensure_ascii=False)
    for personal in (NAME, "Signe", "Vestergaard", CPR, CPR.replace("-", ""), "signe.logs"):
        assert personal not in everything


def test_a_forged_request_id_is_replaced(tenant_a, client_a, log_lines):  # noqa: ARG001
    response = client_a.get("/konto/login/", HTTP_X_REQUEST_ID='x" "injected": "1')
    line = request_lines(log_lines())[-1]
    assert line["request_id"] != 'x" "injected": "1'
    assert response["X-Request-ID"] == line["request_id"]
    assert line["tenant"] == "alpha"
    assert line["user_id"] is None


def test_a_cpr_number_in_a_message_or_a_traceback_is_masked(log_lines):
    logger = logging.getLogger("virksomhedscenter.somewhere")
    try:
        raise ValueError(f"bad value {CPR}")
    except ValueError:
        logger.exception("could not use %s", "1503044123")
    (line,) = [line for line in log_lines() if line["logger"] == "virksomhedscenter.somewhere"]
    assert line["message"] == f"could not use {CPR_MASK}"
    assert CPR not in line["exception"] and CPR_MASK in line["exception"]
    # Longer numbers are left alone (an amount, a P-number's neighbour, a timestamp).
    logger.warning("%s", "12345678901")
    assert log_lines()[-1]["message"] == "12345678901"
