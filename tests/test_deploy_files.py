"""The deployment files stay true to the code: the container runs the WSGI module that exists
as a user other than root and checks /healthz; nginx takes the largest upload the app takes and
passes what ProxyFix reads; the systemd unit is valid; every STARCOACH_* variable is documented.
Docker is not available here, so the Containerfile's command is run by tests/test_wsgi_server.py
instead."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from starcoach.web.audio import MAX_AUDIO_BYTES

ROOT = Path(__file__).resolve().parent.parent
CONTAINERFILE = ROOT / "Containerfile"
NGINX = ROOT / "deploy" / "nginx.conf"
UNIT = ROOT / "deploy" / "starcoach.service"


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def container_command() -> list[str]:
    """The Containerfile's CMD, in its exec (JSON) form."""
    (command,) = [json.loads(rest) for word, rest in instructions(CONTAINERFILE) if word == "CMD"]
    return list(command)


def wsgi_target(command: list[str]) -> tuple[Path, str]:
    """The module file and the attribute a gunicorn command line serves."""
    (target,) = [arg for arg in command if ":" in arg and not arg[0].isdigit()]
    module, attribute = target.split(":")
    return ROOT / "src" / Path(*module.split(".")).with_suffix(".py"), attribute


def test_the_container_runs_the_wsgi_app_as_a_user_with_a_health_check() -> None:
    steps = instructions(CONTAINERFILE)
    words = [word for word, _ in steps]
    assert steps[0] == ("FROM", "python:3.12-slim")
    users = [rest for word, rest in steps if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert words.index("USER") < words.index("CMD")
    (check,) = [rest for word, rest in steps if word == "HEALTHCHECK"]
    assert "http://127.0.0.1:8000/healthz" in check
    command = container_command()
    assert command[0] == "gunicorn" and "0.0.0.0:8000" in command
    assert ("EXPOSE", "8000") in steps
    module, attribute = wsgi_target(command)
    defined = {
        target.id
        for node in ast.parse(module.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert attribute in defined
    installs = " ".join(rest for word, rest in steps if word == "RUN")
    assert "[server]" in installs
    for word, rest in steps:
        if word == "COPY":
            assert all((ROOT / source).exists() for source in rest.split()[:-1]), rest


def test_the_server_extra_brings_gunicorn_and_the_tests_have_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert any(requirement.startswith("gunicorn") for requirement in extras["server"])
    assert "starcoach[server]" in extras["test"]


def test_nginx_takes_the_largest_upload_and_passes_the_proxy_headers() -> None:
    text = NGINX.read_text(encoding="utf-8")
    (size,) = re.findall(r"client_max_body_size\s+(\d+)m;", text)
    assert int(size) * 2**20 == MAX_AUDIO_BYTES
    for header in ("Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert re.search(rf"proxy_set_header\s+{header}\s", text), header
    assert "server 127.0.0.1:8000;" in text
    assert re.search(r"listen 443 ssl;", text) and "ssl_certificate " in text
    assert "$request_uri" not in text.split("log_format", 1)[1].split(";", 1)[0]


def test_nginx_accepts_the_file(tmp_path: Path) -> None:
    if shutil.which("nginx") is None or shutil.which("openssl") is None:
        pytest.skip("nginx or openssl is not installed: the file's syntax is not checked")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=coach.example.org", "-keyout", str(tmp_path / "key.pem"),
         "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = NGINX.read_text(encoding="utf-8")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp_path / 'cert.pem'};", site)
    site = re.sub(
        r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp_path / 'key.pem'};", site
    )
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_systemd_unit_runs_the_same_server_as_the_container(tmp_path: Path) -> None:
    text = re.sub(r"\\\n\s*", " ", UNIT.read_text(encoding="utf-8"))
    settings = dict(
        line.split("=", 1) for line in text.splitlines() if re.match(r"^[A-Z]\w*=", line)
    )
    assert settings["User"] not in ("root", "0") and settings["EnvironmentFile"]
    assert settings["ExecStartPre"].endswith("starcoach db upgrade")
    served = settings["ExecStart"].split()
    assert Path(served[0]).name == "gunicorn"
    assert wsgi_target(served) == wsgi_target(container_command())
    # The same workers, threads and timeout; only the address differs (loopback, behind nginx).
    bind = served.index("--bind")
    assert served[bind + 1] == "127.0.0.1:8000"
    assert served[1:bind] + served[bind + 2 :] == [
        arg for arg in container_command()[1:] if arg not in ("--bind", "0.0.0.0:8000")
    ]
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed: the unit's syntax is not checked")
    scripts = Path(sys.executable).parent
    if not (scripts / "gunicorn").exists() or not (scripts / "starcoach").exists():
        pytest.skip("gunicorn or starcoach is not installed next to this python")
    unit = tmp_path / "starcoach.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace("/opt/starcoach/bin", str(scripts)))
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
    assert result.returncode == 0 and "starcoach.service" not in result.stderr, result.stderr


def test_every_variable_starcoach_reads_is_in_the_deployment_guide() -> None:
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    read = set()
    for path in (ROOT / "src" / "starcoach").rglob("*.py"):
        read |= set(re.findall(r"\bSTARCOACH_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    assert {"STARCOACH_SECRET_KEY", "STARCOACH_BEHIND_PROXY"} <= read
    missing = sorted(name for name in read if f"`{name}`" not in guide)
    assert missing == []
