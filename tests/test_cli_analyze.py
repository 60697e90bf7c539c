"""`starcoach analyze` (one answer, batch) and `starcoach eval`, run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from starcoach.cli import cli


def test_analyze_text_report(runner: CliRunner, strong_answer: str) -> None:
    result = runner.invoke(cli, ["analyze", "--guide", "failed-product-launch"],
                           input=strong_answer)  # fmt: skip
    assert result.exit_code == 0, result.output
    for heading in ["WHY THIS SCORE", "STAR STRUCTURE", "SIGNALS", "THE INTERVIEWER MIGHT ASK"]:
        assert heading in result.output
    assert "/100" in result.output and "Starts at tier 5" in result.output


def test_what_to_do_next_is_never_an_empty_heading(runner: CliRunner, strong_answer: str) -> None:
    weak = "We did a lot of things and it went well. Everyone was happy in the end."
    for answer in (strong_answer, weak):
        result = runner.invoke(cli, ["analyze", "--guide", "failed-product-launch", "--format",
                                     "json"], input=answer)  # fmt: skip
        has_suggestions = bool(json.loads(result.output)["suggestions"])
        text = runner.invoke(cli, ["analyze", "--guide", "failed-product-launch"], input=answer)
        assert ("WHAT TO DO NEXT" in text.output) == has_suggestions


def test_analyze_json_from_file_with_question(
    runner: CliRunner, tmp_path: Path, strong_answer: str
) -> None:
    path = tmp_path / "answer.txt"
    path.write_text(strong_answer, encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "analyze",
            str(path),
            "--format",
            "json",
            "--question",
            "Tell me about a launch you led that missed its goals.",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["guide"]["id"] == "failed-product-launch"
    assert data["overall"]["rating"] in {"hire", "strong_hire"}


def test_analyze_errors_are_messages(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["analyze", "--guide", "failed-product-launch"], input="   ")
    assert result.exit_code == 2 and "The answer is empty" in result.output
    result = runner.invoke(cli, ["analyze", "--guide", "no-such-guide"], input="I did it.")
    assert result.exit_code == 3 and "No guide with id" in result.output
    result = runner.invoke(cli, ["analyze", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1 and "Cannot read" in result.output
    result = runner.invoke(cli, ["analyze", "-g", "x", "-q", "y"], input="text")
    assert result.exit_code == 2 and "not both" in result.output
    assert "Traceback" not in result.output


def test_batch_keeps_order_and_survives_bad_lines(
    runner: CliRunner, tmp_path: Path, strong_answer: str
) -> None:
    lines = [
        json.dumps({"id": "a", "guide": "failed-product-launch", "answer": strong_answer}),
        "{not json",
        json.dumps({"id": "c", "guide": "failed-product-launch", "answer": ""}),
        json.dumps(
            {
                "id": "d",
                "question": "Tell me about a conflict with a coworker.",
                "answer": "I disagreed with a peer about a rota. I met her and we agreed "
                "a swap. Complaints fell from 9 to 2 a month.",
            }
        ),
        json.dumps({"id": "e", "guide": "nope", "answer": "I did it."}),
    ]
    batch = tmp_path / "answers.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["analyze", "--batch", str(batch)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", None, "c", "d", "e"]
    assert "analysis" in rows[0] and "analysis" in rows[3]
    assert rows[1]["error"].startswith("line 2: invalid JSON")
    assert "empty" in rows[2]["error"] and "No guide with id 'nope'" in rows[4]["error"]
    assert "3 of 5 lines could not be analyzed" in result.stderr


def test_eval_prints_the_figures_with_intervals(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["eval", "--split", "dev", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("spearman", "flag_macro_f1", "off_topic_f1", "sentence_accuracy",
                "sentence_alone", "sentence_shuffled", "sentence_reversed",
                "component_presence", "signal_spearman", "evidence_precision"):  # fmt: skip
        figure = data["figures"][key]
        assert figure["low"] <= figure["value"] <= figure["high"], key
    assert data["answers"] == 96 and data["questions"] == 6
    assert set(data["styles"]) >= {"plain", "transcript"}


def test_batch_output_is_the_same_with_several_jobs(
    runner: CliRunner, tmp_path: Path, strong_answer: str
) -> None:
    lines = [
        json.dumps(
            {"id": i, "guide": "failed-product-launch", "answer": strong_answer[: 200 + i * 40]}
        )
        for i in range(6)
    ]
    batch = tmp_path / "answers.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = runner.invoke(cli, ["analyze", "--batch", str(batch), "--jobs", "1"])
    two = runner.invoke(cli, ["analyze", "--batch", str(batch), "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert [json.loads(line)["id"] for line in two.stdout.splitlines()] == list(range(6))


def test_batch_refuses_what_it_would_ignore_and_fails_when_nothing_worked(
    runner: CliRunner, tmp_path: Path
) -> None:
    batch = tmp_path / "answers.jsonl"
    batch.write_text(
        json.dumps({"id": 1, "guide": 7, "answer": "I did it."}) + "\n"
        + json.dumps({"id": 2, "question": ["a"], "answer": "I did it."}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    for extra in (["--format", "text"], ["--guide", "first-job-mistake"], ["answer.txt"]):
        refused = runner.invoke(cli, ["analyze", "--batch", str(batch), *extra])
        assert refused.exit_code == 2 and "--batch" in refused.output
    result = runner.invoke(cli, ["analyze", "--batch", str(batch)])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert (
        "'guide' must be text" in rows[0]["error"] and "'question' must be text" in rows[1]["error"]
    )
    assert result.exit_code == 1 and "2 of 2 lines" in result.stderr
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"id": 1, "answer": "caf\xe9"}\n'.encode("latin-1"))
    result = runner.invoke(cli, ["analyze", "--batch", str(latin)])
    assert result.exit_code != 0 and "not UTF-8" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_analyze_says_it_is_waiting_only_at_a_terminal(
    runner: CliRunner, strong_answer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = runner.invoke(cli, ["analyze"], input=strong_answer)
    assert piped.exit_code == 0 and "standard input" not in piped.stderr
    monkeypatch.setattr("starcoach.cli.analyze.stdin_is_terminal", lambda: True)
    typed = runner.invoke(cli, ["analyze"], input=strong_answer)
    assert typed.exit_code == 0
    assert typed.stderr.splitlines()[0] == (
        "Reading your answer from standard input; finish with Ctrl-D (Ctrl-Z, Enter on Windows)."
    )
    assert "standard input" not in typed.stdout
    binary = runner.invoke(cli, ["analyze"], input=b"\xff\xfe\x00")
    assert binary.exit_code == 1 and "Standard input is not UTF-8 text." in binary.output


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("splits.json", '{"train": ["q"],\n "dev": [], "test": [}', "splits.json, line 2 column"),
        ("splits.json", '["q"]', "expected an object with lists train, dev, test"),
        ("answers/q.json", '{"id": "q",\n"answers": [{"key": 1,}]}', "q.json, line 2 column"),
        ("answers/q.json", '{"id": "q", "answers": [{"key": "a"}]}', "answer 1: malformed"),
        ("answers/q.json", '{"id": "q", "answers": [{"key": "a", "tier": "x"}]}', "answer 1"),
        ("answers/q.json", "[1, 2]", "q.json: expected a JSON object"),
        ("answers/q.json", b"\xff\xfe", "q.json is not UTF-8 text"),
    ],
)
def test_eval_on_a_malformed_corpus_names_the_file_and_line(
    runner: CliRunner, tmp_path: Path, name: str, content: str | bytes, expected: str
) -> None:
    (tmp_path / "answers").mkdir()
    (tmp_path / "splits.json").write_text('{"train": ["q"], "dev": [], "test": []}')
    target = tmp_path / name
    target.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = runner.invoke(cli, ["eval", "--corpus", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert expected in result.output and str(tmp_path) in result.output


def test_eval_leaves_the_engine_switches_as_it_found_them(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The ablation switches are process-wide; a failed or finished eval must not leave the
    embedding or the trained weights off for whatever runs next in the process."""
    from starcoach.analysis.embedding import embeddings_enabled
    from starcoach.analysis.models import load_weights

    trained = load_weights("components")
    ablation = ["--without-embeddings", "--without-trained-weights"]
    failed = runner.invoke(cli, ["eval", "--corpus", str(tmp_path), *ablation])
    assert failed.exit_code == 1 and "expected splits.json" in failed.output
    assert embeddings_enabled() and load_weights("components") == trained
    (tmp_path / "answers").mkdir()
    (tmp_path / "splits.json").write_text('{"train": ["q"], "dev": [], "test": []}')
    (tmp_path / "answers" / "q.json").write_text(
        '{"id": "q", "question": "Tell me about a failure.", "answers": [{"key": "a", '
        '"tier": 2, "sentences": [["action", "I rewrote the plan and we shipped."]]}]}'
    )
    ran = runner.invoke(cli, ["eval", "--corpus", str(tmp_path), "--split", "train", *ablation])
    assert ran.exit_code == 0, ran.output
    assert embeddings_enabled() and load_weights("components") == trained
