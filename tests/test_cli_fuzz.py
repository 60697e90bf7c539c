"""Every `starcoach` command, fed generated bad arguments, options, files and input: never a
traceback, and a failure always says what went wrong.

The commands are found by walking the click tree from `starcoach.cli.cli`, so a new command is
fuzzed without touching this file. `serve` runs with the server and the browser replaced by
stubs (it binds and checks, then returns); `eval` always gets a `--corpus` of generated files,
never the real corpus, which takes minutes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from starcoach.cli import cli

EXAMPLES = 60
HUGE = ["0", "-1", "99999", str(2**31), str(2**63), str(2**64), "-" + str(2**63), "1e308"]
HOSTS = ["127.0.0.1", "::1", "[::1]", "0.0.0.0", "::", "localhost", ""]
NAUGHTY = ["", " ", "nan", "null", "None", "../../etc/passwd", "a\tb", "é漢字🙂", "x" * 5000]


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield (*path, name)  # a group can act on its own (`mock`)
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name)


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


COMMANDS = list(_commands(cli))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Bad inputs on disk: binary, empty, malformed, huge, a folder, a missing file."""
    folder = tmp_path_factory.mktemp("fuzz-files")
    made = {
        "binary.md": b"\xff\xfe\x00\x81\x9f binary \x00",
        "empty.json": b"",
        "malformed.json": b'[{"answer": "one",\n  oops',
        "wrong-shape.json": json.dumps({"answers": [1, 2, 3]}).encode(),
        "deep.json": b"[" * 50_000,
        "deep.yaml": b"[" * 50_000,
        "deep-front-matter.md": b"---\ntitle: " + b"[" * 50_000 + b"\n---\n## Situation\nx\n",
        "numbers.jsonl": b'{"id": 1, "guide": 7, "answer": ["x"]}\n{"answer": 1e400}\n',
        "latin1.txt": "Caf\xe9 r\xe9sum\xe9 na\xefve".encode("latin-1"),
        "huge.md": b"word " * 400_000,
        "story.md": b"---\ntitle: [unclosed\n---\nSome text.\n",
        "guide.yaml": b"id: x\ntitle: 5\nquestion: [1, 2]\n",
    }
    for name, content in made.items():
        (folder / name).write_bytes(content)
    corpus = folder / "corpus"
    (corpus / "answers").mkdir(parents=True)
    (corpus / "splits.json").write_text('{"train": ["q"], "dev": [], "test": ["q"]}')
    (corpus / "answers" / "q.json").write_text('{"id": "q", "answers": [{"key": "a"}]}')
    paths = {name: folder / name for name in made}
    paths["folder"] = folder
    paths["corpus"] = corpus
    paths["missing"] = folder / "no-such-file.json"
    paths["missing-folder"] = folder / "no" / "such" / "folder" / "out.md"
    paths["device"] = Path("/dev/full")
    return paths


def _values(files: dict[str, Path], kind: click.ParamType, wild: bool) -> st.SearchStrategy[str]:
    """Values a user might wrongly give for a parameter of this type: of the right type but
    bad in meaning (an unknown id, a binary file...), or, when `wild`, anything at all."""
    paths = st.sampled_from([str(p) for p in files.values()])
    text = st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=40,
    ).filter(lambda t: not t.startswith("-"))
    anything = st.one_of(text, st.sampled_from(HUGE + NAUGHTY), paths)
    if wild:
        return anything
    if isinstance(kind, click.Choice):
        return st.sampled_from([str(c) for c in kind.choices])
    if isinstance(kind, (click.Path, click.File)):
        return paths
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return st.one_of(st.sampled_from([*HUGE[:-1], "1", "2"]), st.integers(-5, 2**70).map(str))
    return anything


def _database_urls(files: dict[str, Path]) -> st.SearchStrategy[str]:
    """Database URLs that cannot work, none of which reaches beyond this machine."""
    return st.sampled_from(
        [
            "not a url",
            "sqlite:///" + str(files["folder"]),
            "sqlite:///" + str(files["binary.md"]),
            "sqlite:///" + str(files["missing-folder"]),
            "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "nosuchdriver://x",
        ]
    )


@st.composite
def invocations(
    draw: st.DrawFn, path: tuple[str, ...], files: dict[str, Path]
) -> tuple[list[str], str | bytes | None]:
    """Arguments for one run of the command at `path`, and what to feed its stdin."""
    command = _command(path)
    arguments = list(path)
    wild = draw(st.integers(0, 3)) == 0  # now and then, values of the wrong type too
    for param in command.params:
        if isinstance(param, click.Option):
            if param.name == "help" or not (param.required or draw(st.booleans())):
                continue
            name = max(param.opts, key=len)
            if param.is_flag:
                arguments.append(name)
                continue
            if param.name == "database_url":
                arguments += [name, draw(_database_urls(files))]
            elif param.name == "host":  # addresses that need no DNS: no network in tests
                arguments += [name, draw(st.sampled_from(HOSTS))]
            else:
                arguments += [name, draw(_values(files, param.type, wild))]
        elif isinstance(param, click.Argument):
            if param.nargs == -1:
                count = draw(st.integers(0, 3))
            else:
                count = (
                    draw(st.sampled_from([0, 1, 1, 1]))
                    if param.required
                    else draw(st.sampled_from([0, 1]))
                )
            arguments += [draw(_values(files, param.type, wild)) for _ in range(count)]
    if path == ("eval",):  # the real corpus takes minutes: always a generated one
        arguments += [
            "--corpus",
            draw(st.sampled_from([str(files["corpus"]), str(files["folder"])])),
        ]
    if wild and draw(st.booleans()):
        arguments.append(draw(st.sampled_from(["--no-such-option", "extra", "--", "-"])))
    typed = st.sampled_from(["I led the team and we cut costs by 20 percent.\n.\n" * 12, "\n.\n"])
    stdin = draw(st.one_of(st.none(), typed, st.text(max_size=300), st.binary(max_size=100)))
    return arguments, stdin


@pytest.fixture
def stubbed_server(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """`serve` checks and binds as usual, then calls this instead of serving forever."""
    import webbrowser

    import waitress

    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(waitress, "serve", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: calls.append(a))
    return calls


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_no_command_prints_a_traceback(
    path: tuple[str, ...], files: dict[str, Path], stubbed_server: list[tuple[object, ...]]
) -> None:
    runner = CliRunner()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=invocations(path, files))
    def run(case: tuple[list[str], str | bytes | None]) -> None:
        arguments, stdin = case
        result = runner.invoke(cli, arguments, input=stdin, catch_exceptions=True)
        shown = " ".join(repr(a) if len(a) < 80 else repr(a[:80]) + "..." for a in arguments)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"starcoach {shown} raised {result.exception!r}"
        )
        if result.exit_code != 0:
            assert result.output.strip(), f"starcoach {shown} failed without a message"

    run()


KEYS = [
    "answer", "follow_ups", "id", "guide", "question", "title", "situation", "task", "action",
    "result", "learning", "answers", "competencies", "level", "signals", "star", "numbers",
    "date", "tags", "category", "points", "label", "text",
]  # fmt: skip
SUFFIXES = [".md", ".json", ".yaml", ".yml", ".txt", ".jsonl", ""]
SEED = (Path(__file__).parent / "fixtures" / "seed_000.txt").read_text(encoding="utf-8")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=20,
)
front_matter = st.builds(
    lambda pairs, body: "---\n" + "".join(f"{k}: {v}\n" for k, v in pairs) + "---\n" + body,
    st.lists(st.tuples(st.sampled_from(KEYS), st.text(max_size=30)), max_size=6),
    st.text(max_size=200).map(lambda t: "## Situation\n" + t),
)
cut_seed = st.tuples(st.integers(0, len(SEED)), st.integers(0, 400)).map(
    lambda cut: SEED[: cut[0]] + SEED[cut[0] + cut[1] :]
)
contents = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=400),
    json_values.map(json.dumps),
    st.lists(json_values.map(json.dumps), max_size=4).map("\n".join),
    front_matter,
    cut_seed,
)


def _reads_a_file(param: click.Parameter) -> bool:
    if param.name == "output":
        return False
    if isinstance(param.type, click.Path):
        return bool(param.type.file_okay)
    return isinstance(param, click.Argument) and param.name in ("path", "paths", "source")


def _plain(kind: click.ParamType) -> str:
    """A well-formed value for a required parameter that is not the one being fuzzed."""
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    return "1" if isinstance(kind, click.types.IntParamType) else "x"


FILE_COMMANDS = [p for p in COMMANDS if any(map(_reads_a_file, _command(p).params))]


@pytest.mark.parametrize("path", FILE_COMMANDS, ids=" ".join)
def test_no_file_reader_prints_a_traceback(path: tuple[str, ...], tmp_path: Path) -> None:
    """Each command that reads a file, given generated content: binary, text, JSON of the
    right keys and wrong types, front matter, a guide with a piece cut out."""
    runner = CliRunner()
    command = _command(path)
    readers = [p for p in command.params if _reads_a_file(p)]

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        reader=st.sampled_from(readers),
        content=contents,
        suffix=st.sampled_from(SUFFIXES),
    )
    def run(reader: click.Parameter, content: str | bytes, suffix: str) -> None:
        file = tmp_path / f"input{suffix}"
        file.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        arguments = list(path)
        for param in command.params:
            if param is reader:
                given_file = [str(file)]
            elif param.required:
                given_file = [_plain(param.type)]
            else:
                continue
            if isinstance(param, click.Option):
                arguments.append(max(param.opts, key=len))
            arguments += given_file
        result = runner.invoke(cli, arguments, catch_exceptions=True)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"starcoach {' '.join(arguments)} on {content[:200]!r} raised {result.exception!r}"
        )
        if result.exit_code != 0:
            assert result.output.strip(), f"starcoach {' '.join(arguments)} failed silently"

    run()
