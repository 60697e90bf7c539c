"""Check a corpus answer file against the rules in corpus/README.md and ../shared/RUBRIC.md.

Run: python corpus/validate.py corpus/answers/*.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPONENTS = {"situation", "task", "action", "result", "learning", "other"}
FLAGS = {
    "blame_shifting",
    "we_overuse",
    "no_quantified_result",
    "missing_learning",
    "hypothetical",
    "not_a_real_failure",
    "too_short",
    "too_long",
    "rambling_situation",
    "vague",
    "off_topic",
}
TAGS = {"blame", "boast", "hypothetical", "owning"}
STYLES = {"plain", "transcript", "non_native", "formal", "chatty", "terse"}
SHORT_WORDS = 60
LONG_WORDS = 600


def signal_names(guide_id: str) -> list[str]:
    path = ROOT / "src" / "starcoach" / "guides" / "library" / f"{guide_id}.md"
    text = path.read_text(encoding="utf-8").split("### Signals", 1)[1].split("###", 1)[0]
    return re.findall(r"^- \*\*(.+?):\*\*", text, flags=re.M)


def check_sentence(where: str, item: object) -> list[str]:
    if not (
        isinstance(item, list)
        and len(item) in {2, 3}
        and item[0] in COMPONENTS
        and isinstance(item[1], str)
        and item[1].strip()
    ):
        return [f"{where}: bad sentence item {item!r}"]
    if len(item) == 3 and (not isinstance(item[2], list) or set(item[2]) - TAGS):
        return [f"{where}: sentence tags must be a list drawn from {sorted(TAGS)}: {item!r}"]
    return []


def check_answer(where: str, answer: dict, names: set[str]) -> list[str]:
    problems: list[str] = []
    if answer.get("tier") not in {1, 2, 3, 4, 5}:
        problems.append(f"{where}: tier must be 1-5")
    flags = set(answer.get("flags", []))
    if flags - FLAGS:
        problems.append(f"{where}: unknown flags {sorted(flags - FLAGS)}")
    if answer.get("style") not in STYLES:
        problems.append(f"{where}: style must be one of {sorted(STYLES)}")
    if bool(answer.get("speech")) != (answer.get("style") == "transcript"):
        problems.append(f"{where}: speech must be true exactly when style is transcript")
    if names:
        if set(answer.get("signals", {})) != names:
            problems.append(f"{where}: signals must score exactly {sorted(names)}")
        if any(v not in {0, 1, 2, 3, 4} for v in answer.get("signals", {}).values()):
            problems.append(f"{where}: signal scores must be 0-4")
    sentences = answer.get("sentences", [])
    for item in sentences:
        problems += check_sentence(where, item)
    evidence = answer.get("evidence", {})
    for name, indexes in evidence.items():
        if name not in names:
            problems.append(f"{where}: evidence for unknown signal {name!r}")
        elif any(not isinstance(i, int) or not 0 <= i < len(sentences) for i in indexes):
            problems.append(f"{where}: evidence indexes for {name!r} out of range")
    words = sum(len(s[1].split()) for s in sentences if isinstance(s, list) and len(s) >= 2)
    if words < SHORT_WORDS and "too_short" not in flags:
        problems.append(f"{where}: {words} words, so flags must include too_short")
    if words > 100 and "too_short" in flags:
        problems.append(f"{where}: {words} words is not too_short")
    if words > LONG_WORDS and "too_long" not in flags:
        problems.append(f"{where}: {words} words, so flags must include too_long")
    if words <= LONG_WORDS and "too_long" in flags:
        problems.append(f"{where}: {words} words is not too_long (>{LONG_WORDS})")
    if answer.get("speech"):
        bad = [s[1] for s in sentences if re.search(r"[.,;:!?'\"A-Z]", s[1])]
        if bad:
            problems.append(f"{where}: speech must be lower case, no punctuation: {bad[0]!r}")
    hypothetical = [s for s in sentences if len(s) == 3 and "hypothetical" in s[2]]
    if any(s[0] != "other" for s in hypothetical):
        problems.append(f"{where}: a sentence tagged hypothetical is component 'other'")
    return problems


def check(path: Path) -> list[str]:
    problems: list[str] = []
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("id") != path.stem:
        problems.append(f"'id' must be the file name ({path.stem})")
    if not str(data.get("question", "")).strip():
        problems.append("'question' must hold the question's text")
    guide = data.get("guide")
    names = set(signal_names(guide)) if guide else set()
    answers = data.get("answers", [])
    keys = [a.get("key") for a in answers]
    if len(set(keys)) != len(keys):
        problems.append("answer keys must be unique")
    for answer in answers:
        problems += check_answer(f"answer {answer.get('key')}", answer, names)
        variant_of = answer.get("variant_of")
        if variant_of is not None and variant_of not in keys:
            problems.append(f"answer {answer.get('key')}: variant_of {variant_of!r} is not a key")
    for item in data.get("extra_sentences", []):
        problems += check_sentence("extra_sentences", item)
    return problems


def main() -> int:
    failed = 0
    for name in sys.argv[1:]:
        problems = check(Path(name))
        for problem in problems:
            print(f"{name}: {problem}")
        data = json.loads(Path(name).read_text(encoding="utf-8"))
        count = sum(len(a.get("sentences", [])) for a in data.get("answers", []))
        print(
            f"{name}: {len(data.get('answers', []))} answers, {count} sentences, "
            f"{len(data.get('extra_sentences', []))} extra, {len(problems)} problems"
        )
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
