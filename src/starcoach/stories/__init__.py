"""The story bank: the candidate's own true stories, analyzed, matched to questions."""

from .model import STORY_PARTS, Story, StoryError

__all__ = ["STORY_PARTS", "Story", "StoryError"]
