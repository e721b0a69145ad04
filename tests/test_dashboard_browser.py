"""Issue 18, must-show 1: the dashboard in a real headless Chromium (Debian's chromium and
chromium-driver, through Selenium), against the real web app on a free port and the real
storage: log in through the one-time link /baocao gave, read the overview's numbers, sort
a column, download the Excel file and open it, switch to English; the page fits a phone
and the browser reports no error (a CSP violation would be one)."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.app import App
from tests import browser
from tests.dashboard_helpers import link_from_chat, running, staff_chat
from tests.progress_seed import VN, seed_weeks

pytestmark = pytest.mark.skipif(browser.missing() is not None, reason=str(browser.missing()))

# adults, learners finishing the core path each week for 12 weeks
VILLAGES = {"Thôn 2": (200, 3), "Thôn 10": (100, 1), "Thôn 1": (400, 2)}
NATURAL = ["Thôn 1", "Thôn 2", "Thôn 10"]


def _rows(driver: Any) -> list[list[str]]:
    from selenium.webdriver.common.by import By

    return [
        [cell.text.strip() for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
        for row in driver.find_elements(By.CSS_SELECTOR, "#villages tbody tr")
    ]


def _wait(driver: Any, condition: Any, seconds: float = 15) -> Any:
    """Until ``condition`` holds; an element the next page replaced while the condition read
    it (after a click that loads a page) counts as not yet, not as a failure."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, seconds, ignored_exceptions=ignored).until(condition)


def _click_heading(driver: Any, label: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.XPATH, f"//table[@id='villages']//th/button[.='{label}']").click()


def _scenario(driver: Any, link: str, downloads: Path) -> dict[str, Any]:
    """Everything a staff member does, in the browser (run in a worker thread while the
    event loop serves the pages)."""
    from selenium.webdriver.common.by import By

    seen: dict[str, Any] = {}
    driver.get(link)  # the link's page submits its form by itself
    _wait(driver, lambda d: "/dashboard/c/" in d.current_url and d.find_elements(By.ID, "villages"))
    seen["url"] = driver.current_url
    seen["h1"] = driver.find_element(By.TAG_NAME, "h1").text
    seen["rows"] = _rows(driver)
    seen["total"] = [
        cell.text.strip()
        for cell in driver.find_elements(By.CSS_SELECTOR, "#villages tfoot th, #villages tfoot td")
    ]
    seen["charts"] = driver.execute_script(
        "return Array.from(document.images).map(i => i.complete ? i.naturalWidth : -1)"
    )

    _click_heading(driver, "Người học")
    seen["by_learners_up"] = [row[0] for row in _rows(driver)]
    _click_heading(driver, "Người học")
    seen["by_learners_down"] = [row[0] for row in _rows(driver)]
    _click_heading(driver, "Thôn")
    seen["by_village"] = [row[0] for row in _rows(driver)]

    driver.find_element(By.LINK_TEXT, "Excel").click()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done = [p for p in downloads.glob("*.xlsx") if p.stat().st_size]
        if done and not list(downloads.glob("*.crdownload")):
            break
        time.sleep(0.1)
    seen["files"] = sorted(p.name for p in downloads.iterdir())

    driver.set_window_size(390, 844)
    seen["phone"] = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    driver.set_window_size(1366, 900)

    driver.find_element(By.XPATH, "//button[@value='en']").click()
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith("Overview"))
    seen["english"] = {
        "h1": driver.find_element(By.TAG_NAME, "h1").text,
        "headings": [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#villages thead th")],
        "lead": driver.find_element(By.CSS_SELECTOR, "p.lead").text,
        "rows": _rows(driver),
    }
    _click_heading(driver, "Learners")
    seen["english"]["sorted"] = [row[0] for row in _rows(driver)]
    seen["log"] = [
        entry for entry in driver.get_log("browser") if entry.get("level") in ("SEVERE", "ERROR")
    ]
    return seen


@pytest.fixture
async def seeded(app: App) -> App:
    """Twelve weeks of learners finishing the core path, snapshots taken by the real
    scheduler job, up to today (the dashboard reads the real clock)."""
    await seed_weeks(app, "Xã Tân Phú", VILLAGES, today=datetime.now(VN).date())
    return app


async def test_staff_use_the_dashboard_in_chromium(seeded: App, tmp_path: Path) -> None:
    app = seeded
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    async with running(app) as base:
        staff = await staff_chat(app, village=0)  # Thôn 1 (natural order), one more learner
        link = await link_from_chat(staff)
        assert link.startswith(f"{base}/dashboard/login/")
        driver = await asyncio.to_thread(browser.chromium, downloads)
        try:
            seen = await asyncio.to_thread(_scenario, driver, link, downloads)
        finally:
            await asyncio.to_thread(driver.quit)

    commune = await app.storage.commune_id("Xã Tân Phú")
    assert seen["url"] == f"{base}/dashboard/c/{commune}/"
    assert seen["h1"].startswith("Tổng quan")
    rows = {row[0]: row[1:] for row in seen["rows"]}
    assert list(rows) == NATURAL  # natural order: Thôn 2 before Thôn 10
    # adults, learners, finished the core path, keep it up, share, pace, target by
    # (nobody's reviews are overdue: everyone who finished keeps it up)
    assert rows["Thôn 1"][:5] == ["400", "25", "24", "24", "6%"]  # the staff member learns too
    assert rows["Thôn 2"][:5] == ["200", "36", "36", "36", "18%"]
    assert rows["Thôn 10"][:5] == ["100", "12", "12", "12", "12%"]
    assert rows["Thôn 2"][5] == "+1,5"  # 3 of 200 a week: 1.5 points a week
    assert seen["total"][:6] == ["Cả xã", "700", "73", "72", "72", "10%"]
    assert seen["charts"] == [1080, 1080]  # both charts drawn and shown

    assert seen["by_learners_up"] == ["Thôn 10", "Thôn 1", "Thôn 2"]
    assert seen["by_learners_down"] == ["Thôn 2", "Thôn 1", "Thôn 10"]
    assert seen["by_village"] == NATURAL

    (excel,) = [name for name in seen["files"] if name.endswith(".xlsx")]
    book = load_workbook(downloads / excel)
    sheet = book["Theo thôn"]
    table = {row[1]: row[2:5] for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]}
    assert table["Thôn 1"] == (400, 25, 24) and table["Thôn 10"] == (100, 12, 12)

    width, viewport = seen["phone"]
    assert width <= viewport == 390  # nothing wider than a phone (the table scrolls inside)

    english = seen["english"]
    assert english["h1"].startswith("Overview")
    assert english["headings"][:5] == [
        "Village",
        "Adults",
        "Learners",
        "Finished the core path",
        "Keep it up",
    ]
    assert english["lead"].startswith("Target for")
    assert {row[0]: row[5] for row in english["rows"]}["Thôn 2"] == "18%"
    assert english["sorted"] == ["Thôn 10", "Thôn 1", "Thôn 2"]
    assert seen["log"] == []  # no script error, no blocked resource (CSP)

    actions = [entry.action for entry in await app.storage.audit_entries()]
    assert "dashboard_login" in actions and "report_exported" in actions
