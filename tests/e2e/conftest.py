"""Shared browser fixtures: Debian's Chromium through Playwright, against a live server.

The server is Django's LiveServerThread on 127.0.0.1; Chromium maps every *.localhost host
(the jobcentres' domains) to it. A test module commits its own rows in a module-scoped
`world` fixture (the server thread cannot see a test transaction) and deletes them after.
"""

import importlib.util
import os
import re
from urllib.parse import unquote, urlsplit

import pytest
from django.db import connection, transaction

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing_browser() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install -e '.[dev]')"
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    # Skip before any fixture runs, so no rows are committed for a test that cannot run.
    reason = _missing_browser()
    if reason:
        here = os.path.dirname(__file__)
        for item in items:
            if str(item.path).startswith(here):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's async guard would
    # then refuse the test's own (synchronous) database reads.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _browser()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--host-resolver-rules=MAP *.localhost 127.0.0.1",
            ],
        )
        watched = _CprUrlWatch(browser)
        yield watched
        browser.close()
        assert watched.cpr_urls == [], "CPR-shaped numbers in URLs: " + ", ".join(watched.cpr_urls)


CPR_IN_URL = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


class _CprUrlWatch:
    """The browser, with every request of every page it opens checked for a CPR-shaped
    number in its URL (history, server logs and Referer headers must never carry one)."""

    def __init__(self, browser):
        self._browser = browser
        self.cpr_urls: list[str] = []

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, *args, **kwargs):
        context = self._browser.new_context(*args, **kwargs)
        context.on("request", self._check)
        return context

    def _check(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.path.startswith("/static/"):
            return
        where = unquote(parts.path + "?" + parts.query)
        if CPR_IN_URL.search(where):
            self.cpr_urls.append(request.url)


@pytest.fixture(autouse=True)
def _close_test_connection():
    """Close the test's own connection: under Playwright's greenlets the test runs in a
    context of its own, whose connection pytest-django would never close (and then could
    not drop the test database)."""
    yield
    from django.db import connections

    connections.close_all()


def audit_events_delete(**lookups) -> None:
    """Delete a world's audit events (test clean-up only). The log is append-only; the
    trigger lets a transaction through that declared itself the retention job."""
    from audit.models import AuditEvent

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('audit.retention', 'on', true)")
        AuditEvent.objects.filter(**lookups).delete()


def menu_go(page, name: str, click=None) -> None:
    """Follow the main menu's link `name` as a person would: open the drawer on a tablet or
    phone ("Menu"), and the link's group (a DKFDS dropdown, home.navigation.GROUPS) when
    the link is in one. `click` clicks (the click-counting tests pass their counter's)."""
    from home.navigation import GROUPS

    click = click or (lambda element: element.click())
    opener = page.get_by_role("button", name="Menu", exact=True)
    if opener.is_visible():
        click(opener)
    menu = page.get_by_role("navigation", name="Hovedmenu")
    link = menu.get_by_role("link", name=name, exact=True)
    group = next((str(label) for label, names in GROUPS if name in names), None)
    if group and not link.is_visible():
        click(menu.get_by_role("button", name=group, exact=True))
    click(link)


def log_in(page, base_url: str, email: str, password: str) -> None:
    """Log in through the login form as a person would, and wait for the start page."""
    page.goto(base_url + "/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/")
