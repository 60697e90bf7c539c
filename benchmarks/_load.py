"""Virtual users: each logs in once, then repeats weighted steps with a pause between them, as a
person reading a page would. Every request is timed; every failure is kept, never hidden.

`STEPS` is the realistic mix, as data: a new route is one more line there. A step marked
`optional` is a route that may not exist yet in the tree being measured (the coach dashboard was
built alongside this benchmark): it is tried once before each run and, when it answers 404, left
out of the run and reported as not measured.
"""

from __future__ import annotations

import http.client
import json
import random
import select
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from _seed import PASSWORD, Account

TIMEOUT = 120  # as long as gunicorn lets a request run


@dataclass
class UserState:
    """What one virtual user knows: its account, its last attempt, what it may submit."""

    account: Account
    chooser: random.Random
    guides: list[str]
    answers: list[tuple[str, str]]
    last_attempt: int | None = None


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: dict[str, Any] | None = None
    expect: int = 200


@dataclass(frozen=True)
class Step:
    """One thing a user does, how often (`weight`, relative) and who does it."""

    name: str
    weight: int
    request: Callable[[UserState], Request | None]  # None: nothing to do for this user now
    roles: tuple[str, ...] = ("candidate",)
    page: bool = True  # an HTML page: the p95 target applies
    optional: bool = False  # may be missing (404): probed first, then measured or reported


def _guide(user: UserState) -> str:
    return user.chooser.choice(user.guides)


def _answer(user: UserState) -> Request:
    guide, answer = user.chooser.choice(user.answers)
    return Request("POST", "/api/attempts", {"guide_id": guide, "answer": answer}, expect=201)


def _feedback(user: UserState) -> Request | None:
    return Request("GET", f"/attempts/{user.last_attempt}") if user.last_attempt else None


def _dashboard(user: UserState) -> Request:
    return Request("GET", f"/coach/cohorts/{user.account.cohort}")


BOTH = ("candidate", "coach")
STEPS: list[Step] = [
    Step("library", 1, lambda u: Request("GET", "/"), roles=BOTH),
    Step("guide", 1, lambda u: Request("GET", f"/guides/{_guide(u)}"), roles=BOTH),
    Step("practice page", 1, lambda u: Request("GET", f"/practice/{_guide(u)}")),
    Step("submit answer", 1, _answer, page=False),
    Step("feedback page", 1, _feedback),
    Step("history", 1, lambda u: Request("GET", "/history")),
    Step("api attempts", 1, lambda u: Request("GET", "/api/attempts"), page=False),
    Step("coach dashboard", 2, _dashboard, roles=("coach",), optional=True),
]
LOGIN = "log in"


@dataclass
class Sample:
    step: str
    start: float  # time.monotonic() when sent
    seconds: float
    error: str | None = None


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    confirmed: dict[int, int] = field(default_factory=dict)  # attempt id -> owner id (201s)
    reconnects: int = 0
    retried: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def errors(self) -> Counter[str]:
        return Counter(f"{s.step}: {s.error}" for s in self.samples if s.error)


class Client:
    """One browser: a keep-alive connection and the session cookie.

    Like a browser, it never sends on a connection the server has already closed: it drops a
    connection that has been idle longer than the server keeps it, or that the server has
    closed (readable at EOF); and it sends a GET again once when a reused connection turns out
    closed before any answer came. A POST is never sent twice, so its failures always count.
    """

    def __init__(self, port: int, keep_alive: float, results: Results) -> None:
        self.port = port
        self.keep_alive = keep_alive
        self.results = results
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.cookie = ""
        self.last_used = 0.0

    def _fresh(self) -> None:
        sock = self.connection.sock
        if sock is None:
            return
        idle = time.monotonic() - self.last_used > self.keep_alive - 0.5
        if idle or select.select([sock], [], [], 0)[0]:
            self.connection.close()
            with self.results.lock:
                self.results.reconnects += 1

    def send(self, request: Request) -> tuple[int, bytes]:
        self._fresh()
        reused = self.connection.sock is not None
        try:
            return self._send(request)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()
            if not (reused and request.method == "GET"):
                raise
            with self.results.lock:
                self.results.retried += 1
            return self._send(request)

    def _send(self, request: Request) -> tuple[int, bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if request.body is not None:
            body = json.dumps(request.body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request(request.method, request.path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        self.last_used = time.monotonic()
        cookie = response.getheader("Set-Cookie")
        if cookie and cookie.startswith("starcoach_session="):
            self.cookie = cookie.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, data


def login_request(account: Account) -> Request:
    return Request("POST", "/api/login", {"email": account.email, "password": PASSWORD})


def unmeasured_steps(port: int, keep_alive: float, users: list[UserState]) -> dict[str, str]:
    """The optional steps left out of this run, each with why: its route answers 404 (tried
    once, by a user of its role), or no virtual user has its role."""
    left_out = {}
    for step in (s for s in STEPS if s.optional):
        user = next((u for u in users if u.account.role in step.roles), None)
        request = step.request(user) if user is not None else None
        if user is None or request is None:
            left_out[step.name] = f"no virtual user is a {' or '.join(step.roles)}"
            continue
        client = Client(port, keep_alive, Results())
        client.send(login_request(user.account))
        if client.send(request)[0] == 404:
            left_out[step.name] = f"{request.path} answers 404 (the route does not exist yet)"
        client.connection.close()
    return left_out


def timed(client: Client, results: Results, step: str, request: Request) -> bytes | None:
    """Send, time and record one request; the body when it got the expected status."""
    start = time.monotonic()
    error = None
    data = b""
    try:
        status, data = client.send(request)
        if status != request.expect:
            error = f"HTTP {status} {data[:160].decode(errors='replace')!r}"
    except Exception as exc:  # every failure is counted and shown
        client.connection.close()
        error = repr(exc)
    results.add(Sample(step, start, time.monotonic() - start, error))
    return None if error else data


def virtual_user(
    user: UserState,
    steps: list[Step],
    port: int,
    keep_alive: float,
    results: Results,
    start_at: float,
    stop_at: float,
    think: tuple[float, float],
) -> None:
    """Log in at `start_at`, then take steps until `stop_at`."""
    client = Client(port, keep_alive, results)
    steps = [s for s in steps if user.account.role in s.roles]
    weights = [s.weight for s in steps]
    time.sleep(max(0.0, start_at - time.monotonic()))
    login = login_request(user.account)
    while timed(client, results, LOGIN, login) is None:
        if time.monotonic() >= stop_at:
            return
        time.sleep(1)
    while time.monotonic() < stop_at:
        time.sleep(user.chooser.uniform(*think))
        if time.monotonic() >= stop_at:
            return
        step = user.chooser.choices(steps, weights)[0]
        request = step.request(user)
        if request is None:
            continue
        data = timed(client, results, step.name, request)
        if data is not None and request.method == "POST" and request.path == "/api/attempts":
            confirm(results, user, data, step.name)


def confirm(results: Results, user: UserState, data: bytes, step: str) -> None:
    """Keep the id of an answer the server confirmed: it must be in the database afterwards.
    A 201 without an id is an error too."""
    try:
        attempt_id = int(json.loads(data)["id"])
    except (ValueError, KeyError, TypeError):
        results.add(Sample(step, time.monotonic(), 0.0, f"201 without an id: {data[:160]!r}"))
        return
    user.last_attempt = attempt_id
    with results.lock:
        results.confirmed[attempt_id] = user.account.id


def run_users(
    users: list[UserState],
    steps: list[Step],
    port: int,
    keep_alive: float,
    duration: float,
    ramp: float,
    think: tuple[float, float],
    during: Callable[[float], None] | None = None,
) -> tuple[Results, float]:
    """Run every virtual user for `duration` seconds (logging in over the first `ramp`
    seconds); `during(start)` runs meanwhile in this thread. Returns the results and the run's
    wall time, from its start to the last answer."""
    results = Results()
    begin = time.monotonic()
    stop_at = begin + duration
    chooser = random.Random(7)
    threads = [
        threading.Thread(
            target=virtual_user,
            args=(
                u,
                steps,
                port,
                keep_alive,
                results,
                begin + chooser.uniform(0, ramp),
                stop_at,
                think,
            ),
            daemon=True,
        )
        for u in users
    ]
    for thread in threads:
        thread.start()
    if during is not None:
        during(begin)
    for thread in threads:
        thread.join()
    return results, time.monotonic() - begin
