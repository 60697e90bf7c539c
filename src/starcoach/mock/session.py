"""A mock interview as a conversation kept in the database, one answer at a time.

For each main question: ask it; analyze the answer; ask 1–2 follow-ups drawn from its gaps;
then judge the main answer and its follow-ups together. After the last question, write the
scorecard. The whole state is one JSON document, saved after every answer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ..analysis import analyze_answer, check_answer
from ..errors import StarcoachError
from ..guides.library import Library
from ..storage import MockStore
from ..stories.insight import cosine, terms
from ..stories.model import Story
from .interviewer import followups, scorecard
from .tracks import choose_questions

DEFAULT_SECONDS = 180
STORY_MATCH = 0.25


class SessionMovedOnError(StarcoachError):
    """Two answers raced for one prompt; the one saved first stands, the other must reload."""

    exit_code = 5
    http_status = 409


def _now() -> str:
    return datetime.now(UTC).isoformat()


class MockInterview:
    """Starts sessions and takes answers; every method returns the session's public view."""

    def __init__(
        self, store: MockStore, library: Library, stories: Callable[[], list[Story]] = list
    ) -> None:
        self.store = store
        self.library = library
        self.stories = stories  # read when a session ends, so new stories count

    def start(
        self,
        *,
        track: str | None = None,
        level: str | None = None,
        competencies: tuple[str, ...] = (),
        guides: tuple[str, ...] = (),
        length: int = 4,
        seconds_per_answer: int = DEFAULT_SECONDS,
    ) -> dict[str, Any]:
        if not 30 <= seconds_per_answer <= 900:
            raise StarcoachError("The time budget per answer must be 30 to 900 seconds.")
        label, chosen = choose_questions(
            self.library,
            track=track,
            level=level,
            competencies=competencies,
            guides=guides,
            length=length,
        )
        state: dict[str, Any] = {
            "track": {"label": label, "id": track, "seconds_per_answer": seconds_per_answer},
            "questions": [
                {
                    "guide_id": g,
                    "title": self.library.get(g).title,
                    "question": self.library.get(g).question,
                    "turns": [],
                    "followups": [],
                    "analysis": None,
                }
                for g in chosen
            ],
            "position": 0,
            "finished": False,
            "report": None,
            "started_at": _now(),
            "asked_at": _now(),
        }
        session_id = self.store.create(label, state)
        return self.view(self.store.get(session_id))

    def get(self, session_id: int) -> dict[str, Any]:
        return self.view(self.store.get(session_id))

    def answer(
        self,
        session_id: int,
        text: str,
        seconds: int | None = None,
        *,
        spoken: dict[str, Any] | None = None,
        recording: str | None = None,
    ) -> dict[str, Any]:
        """Record the answer to the current prompt. When another answer to the same prompt was
        saved while this one was being analyzed, this one is refused (SessionMovedOnError), not
        filed under the next prompt and not written over the first: nothing saved is lost.
        A spoken answer keeps its transcript and delivery and its recording's file name."""
        state, read = self.store.load(session_id)
        if state["finished"]:
            raise StarcoachError("This mock interview is over; start a new one.")
        check_answer(text)
        question = state["questions"][state["position"]]
        prompt = current_prompt(state)
        assert prompt is not None
        if seconds is None:
            asked = datetime.fromisoformat(state["asked_at"])
            seconds = round((datetime.now(UTC) - asked).total_seconds())
        turn: dict[str, Any] = {
            "kind": prompt["kind"],
            "prompt": prompt["text"],
            "answer": text,
            "seconds": seconds,
        }
        if spoken is not None:
            turn.update(spoken=spoken, recording=recording)
        question["turns"].append(turn)
        guide = self.library.get(question["guide_id"])
        if prompt["kind"] == "question":
            first = analyze_answer(text, guide=guide).to_dict()
            question["followups"] = followups(first, seed=state["position"])
        elif len(question["turns"]) > len(question["followups"]):
            self._judge(state)
        return self._save(session_id, read, state)

    def skip_followups(self, session_id: int) -> dict[str, Any]:
        """Move on from the current question without answering its remaining follow-ups
        (a scripted run whose file has no answer for them); they are kept as skipped."""
        state, read = self.store.load(session_id)
        prompt = current_prompt(state)
        if prompt is None or prompt["kind"] != "followup":
            raise StarcoachError("Only a follow-up can be skipped, and there is none now.")
        question = state["questions"][state["position"]]
        asked = len(question["turns"]) - 1
        question["skipped_followups"] = question["followups"][asked:]
        question["followups"] = question["followups"][:asked]
        self._judge(state)
        return self._save(session_id, read, state)

    def _judge(self, state: dict[str, Any]) -> None:
        """Judge the current question on its main answer and follow-ups together; move on."""
        question = state["questions"][state["position"]]
        combined = " ".join(turn["answer"] for turn in question["turns"])
        guide = self.library.get(question["guide_id"])
        question["analysis"] = analyze_answer(combined[:20_000], guide=guide).to_dict()
        state["position"] += 1

    def _save(self, session_id: int, read: str, state: dict[str, Any]) -> dict[str, Any]:
        state["asked_at"] = _now()
        finished = state["position"] >= len(state["questions"])
        if finished:
            state["finished"] = True
            state["report"] = self._report(state)
        if not self.store.replace(session_id, read, _without_id(state), finished=finished):
            raise SessionMovedOnError(
                f"Mock session #{session_id} moved on while this answer was being saved (another "
                "answer to the same prompt came first). This answer was not saved: reload the "
                "session to see its current question."
            )
        return self.view(self.store.get(session_id))

    def delete(self, session_id: int) -> None:
        self.store.delete(session_id)

    def sessions(self) -> list[dict[str, Any]]:
        """Every session, newest first, as a summary: id, track, progress, when."""
        return [summary(state) for state in self.store.list()]

    def _report(self, state: dict[str, Any]) -> dict[str, Any]:
        descriptions = {
            signal.name: signal.description
            for q in state["questions"]
            for signal in self.library.get(q["guide_id"]).signals
        }
        report = scorecard(state["questions"], descriptions)
        budget = state["track"]["seconds_per_answer"]
        report["timing"] = [
            {
                "question": n,
                "seconds": q["turns"][0]["seconds"] if q["turns"] else None,
                "followup_seconds": [t["seconds"] for t in q["turns"][1:]],
                "budget": budget,
            }
            for n, q in enumerate(state["questions"], start=1)
        ]
        report["stories_used"] = self._stories_used(state["questions"])
        return report

    def _stories_used(self, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        used = []
        bank = self.stories()
        for number, question in enumerate(questions, start=1):
            said = terms(" ".join(t["answer"] for t in question["turns"]))
            best = max(
                ((cosine(said, terms(s.text + " " + s.title)), s) for s in bank),
                key=lambda pair: pair[0],
                default=None,
            )
            if best and best[0] >= STORY_MATCH:
                used.append(
                    {
                        "question": number,
                        "story": best[1].id,
                        "title": best[1].title,
                        "similarity": round(best[0], 2),
                    }
                )
        return used

    @staticmethod
    def view(state: dict[str, Any]) -> dict[str, Any]:
        """What a client needs: the current prompt, or the final scorecard."""
        return {
            "id": state["id"],
            "track": state["track"],
            "finished": state["finished"],
            "prompt": current_prompt(state),
            "questions": [
                {
                    "guide_id": q["guide_id"],
                    "title": q["title"],
                    "question": q["question"],
                    "turns": q["turns"],
                    "score": q["analysis"]["overall"]["score"] if q["analysis"] else None,
                    "rating": q["analysis"]["overall"]["rating"] if q["analysis"] else None,
                }
                for q in state["questions"]
            ],
            "report": state["report"],
        }


def current_prompt(state: dict[str, Any]) -> dict[str, Any] | None:
    if state["finished"] or state["position"] >= len(state["questions"]):
        return None
    question = state["questions"][state["position"]]
    number, total = state["position"] + 1, len(state["questions"])
    base = {
        "number": number,
        "of": total,
        "guide_id": question["guide_id"],
        "seconds": state["track"]["seconds_per_answer"],
    }
    if not question["turns"]:
        return {**base, "kind": "question", "text": question["question"]}
    asked = len(question["turns"]) - 1
    return {
        **base,
        "kind": "followup",
        "text": question["followups"][asked],
        "followup": asked + 1,
        "followups": len(question["followups"]),
    }


def _without_id(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k != "id"}


def summary(state: dict[str, Any]) -> dict[str, Any]:
    """A session in one line: what `starcoach mock list` shows."""
    questions = state["questions"]
    return {
        "id": state["id"],
        "track": state["track"]["label"],
        "answered": sum(1 for q in questions if q["analysis"]),
        "questions": len(questions),
        "finished": state["finished"],
        "started_at": state["started_at"],
        "finished_at": state["asked_at"] if state["finished"] else None,
    }
