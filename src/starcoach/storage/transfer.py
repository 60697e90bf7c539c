"""Export and import of everything saved: attempts, stories, mock interviews and plans.

An export is one JSON document, written record by record while the rows are read, so its size
never has to fit in memory; an import reads it back the same way (ijson), checks each record
against its declared model, and writes all of it in one transaction, or nothing. Ids are given
afresh by the database and every link (a retry's `previous_id`, a mock report's story) is
remapped, so sequences stay right on PostgreSQL. Exports of version 1 (attempts only), 2
(before spoken answers) and 3 (before practice plans) still import.

A spoken attempt carries its transcript and delivery (`spoken`) and the name its recording had
(`recording`); the audio files themselves are not in the export (`recording_archive` zips
them), so an import keeps the transcript and the feedback and leaves the attempt without a
recording (a mock interview's turns lose their recordings' names the same way).

Both are one owner's (`owner`: a user's id in shared mode, None for the single-user owner): an
export holds only their rows, and an import gives every row to them. Whose rows they were is not
in the file, and an import links records only to records of the same file, so it can neither
change nor point at anyone else's.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Annotated, Any

import ijson
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
)
from sqlalchemy import ColumnElement, Connection, Table, func, insert, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StarcoachError
from ..plan.model import Plan
from ..speech.model import SpokenAnswer
from ..stories.model import Story
from .attempts import SUMMARY_COLUMNS, iso, utc
from .database import Database, attempts, mock_sessions, plans, stories

EXPORT_FORMAT = "starcoach-export"
EXPORT_VERSION = 4
# An export of 10,000 analysed attempts is about 100 MB; the import reads it as a stream.
MAX_IMPORT_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64  # deeper JSON than any record of ours is refused before it is built
# Whose rows they are is not part of an export (SUMMARY_COLUMNS leave owner_id out).
CSV_FIELDS = tuple(column.name for column in SUMMARY_COLUMNS)
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SECTIONS = ("attempts", "stories", "mock_sessions", "plans")
# The PostgreSQL advisory lock (with the owner's id) an import holds: "imp" in ASCII.
IMPORT_LOCK = 0x696D70
TABLES = (attempts, stories, mock_sessions, plans)


class ImportDataError(StarcoachError):
    """The file is not an export this version can read; the message names the record."""

    exit_code = 2


def _text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    value.encode("utf-8")  # a lone surrogate cannot be stored: refuse it here, by name
    return value


Text = Annotated[str, AfterValidator(_text)]
Id = Annotated[int, Strict(), Field(ge=1, le=2**63 - 1)]
Count = Annotated[int, Strict(), Field(ge=0, le=2**31 - 1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AttemptRecord(Record):
    """An attempt as exported (versions 1 to 3; `spoken` and `recording` since 3)."""

    id: Id
    guide_id: Annotated[Text, Field(max_length=200)] | None = None
    question: Annotated[Text, Field(min_length=1)]
    answer: Annotated[Text, Field(min_length=1)]
    created_at: datetime
    analyzed_at: datetime | None = None
    score: Annotated[int, Strict(), Field(ge=0, le=100)] | None = None
    rating: Annotated[Text, Field(max_length=20)] | None = None
    analysis: dict[str, Any] | None = None
    error: Text | None = None
    previous_id: Id | None = None
    seconds_taken: Count | None = None
    spoken: SpokenAnswer | None = None
    recording: Annotated[Text, Field(max_length=200)] | None = None


class StoryRecord(Record):
    """A story: its fields as the API shows them (checked by the story's own rules on import),
    its analysis and its times."""

    id: Id
    story: dict[str, Any]

    @field_validator("story")
    @classmethod
    def _title_is_text(cls, story: dict[str, Any]) -> dict[str, Any]:
        if isinstance(story.get("title"), str):
            _text(story["title"])  # the title is also a plain column: no NUL, no surrogate
        return story

    analysis: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime


class MockSessionRecord(Record):
    """A mock interview: its track and the whole conversation (and report) so far."""

    id: Id
    track: Annotated[Text, Field(min_length=1)]
    state: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None = None


class PlanRecord(Record):
    """A saved practice plan (since version 4): the posting it was made from and the plan."""

    id: Id
    title: Annotated[Text, Field(min_length=1)]
    posting: Annotated[Text, Field(min_length=1)]
    plan: Plan
    created_at: datetime


class ExportHeader(Record):
    """What precedes the records; the sections are lists of the records above."""

    format: str
    version: Annotated[int, Strict(), Field(ge=1, le=EXPORT_VERSION)]
    exported_at: datetime | None = None


MODELS: dict[str, type[Record]] = {
    "attempts": AttemptRecord,
    "stories": StoryRecord,
    "mock_sessions": MockSessionRecord,
    "plans": PlanRecord,
}


# Export ---------------------------------------------------------------------------------


def export_json(database: Database, owner: int | None = None) -> Iterator[str]:
    """The owner's export as chunks of text, one record at a time, read from one connection."""
    header = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
    }
    yield json.dumps(header, ensure_ascii=False)[:-1]
    with database.engine.connect() as connection:
        for section, records in (
            ("attempts", _attempt_records(connection, owner)),
            ("stories", _story_records(connection, owner)),
            ("mock_sessions", _mock_records(connection, owner)),
            ("plans", _plan_records(connection, owner)),
        ):
            yield f',\n"{section}": ['
            for n, record in enumerate(records):
                yield ("\n" if n == 0 else ",\n") + record
            yield "\n]"
    yield "\n}\n"


def owned_by(table: Table, owner: int | None) -> ColumnElement[bool]:
    """The owner's rows of `table`."""
    column = table.c.owner_id
    return column.is_(None) if owner is None else column == owner


def _rows(connection: Connection, table: Table, owner: int | None) -> Iterator[Any]:
    result = connection.execution_options(stream_results=True, yield_per=50).execute(
        select(table).where(owned_by(table, owner)).order_by(table.c.id)
    )
    for row in result:
        yield row._mapping


def _splice(record: dict[str, Any], raw: dict[str, str | None]) -> str:
    """`record` as JSON with fields whose stored text is already JSON added as they are: the
    analyses are the bulk of an export, and parsing them only to write them again is waste."""
    opening = json.dumps(record, ensure_ascii=False)[:-1]
    extra = "".join(f', "{key}": {value or "null"}' for key, value in raw.items())
    return opening + extra + "}"


def _attempt_records(connection: Connection, owner: int | None) -> Iterator[str]:
    for row in _rows(connection, attempts, owner):
        record = {c: row[c] for c in CSV_FIELDS}
        record["created_at"] = iso(row["created_at"])
        record["analyzed_at"] = iso(row["analyzed_at"])
        yield _splice(record, {"analysis": row["analysis"], "spoken": row["spoken"]})


def _story_records(connection: Connection, owner: int | None) -> Iterator[str]:
    for row in _rows(connection, stories, owner):
        record = {
            "id": row["id"],
            "created_at": iso(row["created_at"]),
            "updated_at": iso(row["updated_at"]),
        }
        yield _splice(record, {"story": row["data"], "analysis": row["analysis"]})


def _mock_records(connection: Connection, owner: int | None) -> Iterator[str]:
    for row in _rows(connection, mock_sessions, owner):
        record = {
            "id": row["id"],
            "track": row["track"],
            "created_at": iso(row["created_at"]),
            "finished_at": iso(row["finished_at"]),
        }
        yield _splice(record, {"state": row["state"]})


def _plan_records(connection: Connection, owner: int | None) -> Iterator[str]:
    for row in _rows(connection, plans, owner):
        record = {
            "id": row["id"],
            "title": row["title"],
            "posting": row["posting"],
            "created_at": iso(row["created_at"]),
        }
        yield _splice(record, {"plan": row["plan"]})


def export_csv(database: Database, owner: int | None = None) -> Iterator[str]:
    """The owner's attempts as CSV (without the analysis), one line at a time. A text cell that a
    spreadsheet would run as a formula is prefixed with a single quote."""
    out = io.StringIO()
    writer = csv.writer(out)

    def line(values: list[Any]) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow(values)
        return out.getvalue()

    yield line(list(CSV_FIELDS))
    with database.engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=500).execute(
            select(*SUMMARY_COLUMNS).where(owned_by(attempts, owner)).order_by(attempts.c.id)
        )
        for row in result:
            data = row._mapping
            values = [
                iso(data[name]) if name in ("created_at", "analyzed_at") else data[name]
                for name in CSV_FIELDS
            ]
            yield line([neutralise(value) for value in values])


def neutralise(value: Any) -> Any:
    """A text cell starting like a formula gets a leading ' so a spreadsheet shows it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Import ---------------------------------------------------------------------------------


def import_json(database: Database, stream: IO[bytes], owner: int | None = None) -> dict[str, int]:
    """Import an export for an owner who has nothing saved yet, all of it or nothing; every
    record becomes the owner's. Returns the counts."""
    try:
        with database.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Two imports for one owner at once (a double-clicked button) must not both find
                # them empty: they take turns on the owner's lock, held to the commit, and the
                # later one counts afresh. Other owners' work goes on meanwhile. SQLite needs no
                # lock: its second writer's snapshot is stale, so it is refused.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key, :owner)"),
                    {"key": IMPORT_LOCK, "owner": owner or 0},
                )
            if any(_count(connection, table, owner) for table in TABLES):
                place = "database" if owner is None else "account"
                raise ImportDataError(
                    f"Import goes into an empty {place} only, so nothing already saved is "
                    f"changed; this {place} has attempts, stories, mock interviews or plans."
                )
            return _Importer(connection, owner).run(stream)
    except SQLAlchemyError:
        raise ImportDataError(
            "The database refused the import, so nothing was imported: it may have been busy "
            "with another change (try again), or the file is not an unchanged starcoach export."
        ) from None


def _count(connection: Connection, table: Table, owner: int | None) -> int:
    query = select(func.count()).select_from(table).where(owned_by(table, owner))
    return int(connection.execute(query).scalar_one())


class _Importer:
    """Reads records as they stream in and inserts each as the owner's, remembering old id ->
    new id."""

    def __init__(self, connection: Connection, owner: int | None) -> None:
        self.connection = connection
        self.owner = owner
        self.ids: dict[str, dict[int, int]] = {section: {} for section in SECTIONS}
        self.links: list[tuple[int, int, str]] = []  # (new id, old previous_id, where)
        self.header: dict[str, Any] = {}

    def run(self, stream: IO[bytes]) -> dict[str, int]:
        positions = dict.fromkeys(SECTIONS, 0)
        for key, value in _events(stream):
            if key in SECTIONS:
                where = f"{key}[{positions[key]}]"
                positions[key] += 1
                self._check_header(final=False)
                self._insert(key, where, value)
            else:
                self.header[key] = value
                self._check_header(final=False)
        self._check_header(final=True)
        self._link_attempts()
        return {section: len(self.ids[section]) for section in SECTIONS}

    def _check_header(self, *, final: bool) -> None:
        found = self.header.get("format")
        if (found is not None and found != EXPORT_FORMAT) or (final and found is None):
            raise ImportDataError(
                f'This is not a starcoach export (expected "format": "{EXPORT_FORMAT}").'
            )
        if final or "version" in self.header:
            _validated(ExportHeader, {"format": EXPORT_FORMAT, **self.header}, "")

    def _insert(self, section: str, where: str, value: Any) -> None:
        record = _validated(MODELS[section], value, where)
        if record.id in self.ids[section]:
            raise ImportDataError(f"{where}.id: id {record.id} appears twice in the file")
        if isinstance(record, AttemptRecord):
            new_id = self._insert_attempt(record, where)
        elif isinstance(record, StoryRecord):
            new_id = self._insert_story(record, where)
        elif isinstance(record, PlanRecord):
            new_id = self._insert_plan(record)
        else:
            assert isinstance(record, MockSessionRecord)
            new_id = self._insert_mock(record)
        self.ids[section][record.id] = new_id

    def _new_id(self, statement: Any) -> int:
        return int(self.connection.execute(statement).scalar_one())

    def _insert_attempt(self, record: AttemptRecord, where: str) -> int:
        previous = self.ids["attempts"].get(record.previous_id or 0)
        values = record.model_dump(exclude={"id", "analysis", "spoken", "recording"})
        values.update(
            created_at=utc(record.created_at),
            analyzed_at=utc(record.analyzed_at),
            analysis=_dumps(record.analysis),
            previous_id=previous,
            owner_id=self.owner,
            # The recording itself is not in the export: keep the transcript, not the name.
            spoken=_dumps(record.spoken.model_dump(mode="json")) if record.spoken else None,
        )
        new_id = self._new_id(insert(attempts).values(**values).returning(attempts.c.id))
        if record.previous_id is not None and previous is None:
            self.links.append((new_id, record.previous_id, where))  # a later record, or none
        return new_id

    def _insert_story(self, record: StoryRecord, where: str) -> int:
        try:
            story = Story.from_dict({k: v for k, v in record.story.items() if k != "id"})
        except StarcoachError as exc:
            raise ImportDataError(f"{where}.story: {exc}") from None
        fields = story.to_dict()
        fields.pop("id", None)
        fields.pop("analysis", None)
        return self._new_id(
            insert(stories)
            .values(
                owner_id=self.owner,
                title=story.title,
                data=_dumps(fields),
                analysis=_dumps(record.analysis),
                created_at=utc(record.created_at),
                updated_at=utc(record.updated_at),
            )
            .returning(stories.c.id)
        )

    def _insert_mock(self, record: MockSessionRecord) -> int:
        """The report's stories follow the stories' new ids; one not in the file is left out,
        as are the turns' recording names (the audio is not in the file, and the name could be
        someone else's file)."""
        state = _without_recordings(record.state)
        state.pop("id", None)
        report = state.get("report")
        if isinstance(report, dict) and isinstance(report.get("stories_used"), list):
            report["stories_used"] = self._stories_used(report["stories_used"])
        return self._new_id(
            insert(mock_sessions)
            .values(
                owner_id=self.owner,
                track=record.track,
                state=_dumps(state),
                created_at=utc(record.created_at),
                finished_at=utc(record.finished_at),
            )
            .returning(mock_sessions.c.id)
        )

    def _stories_used(self, entries: list[Any]) -> list[Any]:
        story_ids = self.ids["stories"]
        kept = []
        for used in entries:
            story = used.get("story") if isinstance(used, dict) else None
            if isinstance(story, int):
                if story not in story_ids:
                    continue
                used = {**used, "story": story_ids[story]}
            kept.append(used)
        return kept

    def _insert_plan(self, record: PlanRecord) -> int:
        """A plan's best stories point at story ids: they follow the stories' new ids (the
        stories come first in an export); a story not in the file is dropped from the plan."""
        story_ids = self.ids["stories"]
        questions = [
            question.model_copy(
                update={
                    "story": question.story.model_copy(update={"id": story_ids[question.story.id]})
                    if question.story.id in story_ids
                    else None
                }
            )
            if question.story is not None
            else question
            for question in record.plan.questions
        ]
        plan = record.plan.model_copy(update={"questions": questions})
        return self._new_id(
            insert(plans)
            .values(
                owner_id=self.owner,
                title=record.title,
                posting=record.posting,
                plan=plan.model_dump_json(),
                created_at=utc(record.created_at),
            )
            .returning(plans.c.id)
        )

    def _link_attempts(self) -> None:
        """Retries that named an attempt further down the file are linked now."""
        for new_id, old_previous, where in self.links:
            previous = self.ids["attempts"].get(old_previous)
            if previous is None:
                raise ImportDataError(
                    f"{where}.previous_id: no attempt with id {old_previous} in the file"
                )
            self.connection.execute(
                update(attempts).where(attempts.c.id == new_id).values(previous_id=previous)
            )


def _validated(model: type[Record], value: Any, where: str) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        message = "required" if first["type"] == "missing" else first["msg"]
        if first["type"] == "model_type":
            message = "expected an object"
        raise ImportDataError(f"{where}{field}".lstrip(".") + f": {message}") from None


def _without_recordings(value: Any) -> Any:
    """A copy of a mock interview's state with every recording name set to None."""
    if isinstance(value, dict):
        return {
            key: None if key == "recording" else _without_recordings(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_recordings(item) for item in value]
    return value


def _dumps(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _events(stream: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """(key, value) for each top-level scalar, and (section, record) for each element of a
    top-level list, each built only when complete; nothing deeper than MAX_DEPTH is built."""
    builder: Any = None
    depth = 0
    section = ""
    try:
        parsed = ijson.parse(stream, use_float=True)
        first = next(parsed, None)
        if first is None or first[:2] != ("", "start_map"):
            raise ImportDataError("This is not a starcoach export: it is not a JSON object.")
        for prefix, event, value in parsed:
            opens, closes = event in ("start_map", "start_array"), event in ("end_map", "end_array")
            if builder is not None:
                depth += opens - closes
                if depth > MAX_DEPTH:
                    raise ImportDataError(f"{section}: nested more than {MAX_DEPTH} levels deep")
                builder.event(event, value)
                if depth == 0:
                    yield section, builder.value
                    builder = None
                continue
            top, _, rest = prefix.partition(".")
            if rest == "item" and top in SECTIONS:
                section = top
                if opens:
                    builder, depth = ijson.ObjectBuilder(), 1
                    builder.event(event, value)
                else:
                    yield section, value
            elif (top in SECTIONS and not rest and event in ("start_array", "end_array")) or (
                prefix == "" and event in ("map_key", "end_map")
            ):
                continue  # the structure around the records
            elif top in ("format", "version", "exported_at") and not rest and not opens:
                yield top, value
            else:
                known = ", ".join(("format", "version", "exported_at", *SECTIONS))
                raise ImportDataError(
                    f"{top}: not a field of a starcoach export, or of the wrong kind "
                    f"(the fields are {known}; the record sections are lists)"
                )
    except ijson.JSONError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "it ends too early"
        raise ImportDataError(f"This is not valid JSON: {reason}.") from None
    except UnicodeDecodeError:
        raise ImportDataError("This is not a JSON export: it is not UTF-8 text.") from None
