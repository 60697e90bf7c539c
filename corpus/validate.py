"""Check a corpus answer file against the rules in corpus/README.md.

Run: python corpus/validate.py corpus/answers/*.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPONENTS = {"situation", "task", "action", "result", "learning", "other"}
FLAGS = {"blame_shifting", "we_overuse", "no_quantified_result", "missing_learning",
         "hypothetical", "not_a_real_failure", "too_short", "too_long", "rambling_situation",
         "vague"}
KEYS = ["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "v1", "v2", "v3", "v4", "v5", "v6", "v7",
        "v8", "v9", "w1", "w2", "w3"]


def signal_names(guide_id: str) -> list[str]:
    path = ROOT / "src" / "starcoach" / "guides" / "library" / f"{guide_id}.md"
    text = path.read_text(encoding="utf-8").split("### Signals", 1)[1].split("###", 1)[0]
    return re.findall(r"^- \*\*(.+?):\*\*", text, flags=re.M)


def check(path: Path) -> list[str]:
    problems: list[str] = []
    data = json.loads(path.read_text(encoding="utf-8"))
    guide = data.get("guide")
    if path.stem != guide:
        problems.append(f"'guide' must be the file name's id ({path.stem})")
    names = set(signal_names(guide))
    answers = data.get("answers", [])
    keys = [a.get("key") for a in answers]
    if keys != KEYS:
        problems.append(f"answers must have keys {KEYS} in order, found {keys}")
    for answer in answers:
        key = answer.get("key")
        where = f"answer {key}"
        if answer.get("tier") not in {1, 2, 3, 4, 5}:
            problems.append(f"{where}: tier must be 1-5")
        unknown = set(answer.get("flags", [])) - FLAGS
        if unknown:
            problems.append(f"{where}: unknown flags {sorted(unknown)}")
        if set(answer.get("signals", {})) != names:
            problems.append(f"{where}: signals must score exactly {sorted(names)}")
        if any(v not in {0, 1, 2, 3, 4} for v in answer.get("signals", {}).values()):
            problems.append(f"{where}: signal scores must be 0-4")
        sentences = answer.get("sentences", [])
        for item in sentences:
            if not (isinstance(item, list) and len(item) == 2 and item[0] in COMPONENTS
                    and isinstance(item[1], str) and item[1].strip()):
                problems.append(f"{where}: bad sentence item {item!r}")
        words = sum(len(s[1].split()) for s in sentences if len(s) == 2)
        flags = set(answer.get("flags", []))
        if words < 120 and "too_short" not in flags:
            problems.append(f"{where}: {words} words, so flags must include too_short")
        if words >= 120 and "too_short" in flags:
            problems.append(f"{where}: {words} words is not too_short (<120)")
        if words > 650 and "too_long" not in flags:
            problems.append(f"{where}: {words} words, so flags must include too_long")
        if words <= 650 and "too_long" in flags:
            problems.append(f"{where}: {words} words is not too_long (>650)")
        if answer.get("speech"):
            bad = [s[1] for s in sentences if re.search(r"[.,;:!?'\"A-Z]", s[1])]
            if bad:
                problems.append(f"{where}: speech must be lower case, no punctuation: {bad[0]!r}")
        if answer.get("kind") == "variant" and answer.get("variant_of") not in {"o1", "o2"}:
            problems.append(f"{where}: variant_of must be o1 or o2")
    extra = data.get("extra_sentences", [])
    if len(extra) < 40:
        problems.append(f"extra_sentences: {len(extra)} (want at least 40)")
    return problems


def main() -> int:
    failed = 0
    for name in sys.argv[1:]:
        problems = check(Path(name))
        for problem in problems:
            print(f"{name}: {problem}")
        data = json.loads(Path(name).read_text(encoding="utf-8"))
        count = sum(len(a.get("sentences", [])) for a in data.get("answers", []))
        print(f"{name}: {len(data.get('answers', []))} answers, {count} sentences, "
              f"{len(data.get('extra_sentences', []))} extra, {len(problems)} problems")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
