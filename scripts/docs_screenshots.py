"""Refresh docs/screenshots: every page of the web app at 1366x900 and 390x844 (light theme).

Runs the same seeded server, chromium and pages as the UI tests (`tests/ui_support.py`), then
keeps the first two screens of each page as a small JPEG (desktop shots at 60 % scale) so the
gallery stays a couple of megabytes, and writes docs/screenshots/README.md listing them.
Full-size PNGs of every page, light and dark: `python tests/ui_support.py --out DIR`.

    python scripts/docs_screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (900, 0.6), "phone": (844, 1.0)}  # viewport height, scale kept


def shrink(png: Path, jpeg: Path, height: int, scale: float) -> None:
    image = Image.open(png).convert("RGB")
    image = image.crop((0, 0, image.width, min(image.height, 2 * height)))
    if scale != 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    image.save(jpeg, "JPEG", quality=72, optimize=True, progressive=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder)
        subprocess.run(
            [sys.executable, str(ROOT / "tests" / "ui_support.py"), "--out", str(raw)], check=True
        )
        # Shared mode's pages (log-in, account, admin, coach, a candidate's coached feedback):
        # their UI tests take the same shots into $STARCOACH_SCREENSHOTS.
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             "tests/test_admin_ui.py", "tests/test_coach_ui.py"],
            cwd=ROOT, env={**os.environ, "STARCOACH_SCREENSHOTS": str(raw)}, check=True,
        )  # fmt: skip
        OUT.mkdir(parents=True, exist_ok=True)
        for old in OUT.glob("*.jpg"):
            old.unlink()
        names = sorted({p.name.rsplit("-", 2)[0] for p in raw.glob("*-light.png")})
        rows = []
        for name in names:
            cells = []
            for size, (height, scale) in SIZES.items():
                shot = f"{name}-{size}.jpg"
                shrink(raw / f"{name}-{size}-light.png", OUT / shot, height, scale)
                cells.append(f"![{name}, {size}]({shot})")
            rows.append(f"| {name.replace('-', ' ')} | {' | '.join(cells)} |")
    header = [
        "# Every page, on a laptop and a phone",
        "",
        "Made by `python scripts/docs_screenshots.py` from a server seeded with a practice "
        "answer, a story, a mock interview and a plan (single-user mode), and from a shared "
        "server with an admin, a coach and a candidate (the log-in, account, admin and coach "
        "pages, and `ann`, a coached candidate's own pages). Each image is the first two "
        "screens of the page (1366x900, shown at 60 %, and 390x844), light theme. The UI "
        "tests take the same pages in both themes and check each for sideways scrolling and "
        "accessibility problems (`tests/test_ui_pages.py`, `tests/test_coach_ui.py`, "
        "`tests/test_admin_ui.py`).",
        "",
        "| page | 1366x900 | 390x844 |",
        "| --- | --- | --- |",
    ]
    (OUT / "README.md").write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} pages written to {OUT}")


if __name__ == "__main__":
    main()
