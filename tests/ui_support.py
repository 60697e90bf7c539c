"""Every page of the web app in a real browser, at a laptop's and a phone's size, light and dark:
a screenshot of each, whether it scrolls sideways, and what axe-core finds.

The tests (tests/test_ui_pages.py) use it; anyone can run it by hand to see every page:

    python tests/ui_support.py --out screenshots/

It starts `starcoach serve` on a free port with a throwaway data folder, fills it through the
JSON API (attempts, a story, a finished and an unfinished mock interview, a plan), then visits
every page. axe-core is vendored in tests/vendor/axe-core (nothing is fetched).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
SCHEMES = ("light", "dark")
SERIOUS = ("serious", "critical")
MODERATE = ("moderate", *SERIOUS)

GUIDE = "failed-product-launch"
POSTING = """Customer Support Team Lead

- Coach a team of 12 support agents through weekly one-to-ones and honest feedback
- Own escalations from our largest customers and turn them around
- Use ticket data to find the root causes of repeat contacts
"""
STORY = {
    "title": "The repeat-contact project",
    "role": "Support team lead",
    "situation": "Our support queue had grown to 900 open tickets and a third were repeats.",
    "action": "I tagged two weeks of tickets by cause and rewrote the three help articles "
    "behind most repeats, then trained the team on the new answers.",
    "result": "Repeat contacts fell from 31% to 12% in six weeks and the backlog halved.",
    "learning": "I now look at why customers come back before I add people.",
    "competencies": ["Problem Solving"],
}


def _api(server: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        server + path,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        result: dict[str, Any] = json.loads(response.read())
        return result


def seed(server: str, answer: str) -> dict[str, str]:
    """Fill a fresh data folder the way a user would, and name the pages that show it."""
    first = _api(server, "/api/attempts", {"guide_id": GUIDE, "answer": answer[:400]})
    _api(server, "/api/attempts", {"guide_id": GUIDE, "answer": answer, "previous_id": first["id"]})
    story = _api(server, "/api/stories", STORY)
    finished = _api(server, "/api/mock-sessions", {"track": "new-graduate", "length": 3})
    while not finished["finished"]:
        finished = _api(server, f"/api/mock-sessions/{finished['id']}/answers", {"answer": answer})
    open_session = _api(server, "/api/mock-sessions", {"track": "product-sense", "length": 3})
    plan = _api(server, "/api/plans", {"posting": POSTING})
    return {
        "library": "/",
        "guide": f"/guides/{GUIDE}",
        "practice": f"/practice/{GUIDE}",
        "feedback": f"/attempts/{first['id'] + 1}",
        "history": "/history",
        "mock interviews": "/history/mocks",
        "stories": "/stories",
        "story": f"/stories/{story['id']}",
        "story form": "/stories/new",
        "coverage": "/stories/coverage",
        "story match": "/stories/match?question=Tell+me+about+a+time+you+fixed+a+root+cause",
        "mock start": "/mock",
        "mock in progress": f"/mock/{open_session['id']}",
        "mock scorecard": f"/mock/{finished['id']}",
        "plan start": "/plan",
        "plan": f"/plans/{plan['id']}",
        "new guide": "/new-guide",
        "not found": "/guides/no-such-guide",
    }


@dataclass
class PageReport:
    name: str
    size: str
    scheme: str
    screenshot: Path
    overflow: int  # how many pixels the page scrolls sideways
    violations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def serious(self) -> list[str]:
        return self.at_least(SERIOUS)

    def at_least(self, impacts: tuple[str, ...]) -> list[str]:
        return [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes)"
            for v in self.violations
            if v["impact"] in impacts
        ]


def audit(page: Any, server: str, name: str, path: str, out: Path) -> list[PageReport]:
    """One page at every size and scheme."""
    reports = []
    for size, (width, height) in SIZES.items():
        for scheme in SCHEMES:
            page.set_viewport_size({"width": width, "height": height})
            page.emulate_media(color_scheme=scheme)
            page.goto(server + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            shot = out / f"{name.replace(' ', '-')}-{size}-{scheme}.png"
            page.screenshot(path=str(shot), full_page=True)
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                " nodes: v.nodes.map(n => n.target.join(' '))}))"
            )
            reports.append(PageReport(name, size, scheme, shot, int(overflow), found))
    return reports


@contextmanager
def seeded_server(home: Path, answer: str) -> Iterator[tuple[str, dict[str, str]]]:
    from support import free_port, running_server

    port = free_port()
    env = dict(os.environ, STARCOACH_HOME=str(home))
    command = [sys.executable, "-m", "starcoach", "serve", "--port", str(port)]
    with running_server(command, env, port, home.parent / "server.log") as url:
        yield url, seed(url, answer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(HERE))
    from starcoach.guides.library import load_library
    from support import FLAGS, browser_page

    answer = load_library(include_user=False).get(GUIDE).sample_answer
    with (
        tempfile.TemporaryDirectory() as folder,
        seeded_server(Path(folder) / "home", answer) as (server, pages),
        browser_page(FLAGS, bypass_csp=True) as page,
    ):
        for name, path in pages.items():
            for report in audit(page, server, name, path, args.out):
                problems = report.at_least(MODERATE) + ([f"scrolls sideways {report.overflow}px"]
                                             if report.overflow > 0 else [])  # fmt: skip
                status = "; ".join(problems) or "ok"
                print(f"{name:17} {report.size:7} {report.scheme:5} {status}")
    print(f"screenshots in {args.out}/")


if __name__ == "__main__":
    main()
