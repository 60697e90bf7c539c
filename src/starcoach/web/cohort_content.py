"""What a coach adds for one cohort, on its page and in the API (docs/coaching.md): guides, written
offline from a question or pasted in the guide format, and signals every answer of the cohort's
members is also scored on. The cohort's members see them on their next request, in every app
process. Same rule as every coach route: a cohort you do not coach is the 404 of a missing one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from flask import Blueprint, Response, jsonify, redirect, request, url_for
from pydantic import BaseModel, Field, model_validator
from werkzeug.wrappers import Response as WerkzeugResponse

from ..accounts.access import coached_cohort
from ..accounts.model import User
from ..errors import GuideExistsError, GuideFormatError
from ..guides.edit import MAX_MARKDOWN
from ..guides.formats import read_guide
from ..guides.generate import generate_guide
from ..guides.lint import ERROR, check_guide
from ..guides.model import Guide
from ..storage.cohort_content import (
    MAX_SIGNAL_DESCRIPTION,
    MAX_SIGNAL_NAME,
    CohortContentStore,
    CohortGuide,
    CohortSignal,
)
from .coach_pages import app_services, refuse_unless_coach, render_cohort
from .forms import refills
from .request_models import Body, Form, FormLine, Line, Storable, form, json_body

cohort_content_pages = Blueprint("cohort_content", __name__)
cohort_content_api = Blueprint("cohort_content_api", __name__)

Markdown = Annotated[str, Field(max_length=MAX_MARKDOWN), Storable]
SignalName = Annotated[str, Field(max_length=MAX_SIGNAL_NAME), Storable]
SignalDescription = Annotated[str, Field(max_length=MAX_SIGNAL_DESCRIPTION), Storable]


class SignalBody(Body):
    """POST /api/cohorts/<id>/signals: a signal every answer of the cohort is scored on."""

    name: SignalName
    description: SignalDescription


class CohortGuideBody(Body):
    """POST /api/cohorts/<id>/guides: `question` (and optionally `level`) has starcoach
    write the guide offline; `markdown` is a whole guide in the guide format. One of the two."""

    question: Line | None = None
    level: Line | None = None
    markdown: Markdown | None = None

    @model_validator(mode="after")
    def _one_source(self) -> CohortGuideBody:
        if bool(self.question) == bool(self.markdown):
            raise ValueError("send either 'question' or 'markdown'")
        return self


class SignalForm(Form):
    name: SignalName = ""
    description: SignalDescription = ""


class CohortGuideForm(Form):
    question: Line = ""
    level: FormLine = None
    markdown: Markdown = ""


class SignalOut(BaseModel):
    id: int
    name: str
    description: str
    created_at: datetime

    @classmethod
    def of(cls, found: CohortSignal) -> SignalOut:
        return cls(
            id=found.id,
            name=found.name,
            description=found.description,
            created_at=found.created_at,
        )


class CohortGuideOut(BaseModel):
    id: str = Field(description="The guide's id: practise it at /guides/<id>.")
    title: str
    question: str
    level: str
    created_at: datetime

    @classmethod
    def of(cls, found: CohortGuide) -> CohortGuideOut:
        guide = read_guide(found.markdown, f"cohort guide {found.guide_id}", "markdown")
        return cls(
            id=guide.id,
            title=guide.title,
            question=guide.question,
            level=guide.level,
            created_at=found.created_at,
        )


class CohortContentOut(BaseModel):
    """GET /api/cohorts/<id>/content: the cohort's own guides and signals."""

    guides: list[CohortGuideOut]
    signals: list[SignalOut]


COHORT_CONTENT_MODELS: list[type[BaseModel]] = [SignalBody, CohortGuideBody, CohortContentOut]


def _store() -> CohortContentStore:
    return CohortContentStore(app_services().database)


def _coach_of(cohort_id: int) -> User:
    """The logged-in coach of this cohort (an admin: of any), or the 404 of a missing one."""
    viewer = refuse_unless_coach()
    coached_cohort(app_services().database, viewer, cohort_id)
    return viewer


def content_of(cohort_id: int) -> CohortContentOut:
    store = _store()
    return CohortContentOut(
        guides=[CohortGuideOut.of(g) for g in store.guides([cohort_id])],
        signals=[SignalOut.of(s) for s in store.signals([cohort_id])],
    )


def new_guide(cohort_id: int, question: str, level: str | None, markdown: str) -> Guide:
    """The guide to add: written offline from the question, or read from the Markdown and
    checked as `starcoach guides lint` would. Its id may not be one the members already see."""
    library = app_services().cohort_library(cohort_id)
    if markdown.strip():
        guide = read_guide(markdown, "the guide's Markdown", "markdown")
        problems = [message for severity, message in check_guide(guide) if severity == ERROR]
        if problems:
            raise GuideFormatError("; ".join(problems), source="the guide's Markdown")
    else:
        guide = generate_guide(question, list(library), level=level)
    if guide.id in library:
        raise GuideExistsError(
            f"The cohort's library already has a guide with id '{guide.id}' "
            f"({library.get(guide.id).title}): practise that one, or give yours another id."
        )
    return guide


# API --------------------------------------------------------------------------------------------


@cohort_content_api.get("/cohorts/<id:cohort_id>/content")
def content(cohort_id: int) -> Response:
    _coach_of(cohort_id)
    return jsonify(content_of(cohort_id).model_dump(mode="json"))


@cohort_content_api.post("/cohorts/<id:cohort_id>/signals")
def add_signal(cohort_id: int) -> tuple[Response, int]:
    viewer = _coach_of(cohort_id)
    body = json_body(SignalBody)
    made = _store().add_signal(cohort_id, body.name, body.description, viewer.id)
    return jsonify(SignalOut.of(made).model_dump(mode="json")), 201


@cohort_content_api.delete("/cohorts/<id:cohort_id>/signals/<id:signal_id>")
def remove_signal(cohort_id: int, signal_id: int) -> tuple[str, int]:
    _coach_of(cohort_id)
    _store().remove_signal(cohort_id, signal_id)
    return "", 204


@cohort_content_api.post("/cohorts/<id:cohort_id>/guides")
def add_guide(cohort_id: int) -> tuple[Response, int]:
    viewer = _coach_of(cohort_id)
    body = json_body(CohortGuideBody)
    guide = new_guide(cohort_id, body.question or "", body.level, body.markdown or "")
    made = _store().add_guide(cohort_id, guide, viewer.id)
    return jsonify(CohortGuideOut.of(made).model_dump(mode="json")), 201


@cohort_content_api.delete("/cohorts/<id:cohort_id>/guides/<guide_id>")
def remove_guide(cohort_id: int, guide_id: str) -> tuple[str, int]:
    _coach_of(cohort_id)
    _store().remove_guide(cohort_id, guide_id)
    return "", 204


# Pages ------------------------------------------------------------------------------------------


def _back(cohort_id: int) -> WerkzeugResponse:
    return redirect(url_for("coach.cohort", cohort_id=cohort_id, _anchor="own"), code=303)


def _again(message: str) -> str:
    """The cohort page with the posted signal or guide form as it was, and what is wrong."""
    cohort_id = int((request.view_args or {}).get("cohort_id", 0))
    return render_cohort(
        refuse_unless_coach(),
        cohort_id,
        content_error=message,
        content_posted=dict(request.form.items()),
    )


@cohort_content_pages.post("/coach/cohorts/<id:cohort_id>/signals")
@refills(_again)
def post_signal(cohort_id: int) -> WerkzeugResponse:
    viewer = _coach_of(cohort_id)
    posted = form(SignalForm)
    _store().add_signal(cohort_id, posted.name, posted.description, viewer.id)
    return _back(cohort_id)


@cohort_content_pages.post("/coach/cohorts/<id:cohort_id>/signals/<id:signal_id>/delete")
def delete_signal(cohort_id: int, signal_id: int) -> WerkzeugResponse:
    _coach_of(cohort_id)
    _store().remove_signal(cohort_id, signal_id)
    return _back(cohort_id)


@cohort_content_pages.post("/coach/cohorts/<id:cohort_id>/guides")
@refills(_again)
def post_guide(cohort_id: int) -> WerkzeugResponse:
    viewer = _coach_of(cohort_id)
    posted = form(CohortGuideForm)
    guide = new_guide(cohort_id, posted.question, posted.level, posted.markdown)
    _store().add_guide(cohort_id, guide, viewer.id)
    return _back(cohort_id)


@cohort_content_pages.post("/coach/cohorts/<id:cohort_id>/guides/<guide_id>/delete")
def delete_guide(cohort_id: int, guide_id: str) -> WerkzeugResponse:
    _coach_of(cohort_id)
    _store().remove_guide(cohort_id, guide_id)
    return _back(cohort_id)
