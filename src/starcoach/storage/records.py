"""Stories and mock sessions: rows of JSON documents, one transaction per call, each store
limited to its owner's rows (see `Records`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, insert, select, update

from ..stories.model import Story
from .attempts import utc
from .base import RecordNotFoundError, Records
from .database import mock_sessions, stories


class StoryStore(Records):
    table = stories
    noun = "story"

    def add(self, story: Story) -> Story:
        now = datetime.now(UTC)
        new_id = self._run(
            insert(stories)
            .values(
                owner_id=self.owner,
                title=story.title,
                data=json.dumps(_fields(story), ensure_ascii=False),
                analysis=json.dumps(story.analysis) if story.analysis is not None else None,
                created_at=now,
                updated_at=now,
            )
            .returning(stories.c.id),
            "scalar",
        )
        return self.get(int(new_id))

    def update(self, story_id: int, story: Story) -> Story:
        self.get(story_id)
        self._run(
            update(stories)
            .where(stories.c.id == story_id, self._mine())
            .values(
                title=story.title,
                data=json.dumps(_fields(story), ensure_ascii=False),
                analysis=json.dumps(story.analysis) if story.analysis is not None else None,
                updated_at=datetime.now(UTC),
            )
        )
        return self.get(story_id)

    def delete(self, story_id: int) -> None:
        self.get(story_id)
        self._run(delete(stories).where(stories.c.id == story_id, self._mine()))

    def get(self, story_id: int) -> Story:
        # An id no database column can hold (2**63 and up, from a URL or the command line)
        # names no story; asking the database would fail with an overflow instead.
        if not 0 < story_id < 2**63:
            raise RecordNotFoundError(f"No story with id {story_id}.")
        return _story(self._row(story_id))

    def list(self) -> list[Story]:
        rows = self._run(select(stories).where(self._mine()).order_by(stories.c.id), "all")
        return [_story(row._mapping) for row in rows]


def _fields(story: Story) -> dict[str, Any]:
    data = story.to_dict()
    data.pop("id")
    data.pop("analysis")
    return data


def _story(row: Any) -> Story:
    story = Story.from_dict(json.loads(row["data"]), story_id=row["id"])
    analysis = json.loads(row["analysis"]) if row["analysis"] else None
    return story.with_changes(analysis=analysis)


@dataclass(frozen=True)
class MockListing:
    """A mock session as a list shows it: its columns, and its state, where alone the answers
    and the scorecard are kept."""

    id: int
    track: str
    created_at: datetime
    finished_at: datetime | None
    state: dict[str, Any]


@dataclass(frozen=True)
class MockPage:
    """Mock sessions newest first, with the cursors of the neighbouring pages (as for attempts:
    `older` is the next page's `before`, `newer` the previous page's `after`; None at an end)."""

    sessions: list[MockListing]
    older: int | None
    newer: int | None


class MockStore(Records):
    """Mock sessions, saved with optimistic concurrency: a save names the state it started
    from and only lands if that is still the stored one, so two answers racing for one session
    cannot silently overwrite each other."""

    table = mock_sessions
    noun = "mock session"

    def create(self, track: str, state: dict[str, Any]) -> int:
        return int(
            self._run(
                insert(mock_sessions)
                .values(
                    owner_id=self.owner,
                    track=track,
                    state=json.dumps(state, ensure_ascii=False),
                    created_at=datetime.now(UTC),
                )
                .returning(mock_sessions.c.id),
                "scalar",
            )
        )

    def load(self, session_id: int) -> tuple[dict[str, Any], str]:
        """The state (with its id) and the stored text it was read from, for `replace`."""
        row = self._row(session_id)
        state: dict[str, Any] = json.loads(row["state"])
        state["id"] = row["id"]
        return state, str(row["state"])

    def replace(
        self, session_id: int, read: str, state: dict[str, Any], *, finished: bool = False
    ) -> bool:
        """Store `state` if the session still holds the text `read`; False when another save
        got there first. Each save bumps `revision`, so a state never repeats its text."""
        state = {**state, "revision": int(state.get("revision", 0)) + 1}
        values: dict[str, Any] = {"state": json.dumps(state, ensure_ascii=False)}
        if finished:
            values["finished_at"] = datetime.now(UTC)
        changed = self._run(
            update(mock_sessions)
            .where(mock_sessions.c.id == session_id, mock_sessions.c.state == read, self._mine())
            .values(**values)
        )
        return bool(changed == 1)

    def delete(self, session_id: int) -> None:
        self._run(delete(mock_sessions).where(mock_sessions.c.id == session_id, self._mine()))

    def get(self, session_id: int) -> dict[str, Any]:
        return self.load(session_id)[0]

    def list(self) -> list[dict[str, Any]]:
        """Every session's state, newest first: the CLI and the API list them all. Pages that
        may face many sessions read `page` instead."""
        query = select(mock_sessions).where(self._mine()).order_by(mock_sessions.c.id.desc())
        rows = self._run(query, "all")
        return [{**json.loads(r._mapping["state"]), "id": r._mapping["id"]} for r in rows]

    def page(self, *, limit: int, before: int | None = None, after: int | None = None) -> MockPage:
        """Up to `limit` sessions by keyset, newest first: ids below `before`, or the `limit`
        just above `after`. Only these few states are read, so a list costs the same at 10 or
        10,000 sessions."""
        c = mock_sessions.c
        query = select(c.id, c.track, c.state, c.created_at, c.finished_at).where(self._mine())
        if after is not None:
            query = query.where(mock_sessions.c.id > after).order_by(mock_sessions.c.id)
        else:
            if before is not None:
                query = query.where(mock_sessions.c.id < before)
            query = query.order_by(mock_sessions.c.id.desc())
        rows = [_listing(row._mapping) for row in self._run(query.limit(limit), "all")]
        if after is not None:
            rows.reverse()
        if not rows:
            return MockPage([], None, None)
        newest, oldest = rows[0].id, rows[-1].id
        return MockPage(
            rows,
            older=oldest if self._any(mock_sessions.c.id < oldest) else None,
            newer=newest if self._any(mock_sessions.c.id > newest) else None,
        )

    def count(self) -> int:
        return self._count()

    def _any(self, condition: ColumnElement[bool]) -> bool:
        return bool(self._run(select(exists().where(condition, self._mine())), "scalar"))


def _listing(row: Any) -> MockListing:
    return MockListing(
        id=row["id"],
        track=row["track"],
        created_at=utc(row["created_at"]) or datetime.now(UTC),
        finished_at=utc(row["finished_at"]),
        state=json.loads(row["state"]),
    )
