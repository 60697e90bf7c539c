"""Documentation stays true: every command and option is in docs/cli.md, the Quick start has
exactly two commands, and every JSON key is documented."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
from click.testing import CliRunner

from starcoach.cli import cli
from starcoach.guides.formats import write_guide
from starcoach.guides.library import Library

ROOT = Path(__file__).resolve().parent.parent


def _commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found += _commands(command, path)
        else:
            found.append((path, command))
    return found


def test_every_command_and_option_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, command in _commands(cli, "starcoach"):
        assert f"`{path}" in text, f"{path} is not documented"
        for param in command.params:
            if isinstance(param, click.Option):
                assert f"`{param.opts[0]}`" in text, f"{path} {param.opts[0]} is not documented"


def test_quick_start_has_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)```", quick_start, flags=re.S)
    assert [len(c.strip().splitlines()) for c in commands] == [1, 1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].strip() in ci, ".ci/run must run the README's test command"


def test_every_json_key_is_documented(library: Library) -> None:
    text = (ROOT / "docs" / "guide-format.md").read_text(encoding="utf-8")
    data = json.loads(write_guide(library.get("failed-product-launch"), "json"))
    for key in data:
        assert f"`{key}`" in text


def _readme_examples(prefix: str) -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line.split("#", 1)[0].strip() for line in readme.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith(f"starcoach {prefix}")]


def test_readme_library_examples_find_something() -> None:
    """Every `guides list` / `guides show` / `guides random` line in the README prints guides: an
    example that answers "No guides match" teaches nothing."""
    runner = CliRunner()
    examples = [
        args for args in _readme_examples("guides") if args[1] in {"list", "show", "random"}
    ]
    assert len(examples) >= 4
    for args in examples:
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
        assert "No guides match" not in result.output, args
        assert len(result.output.splitlines()) >= 2, (args, result.output)
