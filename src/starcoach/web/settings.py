"""A deployment's settings, read from STARCOACH_* environment variables.

One place parses them, so a typo is one clear error naming the variable at start rather than a
setting silently ignored. The production entry (`web/wsgi.py`) reads them all; `starcoach serve`
only STARCOACH_ACCESS_LOG (and STARCOACH_DATABASE_URL, read where the database is opened).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import StarcoachError

# One key for every process: sessions and form tokens made by one worker must hold in another.
MIN_SECRET_LENGTH = 32
MAX_PROXIES = 10
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
HOST_NAME = re.compile(rf"^{LABEL}(\.{LABEL})*$")


class SettingsError(StarcoachError):
    """An environment variable starcoach cannot use; the message names it."""

    exit_code = 2


@dataclass(frozen=True)
class Settings:
    """What a deployment decides. The defaults are single-user `serve`'s."""

    database_url: str | None = None
    secret_key: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    # How many reverse proxies in front of the app set X-Forwarded-*: 0 trusts none of them.
    behind_proxy: int = 0
    secure_cookies: bool = False
    access_log: bool = False
    # Accounts on (web/signin.py): always for the production entry.
    shared: bool = False

    @classmethod
    def production(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The production entry's settings: a shared secret key is required, cookies are
        https-only unless STARCOACH_SECURE_COOKIES=0, and every request is logged."""
        env = os.environ if environ is None else environ
        key = env.get("STARCOACH_SECRET_KEY", "").strip()
        if len(key) < MIN_SECRET_LENGTH:
            state = "is not set" if not key else f"is only {len(key)} characters"
            raise SettingsError(
                f"STARCOACH_SECRET_KEY {state}: the production entry needs one key of at least "
                f"{MIN_SECRET_LENGTH} characters shared by every app process. Make one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        return cls(
            database_url=env.get("STARCOACH_DATABASE_URL", "").strip() or None,
            secret_key=key,
            allowed_hosts=allowed_hosts(env.get("STARCOACH_ALLOWED_HOSTS", "")),
            behind_proxy=proxy_count(env.get("STARCOACH_BEHIND_PROXY", "0")),
            secure_cookies=flag(env, "STARCOACH_SECURE_COOKIES", default=True),
            access_log=True,
            shared=True,
        )

    def app_config(self) -> dict[str, Any]:
        """The keys `create_app` reads; a key left unset keeps the app's default."""
        config: dict[str, Any] = {
            "DATABASE_URL": self.database_url,
            "ALLOWED_HOSTS": self.allowed_hosts,
            "BEHIND_PROXY": self.behind_proxy,
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "ACCESS_LOG": self.access_log,
            "SHARED": self.shared,
        }
        if self.secret_key:
            config["SECRET_KEY"] = self.secret_key
        return config


def flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off; unset or empty is the default."""
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise SettingsError(f"{name} is '{env[name][:40]}': use 1 (on) or 0 (off).")


def proxy_count(value: str) -> int:
    """STARCOACH_BEHIND_PROXY: how many proxies' X-Forwarded-* headers to believe."""
    text = value.strip() or "0"
    if not text.isdigit() or int(text) > MAX_PROXIES:
        raise SettingsError(
            f"STARCOACH_BEHIND_PROXY is '{value[:40]}': give the number of reverse proxies in "
            f"front of starcoach (0 to {MAX_PROXIES}; 1 for a single nginx)."
        )
    return int(text)


def allowed_hosts(value: str) -> tuple[str, ...]:
    """STARCOACH_ALLOWED_HOSTS: comma-separated host names (no scheme, no port), IP addresses,
    or * for any. IPv6 addresses are kept in brackets, as they arrive in a Host header."""
    hosts = []
    for entry in (part.strip().lower() for part in value.split(",")):
        if not entry:
            continue
        hosts.append(_host(entry))
    return tuple(hosts)


def _host(entry: str) -> str:
    if entry == "*" or HOST_NAME.match(entry):
        return entry
    try:
        address = ipaddress.ip_address(entry.strip("[]"))
    except ValueError:
        raise SettingsError(
            f"STARCOACH_ALLOWED_HOSTS has '{entry[:80]}', which is not a host name: give names "
            "like coach.example.org separated by commas, without https:// or a port."
        ) from None
    return f"[{address}]" if address.version == 6 else str(address)
