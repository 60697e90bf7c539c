"""A deployment's settings from STARCOACH_* variables: a bad one is an error naming it; proxies'
headers are believed only when declared; cookies are https-only and HSTS goes out over https."""

from __future__ import annotations

import subprocess
import sys

import pytest
from flask import Flask

from starcoach.web import create_app
from starcoach.web.settings import Settings, SettingsError

KEY = "k" * 40


def production(**env: str) -> Settings:
    return Settings.production({"STARCOACH_SECRET_KEY": KEY, **env})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STARCOACH_SECRET_KEY", ""),
        ("STARCOACH_SECRET_KEY", "short"),
        ("STARCOACH_BEHIND_PROXY", "yes"),
        ("STARCOACH_BEHIND_PROXY", "-1"),
        ("STARCOACH_BEHIND_PROXY", "99"),
        ("STARCOACH_ALLOWED_HOSTS", "https://coach.example.org"),
        ("STARCOACH_ALLOWED_HOSTS", "coach.example.org:443"),
        ("STARCOACH_ALLOWED_HOSTS", "coach example"),
        ("STARCOACH_SECURE_COOKIES", "maybe"),
    ],
)
def test_a_bad_variable_is_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        production(**{name: value})


def test_production_defaults_and_parsing() -> None:
    settings = production(
        STARCOACH_ALLOWED_HOSTS=" Coach.Example.org, ,10.0.0.5,2001:db8::1 ",
        STARCOACH_BEHIND_PROXY="1",
        STARCOACH_DATABASE_URL="postgresql+psycopg://app@db/starcoach",
    )
    assert settings.allowed_hosts == ("coach.example.org", "10.0.0.5", "[2001:db8::1]")
    assert settings.behind_proxy == 1 and settings.secret_key == KEY
    assert settings.secure_cookies and settings.access_log
    assert settings.database_url == "postgresql+psycopg://app@db/starcoach"
    assert not production(STARCOACH_SECURE_COOKIES="0").secure_cookies
    assert production(STARCOACH_SECURE_COOKIES="").secure_cookies  # empty: the default
    assert production().database_url is None and production().behind_proxy == 0


def app_for(database_url: str, **env: str) -> Flask:
    config = production(STARCOACH_DATABASE_URL=database_url, **env).app_config()
    return create_app({**config, "TESTING": True, "ACCESS_LOG": False})


def test_cookies_are_https_only_and_hsts_goes_out_over_https(database_url: str) -> None:
    app = app_for(database_url)
    try:
        plain = app.test_client().get("/login")
        secure = app.test_client().get("/login", base_url="https://localhost")
        forged = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    finally:
        app.extensions["starcoach"].close()
    assert "; Secure" in secure.headers["Set-Cookie"]
    assert "; Secure" in plain.headers["Set-Cookie"]  # the browser then keeps it off plain http
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in plain.headers
    assert "Strict-Transport-Security" not in forged.headers  # no proxy declared: not believed


def test_without_secure_cookies_neither(database_url: str) -> None:
    app = app_for(database_url, STARCOACH_SECURE_COOKIES="0")
    try:
        response = app.test_client().get("/login", base_url="https://localhost")
    finally:
        app.extensions["starcoach"].close()
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


def test_behind_a_declared_proxy_https_and_the_host_come_from_it(database_url: str) -> None:
    """nginx talks plain http to the app on loopback; the browser's origin is https on the
    public name. Only with the proxy declared do the cross-site and Host checks agree."""
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "coach.example.org"}
    browser = {"Origin": "https://coach.example.org", "Sec-Fetch-Site": "same-origin"}
    results = {}
    for proxies in ("0", "1"):
        app = app_for(
            database_url,
            STARCOACH_BEHIND_PROXY=proxies,
            STARCOACH_ALLOWED_HOSTS="coach.example.org",
        )
        try:
            response = app.test_client().delete("/api/stories/999", headers={**proxied, **browser})
            results[proxies] = (response.status_code, response.headers)
        finally:
            app.extensions["starcoach"].close()
    assert results["0"][0] == 403  # http://localhost is not the browser's origin
    status, headers = results["1"]
    # Past the cross-site and Host checks, to the log-in guard (accounts are on).
    assert status == 401 and headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_production_entry_refuses_a_bad_setting_in_one_line() -> None:
    env = {"STARCOACH_SECRET_KEY": KEY, "STARCOACH_BEHIND_PROXY": "two", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import starcoach.web.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3  # gunicorn's "worker failed to boot": it stops, no respawn
    assert result.stderr.startswith("starcoach cannot start: STARCOACH_BEHIND_PROXY is 'two'")
    assert "Traceback" not in result.stderr
