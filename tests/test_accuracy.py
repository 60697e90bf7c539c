"""The coach's accuracy on the held-out test split must stay where docs/accuracy.md reports it.

The floors are the measured figures less a noise margin (the width of their bootstrap interval is
about 0.05-0.15), not the targets: several targets are missed, as the document says, and this
test guards against making it worse.
"""

from __future__ import annotations

import pytest

from starcoach.evaluation.corpus import load_corpus
from starcoach.evaluation.evaluate import Report, evaluate
from starcoach.guides.library import Library

MEASURED = {
    "spearman": 0.781,
    "strong_over_variant": 0.977,
    "flag_macro_f1": 0.801,
    "off_topic_f1": 0.441,
    "sentence_accuracy": 0.826,
    "sentence_alone": 0.739,
    "sentence_shuffled": 0.720,
    "sentence_reversed": 0.775,
    "signal_spearman": 0.428,
    "evidence_precision": 0.309,
    "question_matching": 0.675,
}
MARGIN = 0.03


@pytest.fixture(scope="module")
def report(library: Library) -> Report:
    return evaluate(load_corpus(), "test", library)


@pytest.mark.parametrize("measure", list(MEASURED))
def test_test_split_does_not_regress(report: Report, measure: str) -> None:
    figure = report.figures[measure]
    assert figure.value >= MEASURED[measure] - MARGIN, (measure, figure)
    assert figure.low <= figure.value <= figure.high


def test_test_split_is_what_the_docs_describe(report: Report) -> None:
    assert (report.answers, report.questions) == (248, 22)
    assert report.styles["non_native"]["answers"] == 72
