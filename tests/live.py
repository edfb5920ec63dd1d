"""Requests at the same moment against a live server: its own threads, its own connections.

`live_tenant_server` (a fixture in tests/conftest.py) serves the test database on 127.0.0.1
from Django's threaded server; `LiveClient` is one browser: its own cookies (a signed-in
session, the CSRF cookie) and the jobcentre's Host header. `race(n, work)` starts `work(i)`
in n threads behind a barrier, so the requests leave together.
"""

import http.client
import threading
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connections
from django.test import Client
from django_tenants.utils import schema_context

from tests.conftest import TENANTS

# Django accepts an unmasked 32-character secret as the form's token (CSRF_SECRET_LENGTH).
CSRF_SECRET = "livetest" * 4


@dataclass
class Response:
    status: int
    body: str
    location: str


class LiveClient:
    """One browser against the live server at `port`, as a jobcentre's user."""

    def __init__(self, port: int, schema: str = "alpha", host: str | None = None):
        self.port = port
        self.schema = schema
        self.host = host or TENANTS[schema]["domain"]
        self.cookies = {"csrftoken": CSRF_SECRET}

    def login(self, user) -> "LiveClient":
        """Sign in as `user`: a session stored in the jobcentre's schema and committed (in a
        thread of its own, outside the test's transaction), so the server finds it."""

        def sign_in():
            try:
                with schema_context(self.schema):
                    client = Client(HTTP_HOST=self.host)
                    client.force_login(user)
                    return client.cookies["sessionid"].value
            finally:
                connections.close_all()

        self.cookies["sessionid"] = race(1, lambda _i: sign_in())[0]
        return self

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        body = None
        all_headers = {
            "Host": f"{self.host}:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if data is not None:
            body = urlencode({"csrfmiddlewaretoken": CSRF_SECRET, **data}, doseq=True)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            return Response(
                response.status,
                response.read().decode("utf-8", "replace"),
                response.getheader("Location") or "",
            )
        finally:
            conn.close()

    def get(self, path: str, headers=None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, headers=None) -> Response:
        return self.request("POST", path, data=data, headers=headers)


def race(n: int, work) -> list:
    """Run work(0) ... work(n-1) in n threads released together; their results in order."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list = []

    def run(i):
        try:
            barrier.wait(30)
            results[i] = work(i)
        except BaseException as exc:  # reported to the test below, never swallowed
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    if errors:
        raise errors[0]
    return results
