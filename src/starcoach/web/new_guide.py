"""A guide for any question on the web: `POST /api/guides/new`, `GET /api/guides/models` and the
page at /new-guide.

They call the same writers as `starcoach guides new`: the offline generator, or with `model` a
language model through `llm` (guides.llm_writer), whose errors carry their own HTTP status.
Saving puts the guide in the user's library folder and in the running app's library, so
practice, mock interviews and story matching use it at once.
"""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from pydantic import BaseModel, Field, RootModel, model_validator
from werkzeug.wrappers import Response as WerkzeugResponse

from ..errors import StarcoachError
from ..guides.edit import MAX_MARKDOWN, markdown_of
from ..guides.formats import read_guide
from ..guides.generate import DEFAULT_LEVEL, MAX_ROLE, generate_guide
from ..guides.library import USER, save_user_guides
from ..guides.lint import ERROR, check_guide
from ..guides.llm_writer import DEFAULT_ATTEMPTS, MAX_ATTEMPTS, known_models, write_with_model
from ..guides.model import LEVELS, STAR_PARTS, Guide
from .context import services, shared_library
from .forms import refills
from .request_models import Body, Form, FormLine, Line, Storable, form, json_body
from .signin import refuse_shared_writes_of_guides

new_guide_api = Blueprint("new_guide_api", __name__)
new_guide_pages = Blueprint("new_guide", __name__)

RoleLine = Annotated[str, Field(max_length=MAX_ROLE), Storable]
Attempts = Annotated[int, Field(ge=1, le=MAX_ATTEMPTS)]
Markdown = Annotated[str, Field(max_length=MAX_MARKDOWN), Storable]
LLM_PREFIX = "llm:"  # a model-written guide's `source` is llm:NAME


class NewGuideBody(Body):
    """POST /api/guides/new: the question, optionally a level and a role; `model` has a
    language model llm knows write it, in at most `attempts` tries; `save` also puts the guide
    in your library (an id already there is refused unless `replace`)."""

    question: Line
    level: Line | None = None
    role: RoleLine | None = None
    model: Line | None = None
    attempts: Attempts | None = Field(
        default=None, description=f"With 'model': tries, 1 to {MAX_ATTEMPTS} (default 3)."
    )
    save: bool = False
    replace: bool = False

    @model_validator(mode="after")
    def _attempts_need_a_model(self) -> NewGuideBody:
        if self.attempts is not None and not self.model:
            raise ValueError("'attempts' applies only with 'model'")
        return self


class LanguageModel(BaseModel):
    """One model llm knows: what `model` may name."""

    id: str = Field(description="The name to send as 'model'.")
    aliases: list[str] = Field(description="Other names llm accepts for it.")
    needs_key: str | None = Field(
        description="The key a hosted model needs (e.g. 'openai'): it sends the question to that "
        "provider. Null for a local model."
    )


class LanguageModels(RootModel[list[LanguageModel]]):
    """GET /api/guides/models: every model llm knows; [] when llm is not installed."""


NEW_GUIDE_MODELS: list[type[BaseModel]] = [NewGuideBody, LanguageModel, LanguageModels]


class NewGuideForm(Form):
    question: Line = ""
    level: FormLine = None
    role: RoleLine = ""
    model: FormLine = None
    replace: bool = False
    markdown: Markdown = ""  # the model-written guide shown, sent back to save it as shown


def _write(
    question: str,
    level: str | None,
    role: str | None,
    model: str | None,
    attempts: int = DEFAULT_ATTEMPTS,
) -> Guide:
    """The offline guide, or with `model` the one the model writes (it may take a while)."""
    library = list(services().library)
    if model:
        return write_with_model(
            question, library, model=model, level=level, role=role, attempts=attempts
        )
    return generate_guide(question, library, level=level, role=role)


def _save(guide: Guide, replace: bool) -> None:
    refuse_shared_writes_of_guides()
    library = shared_library()
    save_user_guides([guide], library, replace=replace)
    library.add(guide, USER)


def models() -> list[LanguageModel]:
    """What llm knows, as the API and the page's "Written by" choice offer it."""
    found = known_models()
    return [LanguageModel(id=m.id, aliases=list(m.aliases), needs_key=m.needs_key) for m in found]


@new_guide_api.post("/guides/new")
def create() -> tuple[Response, int]:
    """The guide JSON (docs/guide-format.md): 201 when saved, 200 when only written."""
    body = json_body(NewGuideBody)
    attempts = body.attempts or DEFAULT_ATTEMPTS
    guide = _write(body.question, body.level, body.role, body.model, attempts)
    if body.save:
        _save(guide, body.replace)
    return jsonify(guide.to_dict()), 201 if body.save else 200


@new_guide_api.get("/guides/models")
def list_models() -> Response:
    return jsonify(LanguageModels(models()).model_dump())


def written_by(guide: Guide) -> str | None:
    """The model that wrote the guide, or None for ours (bundled, or written offline)."""
    source = str(guide.metadata.get("source") or "")
    return source.removeprefix(LLM_PREFIX) if source.startswith(LLM_PREFIX) else None


def _page(guide: Guide | None = None, error: str | None = None) -> str:
    names = ("question", "level", "role", "model")
    values = {name: request.form.get(name, "") for name in names}
    return render_template(
        "new_guide.html",
        guide=guide,
        values=values,
        levels=LEVELS,
        default_level=DEFAULT_LEVEL,
        parts=STAR_PARTS,
        models=models(),
        attempts=DEFAULT_ATTEMPTS,
        written_by=written_by(guide) if guide else None,
        markdown=markdown_of(guide) if guide and written_by(guide) else "",
        error=error,
    )


def _shown_guide(markdown: str) -> Guide:
    """The model-written guide the preview showed, sent back by the save form: read and
    linted again, since it came back through the browser."""
    text = markdown.replace("\r\n", "\n")  # a browser sends a form's line breaks as CRLF
    guide = read_guide(text, "the guide shown", "markdown")
    errors = [message for severity, message in check_guide(guide) if severity == ERROR]
    if errors:
        raise StarcoachError(f"The guide cannot be saved: {'; '.join(errors[:3])}.")
    return guide


def _again(message: str) -> str:
    """The form as posted, with the message: the question typed is never lost, nor a
    model-written guide that could not be saved (its id was taken: tick Replace and save)."""
    guide = None
    if request.form.get("markdown"):
        try:
            guide = _shown_guide(request.form["markdown"])
        except StarcoachError:
            guide = None
    return _page(guide, message)


@new_guide_pages.get("/new-guide")
def new_guide() -> str:
    return _page()


@new_guide_pages.post("/new-guide")
@refills(_again)
def preview() -> str:
    """The guide written for the posted question, with a button to save it."""
    posted = form(NewGuideForm)
    return _page(_write(posted.question, posted.level, posted.role, posted.model))


@new_guide_pages.post("/new-guide/save")
@refills(_again)
def save() -> WerkzeugResponse:
    """Saves the guide shown: a model's as it was sent back; ours is written again (the
    generator is deterministic, a model is not)."""
    posted = form(NewGuideForm)
    if posted.markdown:
        guide = _shown_guide(posted.markdown)
    else:
        guide = _write(posted.question, posted.level, posted.role, None)
    _save(guide, posted.replace)
    return redirect(url_for("pages.guide", guide_id=guide.id), code=303)
