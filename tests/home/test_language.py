"""Danish by default, English by choice (issue 22): the language choice at the top of every
page posts to Django's set_language; the browser's Accept-Language never decides."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_browser_asking_for_english_still_gets_danish(login, tenant_a):
    client = login(tenant_a, "jobkonsulent")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="da">' in page
    assert "Log ud" in page and "Log out" not in page
    assert "Tilgængelighedserklæring" in page


def test_every_page_offers_dansk_and_english(login, tenant_a):
    page = login(tenant_a, "mentor").get("/").content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'value="da" lang="da"' in page and 'value="en" lang="en"' in page
    assert "English" in page and "Dansk" in page


def test_choosing_english_shows_english_and_choosing_dansk_goes_back(login, tenant_a):
    client = login(tenant_a, "jobkonsulent")
    answer = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert answer.status_code == 302 and answer["Location"] == "/"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Log out" in page and "Accessibility statement" in page
    # The menu keeps its groups in English (grouped by the translated labels).
    assert "Candidates" in page and "Follow-up" in page
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="da">' in page and "Log ud" in page


def test_an_unknown_language_is_ignored(login, tenant_a):
    client = login(tenant_a, "jobkonsulent")
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    client.cookies["django_language"] = "xx"
    assert '<html lang="da">' in client.get("/").content.decode()
