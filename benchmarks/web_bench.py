"""Page latency of `starcoach serve`, measured over real HTTP on this machine.

Run: python benchmarks/web_bench.py [--runs N]
Starts the server on a free loopback port with a throwaway data folder, then times each page.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

ANSWER = (
    "Last spring I was the night shift lead at a regional grocery warehouse with 40 pickers. "
    "Our biggest customer had started rejecting pallets because 6 percent of cases went to the "
    "wrong store. I pulled two weeks of rejection reports, found that 70 percent of errors came "
    "from two aisles, and had those labels reprinted. Errors fell to 0.8 percent within six "
    "weeks. Since then I map where errors happen before I change anything."
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    port = free_port()
    env = {**os.environ, "STARCOACH_HOME": tempfile.mkdtemp()}
    server = subprocess.Popen(
        [sys.executable, "-m", "starcoach", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    try:
        for _ in range(100):
            try:
                opener.open(base + "/").read()
                break
            except OSError:
                time.sleep(0.1)
        page = opener.open(base + "/practice/failed-product-launch").read().decode()
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match
        form = urlencode(
            {"csrf_token": match.group(1), "guide_id": "failed-product-launch", "answer": ANSWER}
        ).encode()
        api_body = json.dumps({"guide_id": "failed-product-launch", "answer": ANSWER}).encode()

        def post_form() -> None:
            opener.open(base + "/attempts", data=form).read()

        def post_api() -> None:
            request = urllib.request.Request(
                base + "/api/analyze", data=api_body, headers={"Content-Type": "application/json"}
            )
            opener.open(request).read()

        cases = {
            "GET / (library, 35 guides)": lambda: opener.open(base + "/").read(),
            "GET /?search=conflict": lambda: opener.open(base + "/?search=conflict").read(),
            "GET /guides/{id}": lambda: opener.open(base + "/guides/failed-product-launch").read(),
            "GET /practice/{id}": lambda: opener.open(
                base + "/practice/failed-product-launch"
            ).read(),
            "POST /attempts + feedback page": post_form,
            "GET /history": lambda: opener.open(base + "/history").read(),
            "POST /api/analyze": post_api,
        }
        print(f"{'request':36} {'p50 ms':>8} {'p95 ms':>8}")
        for name, call in cases.items():
            samples = []
            for _ in range(runs):
                start = time.perf_counter()
                call()
                samples.append((time.perf_counter() - start) * 1000)
            samples.sort()
            p95 = samples[min(int(0.95 * len(samples)), len(samples) - 1)]
            print(f"{name:36} {statistics.median(samples):8.1f} {p95:8.1f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
