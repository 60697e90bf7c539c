"""The `starcoach guides` commands, run in-process as a user would type them."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from starcoach.cli import cli
from starcoach.guides.formats import write_guide
from starcoach.guides.library import Library

SEED_PATH = Path(__file__).parent / "fixtures" / "seed_000.txt"


def run(runner: CliRunner, *args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(cli, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_list_shows_a_table(runner: CliRunner, library: Library) -> None:
    code, out = run(runner, "guides", "list")
    assert code == 0
    assert out.splitlines()[0].split() == ["ID", "LEVEL", "TITLE", "COMPETENCIES"]
    assert "failed-product-launch" in out and f"{len(library)} guides." in out


def test_list_filters_and_json(runner: CliRunner) -> None:
    code, out = run(runner, "guides", "list", "--level", "Entry", "--json")
    rows = json.loads(out)
    assert code == 0 and rows and {r["level"] for r in rows} == {"Entry"}
    code, out = run(runner, "guides", "list", "--search", "layoffs", "--json")
    assert json.loads(out)[0]["id"] == "leading-through-layoffs"
    assert "relevance" in json.loads(out)[0]
    # Known filters that together match nothing: an empty list, not an error (issue 9 made an
    # unknown competency an error; see test_an_unknown_level_or_competency_names_the_known_ones).
    code, out = run(runner, "guides", "list", "--competency", "Humility", "--level", "Executive")
    assert code == 0 and "No guides match" in out


def test_show_renders_every_section(runner: CliRunner) -> None:
    code, out = run(runner, "guides", "show", "first-job-mistake")
    assert code == 0
    for heading in [
        "THE QUESTION",
        "QUESTIONS & INSIGHTS",
        "Clarifying questions",
        "Assumptions",
        "COACH STRATEGY",
        "Cheat code",
        "Situation – Context",
        "Learning / Reflection – Growth",
    ]:
        assert heading in out


def test_show_unknown_id_suggests(runner: CliRunner) -> None:
    code, out = run(runner, "guides", "show", "failed-launch")
    assert code == 3
    assert "No guide with id 'failed-launch'" in out and "failed-product-launch" in out
    assert "Traceback" not in out


def test_show_in_another_format(runner: CliRunner) -> None:
    code, out = run(runner, "guides", "show", "first-job-mistake", "--to", "json")
    assert code == 0
    assert json.loads(out)["id"] == "first-job-mistake"


def test_random_is_repeatable_and_filtered(runner: CliRunner) -> None:
    first = run(runner, "guides", "random", "--level", "Executive", "--seed", "7", "--json")[1]
    second = run(runner, "guides", "random", "--level", "Executive", "--seed", "7", "--json")[1]
    assert first == second and json.loads(first)["level"] == "Executive"
    code, out = run(runner, "guides", "random", "--competency", "Humility", "--level", "Executive")
    assert code == 1 and "No guide matches" in out


def test_convert_the_seed_exactly(runner: CliRunner) -> None:
    code, out = run(runner, "guides", "convert", str(SEED_PATH), "--to", "seed")
    assert code == 0
    assert out.rstrip() == SEED_PATH.read_text(encoding="utf-8").rstrip()


def test_convert_from_stdin_chain(runner: CliRunner, tmp_path: Path) -> None:
    yaml_text = run(runner, "guides", "convert", str(SEED_PATH), "--to", "yaml")[1]
    markdown = run(runner, "guides", "convert", "-", "--to", "markdown", input=yaml_text)[1]
    back = run(runner, "guides", "convert", "-", "--to", "seed", input=markdown)[1]
    assert back.rstrip() == SEED_PATH.read_text(encoding="utf-8").rstrip()


def test_convert_malformed_file_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(SEED_PATH.read_text(encoding="utf-8").replace("Senior Level", "Senior"))
    code, out = run(runner, "guides", "convert", str(bad), "--to", "json")
    assert code == 2
    assert f"{bad}, line 4: expected a level line such as 'Senior Level'" in out
    assert "Traceback" not in out
    code, out = run(runner, "guides", "convert", str(tmp_path / "missing.md"), "--to", "json")
    assert code == 1 and "Cannot read" in out


def test_import_then_show_export_and_clash(runner: CliRunner, home: Path) -> None:
    code, out = run(runner, "guides", "import", str(SEED_PATH))
    assert code == 0 and "Imported 'navigating-professional-failure-and-growth'" in out
    assert (home / "guides" / "navigating-professional-failure-and-growth.md").exists()
    code, out = run(runner, "guides", "show", "navigating-professional-failure-and-growth")
    assert code == 0 and "The Failure of Vision:" in out
    code, out = run(runner, "guides", "import", str(SEED_PATH))
    assert code == 4 and "--replace" in out
    assert run(runner, "guides", "import", "--replace", str(SEED_PATH))[0] == 0
    code, out = run(
        runner, "guides", "export", "navigating-professional-failure-and-growth", "--to", "seed"
    )
    assert out.rstrip() == SEED_PATH.read_text(encoding="utf-8").rstrip()


def test_import_all_or_nothing(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "T", "question": "Q?", "level": "Junior"}))
    code, out = run(runner, "guides", "import", str(SEED_PATH), str(bad))
    assert code == 1 and "Nothing was imported" in out and "unknown level 'Junior'" in out
    assert not (home / "guides").exists()


def test_export_to_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    code, _ = run(
        runner, "guides", "export", "ethical-dilemma-at-work", "--to", "yaml", "-o", str(target)
    )
    assert code == 0 and target.read_text(encoding="utf-8").startswith(
        "id: ethical-dilemma-at-work"
    )


def test_lint_library_and_files(runner: CliRunner, tmp_path: Path, library: Library) -> None:
    code, out = run(runner, "guides", "lint", "--strict")
    assert code == 0 and f"{len(library)} guides checked: 0 errors, 0 warnings." in out
    short = tmp_path / "short.txt"
    short.write_text(SEED_PATH.read_text(encoding="utf-8").replace("Humility: The ability", "X: Y"))
    (tmp_path / "twin.txt").write_text(short.read_text())
    code, out = run(runner, "guides", "lint", str(tmp_path))
    assert code == 1 and "duplicate id" in out


def test_version_and_help(runner: CliRunner) -> None:
    assert "starcoach, version" in run(runner, "--version")[1]
    assert "guides" in run(runner, "--help")[1]


def test_unreadable_inputs_are_clear_errors(runner: CliRunner, tmp_path: Path) -> None:
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("The Question\nCaf\xe9".encode("latin-1"))
    code, out = run(runner, "guides", "convert", str(latin), "--to", "json")
    assert code == 2 and "not UTF-8 text" in out
    code, out = run(runner, "guides", "convert", str(tmp_path), "--to", "json")
    assert code == 1 and "Cannot read" in out
    code, out = run(runner, "guides", "convert", "-", "--to", "json", input="just some words")
    assert code == 2 and "<stdin>" in out and "Traceback" not in out


def test_an_unknown_level_or_competency_names_the_known_ones(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["guides", "list", "--level", "Seniorr"])
    assert result.exit_code == 1 and "Did you mean Senior?" in result.output
    assert "Entry" in result.output and "No guides match" not in result.output
    result = runner.invoke(cli, ["guides", "list", "--competency", "Nonsense"])
    assert result.exit_code == 1 and "No competency 'Nonsense'" in result.output
    assert "Ownership" in result.output


def test_export_to_a_place_it_cannot_write_is_a_clear_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    for target in ("/nonexistent/dir/x.md", "/dev/full"):
        result = runner.invoke(cli, ["guides", "export", "failed-product-launch", "-o", target])
        assert result.exit_code != 0 and "Traceback" not in result.output, target
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert target in result.output
    kept = tmp_path / "kept.md"
    kept.write_text("already here", encoding="utf-8")
    ok = runner.invoke(cli, ["guides", "export", "failed-product-launch", "-o", str(kept)])
    assert ok.exit_code == 0 and kept.read_text(encoding="utf-8").startswith("---")
    assert [p.name for p in tmp_path.iterdir()] == ["kept.md"]  # no temporary file left behind


def test_a_data_folder_that_is_a_file_is_a_clear_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "home"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setenv("STARCOACH_HOME", str(not_a_folder))
    result = runner.invoke(cli, ["stories", "list"])
    assert result.exit_code == 1 and "which is a file" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_list_fits_an_80_column_terminal_and_cuts_nothing_when_piped(
    runner: CliRunner, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    longest = max(library, key=lambda g: len(g.title)).title
    piped = runner.invoke(cli, ["guides", "list"], env={"COLUMNS": "80"})
    assert longest in piped.output and "…" not in piped.output  # a pipe gets whole titles
    assert max(len(line) for line in piped.output.splitlines()) > 80
    monkeypatch.setattr("starcoach.cli.render.stdout_is_terminal", lambda: True)
    for columns in (80, 100, 140):
        shown = runner.invoke(cli, ["guides", "list"], env={"COLUMNS": str(columns)})
        assert shown.exit_code == 0
        table = [line for line in shown.output.splitlines() if line.strip()][:-1]
        assert max(len(click.unstyle(line)) for line in table) <= columns, columns
        assert all(guide.id in shown.output for guide in library)  # ids are never cut


def test_a_long_id_of_your_own_still_fits_80_columns(
    runner: CliRunner, library: Library, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An id of 57 characters leaves no room for the level: that column goes, the id stays."""
    long_id = "resolving-a-design-disagreement-between-senior-engineers"
    mine = replace(library.get("failed-product-launch"), id=long_id)
    (home / "guides").mkdir(parents=True)
    (home / "guides" / f"{long_id}.md").write_text(write_guide(mine, "markdown"), encoding="utf-8")
    monkeypatch.setattr("starcoach.cli.render.stdout_is_terminal", lambda: True)
    shown = runner.invoke(cli, ["guides", "list"], env={"COLUMNS": "80"})
    table = [line for line in shown.output.splitlines() if line.strip()][:-1]
    assert shown.exit_code == 0 and long_id in shown.output
    assert max(len(click.unstyle(line)) for line in table) <= 80
    assert "LEVEL" not in table[0]


def test_a_broken_guide_in_your_library_is_skipped_with_a_warning(
    runner: CliRunner, home: Path, library: Library
) -> None:
    folder = home / "guides"
    folder.mkdir(parents=True)
    (folder / "binary.md").write_bytes(b"\xff\xfe\x00\x81 not text")
    (folder / "empty.md").write_text("", encoding="utf-8")
    (folder / "folder.md").mkdir()
    for command in (["guides", "list"], ["guides", "show", "failed-product-launch"]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 0, result.output
        for name in ("binary.md", "empty.md", "folder.md"):
            assert f"Warning: Skipped a guide file in your library, {folder / name}:" in (
                result.stderr
            )
    linted = runner.invoke(cli, ["guides", "lint"])
    assert linted.exit_code == 1
    for name in ("binary.md", "empty.md", "folder.md"):  # every bad file, not just the first
        assert f"{folder / name}: error: [?]" in linted.output
    assert f"{len(library) + 3} guides checked: 3 errors" in linted.output


def test_lint_reports_every_unreadable_file(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"\xff\xfe")
    (tmp_path / "b.md").write_text("# Title only\n", encoding="utf-8")
    (tmp_path / "c.json").write_text("{not json", encoding="utf-8")
    missing = tmp_path / "missing.md"
    result = runner.invoke(cli, ["guides", "lint", str(tmp_path), str(missing)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for name in ("a.md", "b.md", "c.json", "missing.md"):
        assert f"{tmp_path / name}: error:" in result.output, name
    assert "not UTF-8 text" in result.output and "4 guides checked: 4 errors" in result.output


def test_deeply_nested_yaml_is_an_error_not_a_crash(runner: CliRunner, tmp_path: Path) -> None:
    """libyaml recurses while building values: 50,000 levels used to kill the process."""
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 50_000, encoding="utf-8")
    result = runner.invoke(cli, ["guides", "convert", str(deep), "--to", "json"])
    assert result.exit_code == 2
    # Our own depth check, or PyYAML's (6.0.4 and later refuse deep nesting while scanning).
    assert f"{deep}, line 1: invalid YAML: " in result.output
    assert "nested more than 50 levels deep" in result.output or "nesting depth" in result.output
    deep_json = tmp_path / "deep.json"
    deep_json.write_text("[" * 50_000, encoding="utf-8")
    result = runner.invoke(cli, ["guides", "convert", str(deep_json), "--to", "yaml"])
    assert result.exit_code == 2 and "nested too deeply" in result.output


def test_binary_standard_input_is_a_clear_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["guides", "convert", "-", "--to", "json"], input=b"\x80\xff")
    assert result.exit_code == 2 and "<stdin>: not UTF-8 text (byte 0)" in result.output


def test_the_command_line_starts_without_loading_the_engine() -> None:
    """`starcoach --help` and every command's options are read without numpy, the embedding or
    the engine: they load when a command needs them (docs/performance.md)."""
    script = (
        "import sys\n"
        "from starcoach.cli import cli\n"
        "heavy = ('numpy', 'starcoach.analysis.engine', 'starcoach.plan.build', 'tokenizers')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"
