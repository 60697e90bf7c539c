"""The coach's accuracy on the held-out test split must not fall below what docs/accuracy.md
reports. These floors are the measured figures, not the targets: two targets are missed, as the
document says, and this test guards against making it worse."""

from __future__ import annotations

import pytest

from starcoach.evaluation.corpus import load_corpus
from starcoach.evaluation.evaluate import Report, evaluate
from starcoach.guides.library import Library

MEASURED = {
    "spearman": 0.802,
    "strong_over_variant": 0.955,
    "flag_macro_f1": 0.823,
    "sentence_accuracy": 0.864,
}


@pytest.fixture(scope="module")
def report(library: Library) -> Report:
    return evaluate(load_corpus(), "test", library)


@pytest.mark.parametrize("measure", list(MEASURED))
def test_test_split_does_not_regress(report: Report, measure: str) -> None:
    assert round(getattr(report, measure), 3) >= MEASURED[measure]


def test_test_split_is_what_the_docs_describe(report: Report) -> None:
    assert (report.answers, report.questions) == (80, 4)
    assert report.signal_mae <= 0.80
