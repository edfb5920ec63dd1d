"""Screenshots of four screens of the demo (issue 22's before/after): the mentor's day on a
375 px phone, the jobkonsulent's start page, the dashboard and a contract page at 1366 px.

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--schema", default="middelfart")
    parser.add_argument("--prefix", required=True)
    args = parser.parse_args()
    base = f"http://{args.schema}.localhost:{args.port}"
    out = ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--headless", "--no-sandbox", "--host-resolver-rules=MAP *.localhost 127.0.0.1"],
        )
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
