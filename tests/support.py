"""What the tests that run things for real share: a free port, a real server in a subprocess
that is stopped when the test ends, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """Start the command, wait until it listens on the port, yield its URL, stop it after."""
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the server did not start: " + log.read_text())
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def browser_page(flags: list[str], *, bypass_csp: bool = False) -> Iterator[object]:
    """A fresh chromium page (a playwright Page) at desktop size, closed after. `bypass_csp`
    lets a test inject a script the app's Content-Security-Policy would refuse (axe-core)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        context = browser.new_context(
            viewport={"width": 1200, "height": 900}, bypass_csp=bypass_csp
        )
        try:
            yield context.new_page()
        finally:
            browser.close()
