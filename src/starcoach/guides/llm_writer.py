"""A whole guide written by a language model the user already has, through simonw's `llm`.

`starcoach guides new QUESTION --model NAME`: any model `llm` knows (a local one through a plugin
such as llm-gguf or llm-ollama, or a hosted one with the user's key) writes the guide in the seed
layout, model answer included. What it writes must pass what a bundled guide passes: the seed
parser, `guides lint --strict`, and our engine rating the model answer hire or better and on topic
for its question. Each failed attempt's problems are sent back with the next prompt; after
`attempts` tries the error names what was still wrong. `llm` is an optional extra, imported only
here and only when a model is asked for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import GuideFormatError, StarcoachError
from .formats.seed import read_seed
from .lint import check_guide
from .model import Guide, slugify

logger = logging.getLogger(__name__)

DEFAULT_ATTEMPTS = 3
MAX_ATTEMPTS = 5
GOOD_RATINGS = ("hire", "strong_hire")
_FENCE = re.compile(r"^```[a-z]*\s*$", re.MULTILINE)

# A completion: (prompt, system prompt) -> the model's text. The `llm` one is the default.
Complete = Callable[[str, str], str]

SYSTEM = """You write interview preparation guides for behavioral job interviews. You answer with
one guide in a plain-text layout and nothing else: no Markdown, no code fences, no commentary."""

LAYOUT = """The layout, one item per line, with these exact header lines:

The Question
<Category><Title>            (the category, Behavioral or Leadership, glued to a short title)
<the question, exactly as given>
<Level> Level               (for example: Senior Level)
<one competency per line, 3 to 5 of them>
Questions & Insights
Clarifying Questions
"<a question the candidate may ask first>"   (2 or 3 of them, each in double quotes)
Assumptions: <the frame the model answer takes, one paragraph>
Coach Strategy
Signals:
<Signal Name>: <what the interviewer listens for>   (4 to 6 of them)
Cheat Code: <the one insight that lifts an answer>
Strategy Breakdown
The STAR Narrative
Situation – Context
<one point per line>
Task – Your Responsibility
<one point per line>
Action – What You Did
<one point per line; a point may start with a short Title Case label and a colon>
Result – Outcome & Impact
<one point per line>
Learning / Reflection – Growth
<one point per line>

The STAR points together are the model answer: 300 to 500 words in the first person, one
specific story with decisions and realistic numbers, ending with a lesson that changed a habit or
a process."""


class ModelGuideError(StarcoachError):
    """The language model could not write a guide that passes the checks, or is not there.
    Raised as such for a request out of bounds (422 on the web); the subclasses say more."""

    exit_code = 2


class UnknownModelError(ModelGuideError):
    """The request names a model llm does not know: the client asked for something that is
    not there, so the web answers 400 (GET /api/guides/models lists the ones that are)."""

    http_status = 400


class LlmMissingError(ModelGuideError):
    """The llm extra is not installed. The web answers 501 Not Implemented, not 503: 503 says
    "try again later", but no retry helps until someone installs the extra on the server."""

    http_status = 501


class ModelFailedError(ModelGuideError):
    """The model answered, but with nothing usable after every try, or its plugin failed
    (network, key, model file). The fault is upstream of starcoach, so the web answers
    502 Bad Gateway, as a proxy does for a server behind it that misbehaves."""

    http_status = 502


@dataclass(frozen=True)
class KnownModel:
    """A model llm can prompt: its id, its aliases, and the key it needs (a hosted model's
    provider, such as "openai"; None for a local model, which sends nothing anywhere)."""

    id: str
    aliases: tuple[str, ...]
    needs_key: str | None


def known_models() -> list[KnownModel]:
    """The models llm knows, for a client to offer; none when llm is not installed or its
    plugins cannot be loaded (a broken plugin must not break the page that lists them)."""
    try:
        import llm
    except ImportError:
        return []
    try:
        found = llm.get_models_with_aliases()
    except Exception:  # a plugin's own error while registering its models
        logger.warning("llm could not list its models", exc_info=True)
        return []
    return [
        KnownModel(
            str(entry.model.model_id),
            tuple(str(alias) for alias in entry.aliases),
            _key_name(entry.model),
        )
        for entry in found
    ]


def _key_name(model: object) -> str | None:
    key = getattr(model, "needs_key", None)
    return str(key) if key else None


def llm_completion(model_name: str) -> Complete:
    """A completion through `llm`'s model of that name, or a clear error naming what is
    missing: the extra, or the model (with the command that lists the ones installed)."""
    try:
        import llm
    except ImportError:
        raise LlmMissingError(
            "Writing a guide with a language model needs the llm extra: "
            "pip install 'starcoach[llm]', then a model plugin (see docs/guide-generation.md)."
        ) from None
    try:
        model = llm.get_model(model_name)
    except llm.UnknownModelError:
        raise UnknownModelError(
            f"llm has no model '{model_name}'. `llm models` lists the ones installed."
        ) from None

    def complete(prompt: str, system: str) -> str:
        try:
            return str(model.prompt(prompt, system=system).text())
        except Exception as error:  # a plugin's own errors: network, key, model file
            raise ModelFailedError(f"The model '{model_name}' failed: {error}") from None

    return complete


def prompt_for(question: str, level: str, role: str | None, outline: Guide) -> str:
    """The request: the question, its level and role, and our offline reading of it as a
    starting point the model may improve on."""
    signals = "\n".join(f"- {s.name}: {s.description}" for s in outline.signals)
    role_line = f"The candidate is interviewing for the role: {role}.\n" if role else ""
    return (
        f"{LAYOUT}\n\nWrite the guide for this question.\n\nQuestion: {question}\n"
        f"Level: {level}\n{role_line}"
        f"Competencies it probably assesses: {', '.join(outline.competencies)}\n"
        f"Signals an interviewer may listen for:\n{signals}\n"
    )


def problems_with(
    text: str, question: str, level: str, library: Sequence[Guide]
) -> tuple[Guide | None, list[str]]:
    """The guide the model wrote and what keeps it from being used; no problems means done."""
    from ..analysis import analyze_answer
    from ..errors import AnswerError

    cleaned = _FENCE.sub("", text).strip()
    try:
        guide = read_seed(cleaned, "<model>")
    except GuideFormatError as error:
        return None, [f"the layout could not be read: {error.detail} (line {error.line})"]
    guide = guide.with_changes(question=question, level=level, id=slugify(guide.title))
    problems = [message for _, message in check_guide(guide)]
    if problems:
        return guide, problems
    # Judged against the guide without its own answer, so the answer cannot vouch for itself.
    bare = guide.with_changes(star={})
    try:
        analysis = analyze_answer(guide.sample_answer, guide=bare, library=library)
    except AnswerError as error:
        return guide, [f"the model answer cannot be judged: {error}"]
    if analysis.overall.rating not in GOOD_RATINGS:
        problems.append(
            f"our coach rates the model answer {analysis.overall.rating.replace('_', ' ')} "
            f"({analysis.overall.score}/100); it must be hire or better: "
            f"{analysis.overall.summary}"
        )
    if not analysis.relevance.on_topic:
        problems.append(f"the model answer is off topic: {analysis.relevance.reason}")
    return guide, problems


def write_with_model(
    question: str,
    library: Sequence[Guide],
    *,
    model: str,
    level: str | None = None,
    role: str | None = None,
    attempts: int = DEFAULT_ATTEMPTS,
    complete: Complete | None = None,
) -> Guide:
    """A guide the model wrote that passes every check, within `attempts` tries."""
    if not 1 <= attempts <= MAX_ATTEMPTS:
        raise ModelGuideError(f"attempts must be from 1 to {MAX_ATTEMPTS}, not {attempts}.")
    from .generate import generate_guide  # loads the engine, so not at import

    outline = generate_guide(question, library, level=level, role=role)
    ask = complete or llm_completion(model)
    prompt = prompt_for(outline.question, outline.level, role, outline)
    problems: list[str] = []
    for _ in range(attempts):
        request = prompt
        if problems:
            listed = "\n".join(f"- {p}" for p in problems)
            request += f"\nYour previous guide could not be used:\n{listed}\nWrite it again."
        guide, problems = problems_with(
            ask(request, SYSTEM), outline.question, outline.level, library
        )
        if guide is not None and not problems:
            metadata = {"roles": outline.roles, "tags": outline.tags, "source": f"llm:{model}"}
            return guide.with_changes(metadata=metadata)
    listed = "; ".join(problems[:3])
    raise ModelFailedError(
        f"The model '{model}' did not write a usable guide in {attempts} attempts. "
        f"Last problems: {listed}. Try another model, or leave out --model for the offline guide."
    )
