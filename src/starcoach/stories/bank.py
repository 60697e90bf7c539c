"""The story bank as a service: every save is analyzed; coverage and matching read the bank."""

from __future__ import annotations

from typing import Any

from ..errors import StarcoachError
from ..guides.library import Library
from ..storage import StoryStore
from .insight import analyze_story, coverage, match_stories
from .model import Story


class StoryBank:
    def __init__(self, store: StoryStore, library: Library) -> None:
        self.store = store
        self.library = library

    def _analyzed(self, story: Story) -> Story:
        """The story checked against its limits, with its analysis. A story the engine cannot
        read (not English, no words) is still saved, and its analysis says why it is empty."""
        story.check()
        try:
            analysis = analyze_story(story, self.library.competencies())
        except StarcoachError as error:
            analysis = {
                "error": f"Not analyzed: {error}",
                "suggested_competencies": [],
                "gaps": [],
                "strengths": {},
            }
        return story.with_changes(analysis=analysis)

    def add(self, story: Story) -> Story:
        return self.store.add(self._analyzed(story))

    def update(self, story_id: int, story: Story) -> Story:
        return self.store.update(story_id, self._analyzed(story))

    def delete(self, story_id: int) -> None:
        self.store.delete(story_id)

    def get(self, story_id: int) -> Story:
        return self.store.get(story_id)

    def stories(self) -> list[Story]:
        return self.store.list()

    def coverage(self) -> dict[str, Any]:
        return coverage(self.stories(), self.library.competencies(), list(self.library))

    def match(self, question: str) -> list[dict[str, Any]]:
        if not question or not question.strip():
            raise StarcoachError("Give the question to match stories against.")
        return match_stories(question, self.stories(), list(self.library))
