"""Nothing exposed: security headers on every response, a foreign Host refused, our own cookie."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_every_response_forbids_framing_and_foreign_scripts(client: FlaskClient) -> None:
    for path in ("/", "/guides/failed-product-launch", "/api/guides", "/nope"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_a_foreign_host_name_is_refused(client: FlaskClient) -> None:
    """A DNS-rebinding page reaches us with its own host name: it gets nothing."""
    page = client.get("/", headers={"Host": "attacker.example:8000"})
    assert page.status_code == 400 and "attacker.example" in page.get_data(as_text=True)
    api = client.get("/api/attempts", headers={"Host": "attacker.example"})
    assert api.status_code == 400 and "attacker.example" in api.get_json()["error"]
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host


def test_the_session_cookie_has_a_name_of_its_own(client: FlaskClient) -> None:
    client.get("/practice/failed-product-launch")
    assert client.get_cookie("starcoach_session") is not None
    assert client.get_cookie("session") is None
