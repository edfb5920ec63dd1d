"""Screenshots of the demo's screens for an issue's before/after.

`--set 22` (the default): the mentor's day on a 375 px phone, the jobkonsulent's start page,
the dashboard and a contract page at 1366 px. `--set 23` (the daily paths): visitation of the
first waiting candidate and the audit log at 1366 px, the mentor's day at 375 px, named
`<prefix>-daily-<screen>.png`. The demo has nobody waiting, so the first run refers the
walk's candidate (a language barrier, wishes for the warehouse and the bakery). The audit log
is the chef's page and the chef must use two-factor login: for the screenshots the server
ran with a settings module that imports config.settings.local and empties
MFA_REQUIRED_ROLES.

Run against a server serving the demo jobcentres (`WEB_PORT=8201 make run`):
    .venv/bin/python scripts/screens.py --port 8201 --prefix after
PNG files go to docs/screens/<prefix>-<screen>.png.
"""

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-adgang-2026"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def _browser(p):
    return p.chromium.launch(
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        args=["--headless", "--no-sandbox", "--host-resolver-rules=MAP *.localhost 127.0.0.1"],
    )


def refer_walk_candidate(page, base: str) -> None:
    """The walk's candidate (the demo has nobody waiting): a language barrier, wishes for
    the warehouse and the bakery, referred by the sagsbehandler through the form."""
    page.goto(base + "/kandidater/henvisning/")
    page.get_by_label("CPR-nummer").fill("150390-4127")
    page.get_by_label("CPR-nummer").press("Enter")
    page.get_by_label("Navn").fill("Amira Hassan")
    page.get_by_label("Ydelse").select_option(label="Kontanthjælp")
    box = page.get_by_label("Sprog")
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    page.get_by_label("Begrundelse for henvisning").fill("Afklaring af arbejdsevne")
    page.get_by_label("Kandidatens ønsker til arbejde").fill("lager, gerne bager")
    page.get_by_role("button", name="Opret og henvis").click()
    page.wait_for_load_state()


def daily_screens(*, base: str, args) -> None:
    """Issue 23's screens: visitation, the mentor's day (375 px) and the audit log."""
    out = ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    name = f"{args.prefix}-daily"
    with sync_playwright() as p:
        browser = _browser(p)
        phone = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="da-DK")
        page = phone.new_page()
        log_in(page, base, f"mentor@{args.schema}.demo.dk")
        page.goto(base + "/mentor/")
        page.screenshot(path=out / f"{name}-mentor-day-375.png", full_page=True)
        phone.close()

        desk = browser.new_context(viewport=DESKTOP, device_scale_factor=1, locale="da-DK")
        page = desk.new_page()
        log_in(page, base, f"sagsbehandler@{args.schema}.demo.dk")
        page.goto(base + "/kandidater/venteliste/")
        if not page.locator("main tbody tr").filter(has_text="Amira Hassan").count():
            refer_walk_candidate(page, base)
        desk.close()

        desk = browser.new_context(viewport=DESKTOP, device_scale_factor=1, locale="da-DK")
        page = desk.new_page()
        log_in(page, base, f"jobkonsulent@{args.schema}.demo.dk")
        page.goto(base + "/kandidater/venteliste/")
        page.locator("main a[href$='/visitation/']").first.click()
        page.wait_for_load_state()
        page.screenshot(path=out / f"{name}-visitation.png", full_page=True)
        desk.close()

        desk = browser.new_context(viewport=DESKTOP, device_scale_factor=1, locale="da-DK")
        page = desk.new_page()
        log_in(page, base, f"jobcenterchef@{args.schema}.demo.dk")
        page.goto(base + "/revision/")
        page.screenshot(path=out / f"{name}-audit-log.png", full_page=True)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--schema", default="middelfart")
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--set", choices=["22", "23"], default="22")
    args = parser.parse_args()
    if args.set == "23":
        daily_screens(base=f"http://{args.schema}.localhost:{args.port}", args=args)
        return
    base = f"http://{args.schema}.localhost:{args.port}"
    out = ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _browser(p)
        phone = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="da-DK")
        page = phone.new_page()
        log_in(page, base, f"mentor@{args.schema}.demo.dk")
        page.goto(base + "/mentor/")
        page.screenshot(path=out / f"{args.prefix}-mentor-day-375.png")
        phone.close()

        desk = browser.new_context(viewport=DESKTOP, device_scale_factor=1, locale="da-DK")
        page = desk.new_page()
        log_in(page, base, f"jobkonsulent@{args.schema}.demo.dk")
        page.screenshot(path=out / f"{args.prefix}-jobkonsulent-start.png", full_page=True)
        page.goto(base + "/statistik/")
        page.screenshot(path=out / f"{args.prefix}-dashboard.png", full_page=True)
        page.goto(base + "/kontrakter/")
        href = page.locator("main a[href^='/kontrakter/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
            ".filter(h => /^\\/kontrakter\\/\\d+\\/$/.test(h))"
        )[0]
        page.goto(base + href)
        page.screenshot(path=out / f"{args.prefix}-contract.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
