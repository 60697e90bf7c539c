"""One registry of flags: every id has a rule, a message, a weight on the verdict and a follow-up,
and everything that names a flag reads it from there."""

from __future__ import annotations

from starcoach.analysis.flags import RULES
from starcoach.analysis.registry import FLAG_IDS, FLAGS
from starcoach.analysis.result import FlagResult
from starcoach.mock.interviewer import followups


def test_every_flag_has_a_rule_message_weight_and_probe() -> None:
    assert set(RULES) | {"off_topic"} == set(FLAG_IDS)
    for spec in FLAGS.values():
        assert spec.message and spec.fix and spec.probe
        assert (spec.cap is not None) != bool(spec.penalty), spec.id


def test_caps_follow_the_rubric() -> None:
    caps = {flag: spec.cap for flag, spec in FLAGS.items() if spec.cap is not None}
    assert caps["blame_shifting"] == 2 and caps["we_overuse"] == 3 and caps["too_short"] == 1
    assert caps["off_topic"] <= 2 and caps["hypothetical"] <= 2
    assert FLAGS["missing_learning"].penalty == FLAGS["no_quantified_result"].penalty == 1


def test_mock_interviewer_asks_the_registry_follow_up() -> None:
    analysis = {
        "flags": [FlagResult(id="we_overuse", message="m", evidence=[]).model_dump()],
        "sentences": [{"text": "We rebuilt the rota.", "component": "action"}],
        "signals": [],
        "overall": {"rating": "mixed"},
        "guide": {"title": "A conflict"},
    }
    asked = followups(analysis)
    assert asked[0].endswith(FLAGS["we_overuse"].probe) and "We rebuilt the rota" in asked[0]
    analysis["flags"] = [FlagResult(id="off_topic", message="m", evidence=[]).model_dump()]
    assert "I asked about a conflict" in followups(analysis)[0]
