"""No answer that can carry personal data may be kept by a browser cache or a proxy:
every page, partial, print view and export of the URL conf, as every role, says no-store."""

import logging

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.conftest import TENANTS

from .test_isolation import ROLES, a_objects, fill, url_patterns


@pytest.fixture
def world(tenant_a):
    return a_objects(tenant_a)


def test_every_answer_to_every_role_says_no_store(world):
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.CRITICAL)
    cached, answered = [], 0
    try:
        for role in ROLES:
            client = Client(HTTP_HOST=TENANTS["alpha"]["domain"])
            if role is not None:
                with schema_context("alpha"):
                    client.force_login(world["users"][role])
            for name, route in url_patterns():
                if name in ("account_logout", "admin:logout"):
                    continue
                response = client.get(fill(name, route, world))
                answered += 1
                if "no-store" not in response.get("Cache-Control", ""):
                    cached.append(f"{role or 'anonym'} {name}: {response.status_code}")
    finally:
        request_logger.setLevel(level)
    assert answered > 500
    assert cached == []


def test_static_files_keep_their_own_caching(client_a):
    response = client_a.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
