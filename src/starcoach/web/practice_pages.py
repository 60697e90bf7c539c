"""The practice pages: the question library, a guide, the practice form and its feedback."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..errors import StarcoachError
from ..guides.library import COHORT
from ..guides.model import LEVELS, STAR_PARTS, Guide
from ..practice import record_attempt
from ..storage import Attempt
from .context import services
from .feedback_view import feedback_view, flag_title
from .forms import refills
from .progress import COMPONENT_LABELS, compare
from .request_models import GuideFilters, PracticeForm, PracticeQuery, form, query
from .speech_pages import spoken_view

practice_pages = Blueprint("pages", __name__)


def draft_key(guide: Guide | None) -> str:
    """Where the browser keeps the answer being typed: one draft per guide, one for your own."""
    return f"guide:{guide.id}" if guide else "own"


@practice_pages.get("/")
def library() -> str:
    filters = query(GuideFilters).model_dump()
    found = services().library.filter(**filters)
    every = list(services().library)
    return render_template(
        "library.html",
        found=found,
        progress=services().attempts.progress_by_guide(),
        total=len(every),
        filters=filters,
        levels=LEVELS,
        competencies=services().library.competencies(),
        categories=sorted({g.category for g in every}),
        from_coach={g.id for g in every if services().library.origins[g.id] == COHORT},
    )


@practice_pages.get("/guides/<guide_id>")
def guide(guide_id: str) -> str:
    found = services().library.get(guide_id)
    recent = services().attempts.list(guide_id=guide_id, limit=5)
    return render_template(
        "guide.html",
        guide=found,
        parts=STAR_PARTS,
        recent=recent,
        from_coach=services().library.origins[guide_id] == COHORT,
        coach_signals={s.id for s in services().library.cohort_signals},
    )


@practice_pages.get("/practice/<guide_id>")
def practice(guide_id: str) -> str:
    found = services().library.get(guide_id)
    wanted = query(PracticeQuery)
    previous = services().attempts.get(wanted.from_) if wanted.from_ else None
    return render_template(
        "practice.html", guide=found, previous=previous, question=None, draft_key=draft_key(found)
    )


@practice_pages.get("/practice")
def practice_custom() -> str:
    wanted = query(PracticeQuery)
    previous = services().attempts.get(wanted.from_) if wanted.from_ else None
    question = previous.question if previous else wanted.question
    return render_template(
        "practice.html", guide=None, previous=previous, question=question, draft_key=draft_key(None)
    )


def _practice_again(message: str) -> str:
    """The practice form as it was posted, with the message: the typed answer is kept."""
    posted = request.form
    found: Guide | None = services().library.guides.get(posted.get("guide_id", ""))
    previous: Attempt | None = None
    previous_id = posted.get("previous_id", "")
    if previous_id.isascii() and previous_id.isdecimal() and len(previous_id) < 19:
        try:
            previous = services().attempts.get(int(previous_id))
        except StarcoachError:
            previous = None
    return render_template(
        "practice.html",
        guide=found,
        previous=previous,
        question=posted.get("question", ""),
        answer=posted.get("answer", ""),
        error=message,
        draft_key=draft_key(found),
    )


@practice_pages.post("/attempts")
@refills(_practice_again)
def submit() -> WerkzeugResponse:
    posted = form(PracticeForm)
    attempt = record_attempt(
        services().attempts,
        services().library,
        answer=posted.answer,
        guide_id=posted.guide_id,
        question=posted.question,
        previous_id=posted.previous_id,
        seconds_taken=posted.seconds_taken,
    )
    return redirect(url_for("pages.feedback", attempt_id=attempt.id), code=303)


@practice_pages.get("/attempts/<id:attempt_id>")
def feedback(attempt_id: int) -> str:
    attempt = services().attempts.get(attempt_id)
    previous = services().attempts.get(attempt.previous_id) if attempt.previous_id else None
    guide = services().library.guides.get(attempt.guide_id or "")
    spoken = spoken_view(attempt)
    return render_template(
        "feedback.html",
        attempt=attempt,
        analysis=attempt.analysis,
        guide=guide,
        comparison=compare(previous, attempt) if previous else None,
        previous=previous,
        labels=COMPONENT_LABELS,
        spoken=spoken,
        view=feedback_view(attempt, spoken),
        draft_key=draft_key(guide),
        flag_title=flag_title,
    )
