"""The plan pages: paste a job description, see the plan, start a mock interview on it.

/plan shows the form and the saved plans; posting it saves the plan (the same code as POST
/api/plans) and shows it at /plans/ID, with the progress made since and a button that starts a
mock interview on the plan's first questions through the mock interview form.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import Blueprint, redirect, render_template, request, url_for
from pydantic import BeforeValidator
from werkzeug.wrappers import Response as WerkzeugResponse

from ..guides.model import LEVELS
from ..mock.session import DEFAULT_SECONDS
from .context import services
from .forms import refills
from .plan_api import Level, Posting, make_plan, store
from .request_models import Form, form

plan_pages = Blueprint("plans", __name__)


def _blank_is_none(value: Any) -> Any:
    """The level menu's first choice, "read it from the title", sends an empty value."""
    return None if value == "" else value


class PlanForm(Form):
    posting: Posting = ""
    level: Annotated[Level | None, BeforeValidator(_blank_is_none)] = None


def _start(error: str | None = None) -> str:
    values = {name: request.form.get(name, "") for name in ("posting", "level")}
    return render_template(
        "plan_start.html", values=values, levels=LEVELS, plans=store().list(), error=error
    )


@plan_pages.get("/plan")
def start() -> str:
    return _start()


@plan_pages.post("/plan")
@refills(_start)
def create() -> WerkzeugResponse:
    posted = form(PlanForm)
    saved = make_plan(posted.posting, posted.level)
    return redirect(url_for("plans.show", plan_id=saved.id), code=303)


@plan_pages.get("/plans/<id:plan_id>")
def show(plan_id: int) -> str:
    saved = store().get(plan_id)
    progress = {p.guide_id: p for p in saved.progress}
    return render_template(
        "plan.html",
        saved=saved,
        plan=saved.plan,
        progress=progress,
        mock_guides=saved.plan.mock_guide_ids,
        seconds=DEFAULT_SECONDS,
        library=services().library.guides,
    )
