"""The history page in a real browser set to India's time (UTC+5:30): times and chart dates turn
local, the streak counts local days, and the chart's text stays 11 px or more on a phone and a
laptop. Skipped where chromium or playwright is missing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from starcoach.storage.transfer import EXPORT_FORMAT, EXPORT_VERSION
from support import CHROMIUM, FLAGS

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

ZONE = "Asia/Kolkata"

# Each chart text's size on screen: its font size times the drawing's scale.
RENDERED_SIZES = """() => [...document.querySelectorAll('svg.score-chart')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(
      t => parseFloat(getComputedStyle(t).fontSize) * scale);
  })"""


@pytest.fixture
def local_page() -> Iterator[Any]:
    """A chromium page whose clock reads India's time, in British English (24-hour times)."""
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(timezone_id=ZONE, locale="en-GB")
        try:
            yield context.new_page()
        finally:
            browser.close()


def practice_at(times: list[datetime]) -> dict[str, Any]:
    """An export holding one scored attempt at each time."""
    attempts = [
        {
            "id": n,
            "question": "Tell me about a launch that missed.",
            "answer": "I owned the launch and learned from it.",
            "created_at": when.astimezone(UTC).isoformat(),
            "score": 20 + (n * 7) % 80,
        }
        for n, when in enumerate(sorted(times), start=1)
    ]
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "attempts": attempts}


def test_times_and_the_streak_are_local(server: str, local_page: Any, tmp_path: Path) -> None:
    zone = ZoneInfo(ZONE)
    latest = datetime.now(zone) - timedelta(minutes=1)
    today = latest.date()
    # Local days today, yesterday and the day before; the attempt at 01:00 yesterday (local) is
    # on the day before in UTC, so UTC days see a gap where local days see none.
    times = [
        latest,
        datetime.combine(today - timedelta(days=1), datetime.min.time(), zone).replace(hour=1),
        datetime.combine(today - timedelta(days=2), datetime.min.time(), zone).replace(hour=12),
    ]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(practice_at(times)), "utf-8")
    p = local_page
    p.goto(server + "/history")
    p.set_input_files("input[name=file]", str(export))
    p.click("button:has-text('Import')")
    p.wait_for_url(server + "/history")
    stamps = p.locator("table.attempts time")
    assert stamps.count() == 3
    for n in range(3):
        shown = stamps.nth(n).inner_text()
        when = datetime.fromisoformat(stamps.nth(n).get_attribute("datetime")).astimezone(zone)
        assert "UTC" not in shown and when.strftime("%H:%M") in shown, shown
        assert str(when.day) in shown
    dates = p.locator("svg.score-chart.wide text.date").all_text_contents()
    assert dates[-1].split()[0] == str(today.day)  # the last date, a local day
    assert p.inner_text("[data-zone-note]") == "Dates and times are in your local time."
    assert p.inner_text("[data-streak-days]") == "3"
    assert p.inner_text("[data-streak-zone]") == "Counted in your local days."
    # Without the script the page counts UTC days, which here break the run.
    served = p.request.get(server + "/history").text()
    assert "<strong data-streak-days>3</strong>" not in served and "Counted in UTC days." in served


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_chart_text_is_at_least_11_px(
    server: str, local_page: Any, tmp_path: Path, width: int, height: int
) -> None:
    start = datetime.now(UTC) - timedelta(days=40)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(practice_at([start + timedelta(days=d) for d in range(40)])))
    p = local_page
    p.set_viewport_size({"width": width, "height": height})
    p.goto(server + "/history")
    p.set_input_files("input[name=file]", str(export))
    p.click("button:has-text('Import')")
    p.wait_for_url(server + "/history")
    sizes = p.evaluate(RENDERED_SIZES)
    assert len(sizes) == 5 + (3 if width < 700 else 6)  # score labels and dates, one chart
    assert min(sizes) >= 11, sizes
    overflow = p.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0


def test_the_mock_list_is_a_link_away_and_local(server: str, local_page: Any) -> None:
    """More mock interviews than the history lists: a link leads to all of them, in local time,
    and the phone layout does not scroll sideways."""
    p = local_page
    p.set_viewport_size({"width": 390, "height": 844})
    for _ in range(12):
        p.request.post(server + "/api/mock-sessions", data={"track": "new-graduate", "length": 3})
    p.goto(server + "/history")
    assert p.locator("ul.mocks > li").count() == 10
    p.click("text=See all 12 mock interviews")
    p.wait_for_url(server + "/history/mocks")
    assert p.locator("h1").inner_text() == "Your mock interviews"
    stamps = p.locator("ul.mocks time")
    assert stamps.count() == 12
    shown = stamps.first.inner_text()
    when = datetime.fromisoformat(stamps.first.get_attribute("datetime")).astimezone(ZoneInfo(ZONE))
    assert "UTC" not in shown and when.strftime("%H:%M") in shown, shown
    overflow = p.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
