"""The analysis as a readable terminal report."""

from __future__ import annotations

import click

from ..analysis.result import Analysis
from .render import wrap

COLORS = {
    "situation": "blue",
    "task": "magenta",
    "action": "green",
    "result": "yellow",
    "learning": "cyan",
    "other": "white",
}
RATING_COLORS = {
    "strong_hire": "green",
    "hire": "green",
    "mixed": "yellow",
    "no_hire": "red",
    "strong_no_hire": "red",
}


def _title(text: str) -> str:
    return click.style(text.upper(), bold=True, fg="cyan")


def render_analysis(analysis: Analysis) -> str:
    overall = analysis.overall
    rating = click.style(
        overall.rating.replace("_", " ").upper(), bold=True, fg=RATING_COLORS[overall.rating]
    )
    guide = analysis.guide
    against = {
        "id": f"Judged against: {guide.title} ({guide.id})",
        "question": f"Closest library guide: {guide.title} ({guide.id}), similarity "
        f"{guide.similarity}",
        "inferred": f"No close library guide: signals inferred from the question ({guide.title})",
    }[guide.matched_by]
    metrics = analysis.metrics
    out = [
        f"{rating}  {overall.score}/100",
        *wrap(overall.summary, 0),
        click.style(against, dim=True),
        click.style(
            f"{metrics.words} words, about {metrics.speaking_seconds} s spoken, "
            f"{metrics.sentences} sentences, I x{metrics.i_count}, we x"
            f"{metrics.we_count}, {len(metrics.metrics)} numbers with units, "
            f"{metrics.filler_words} fillers",
            dim=True,
        ),
        "",
    ]
    if not analysis.relevance.on_topic:
        out += [*wrap(f"Off topic: {analysis.relevance.reason}", 0, "! "), ""]
    out.append(_title("Why this score"))
    out += render_breakdown(analysis)
    out += ["", _title("STAR structure")]
    shares = "  ".join(
        click.style(f"{part} {values.share:.0%}", fg=COLORS[part])
        if values.present
        else click.style(f"{part} missing", fg="red")
        for part, values in analysis.components.items()
    )
    out += [f"  {shares}"]
    for sentence in analysis.sentences:
        tag = click.style(f"{sentence.component[:4].upper():4}", fg=COLORS[sentence.component])
        out += [
            f"  {tag} " + line.lstrip() if i == 0 else "       " + line.lstrip()
            for i, line in enumerate(wrap(sentence.text, 0))
        ]
    out += ["", _title("Signals")]
    for signal in analysis.signals:
        bar = "●" * signal.score + "○" * (4 - signal.score)
        out.append(f"  {bar}  {click.style(signal.name, bold=True)}")
        for evidence in signal.evidence[:2]:
            out += wrap(f"\u201c{evidence.quote}\u201d", 8)
        if signal.score < 4:
            out += [click.style(line, dim=True) for line in wrap(signal.advice, 8)]
    if analysis.flags:
        out += ["", _title("Red flags")]
        for flag in analysis.flags:
            out += wrap(f"{flag.id}: {flag.message}", 2, "! ")
            for evidence in flag.evidence[:2]:
                out += wrap(f"\u201c{evidence.quote}\u201d", 6)
    if analysis.suggestions:
        out += ["", _title("What to do next")]
        for suggestion in analysis.suggestions:
            out += wrap(suggestion.text, 2, "→ ")
    out += ["", _title("The interviewer might ask")]
    for question in analysis.followups:
        out += wrap(question, 2, "? ")
    return "\n".join(out)


def render_breakdown(analysis: Analysis) -> list[str]:
    """Each thing that moved the score, in tiers, with the words that show it."""
    breakdown = analysis.breakdown
    out = [f"  Starts at tier {breakdown.start:.0f} (a strong answer)"]
    for item in breakdown.contributions:
        effect = f"{item.tiers:+.1f} tier" if item.tiers else ""
        if item.cap is not None:
            effect = (effect + ", " if effect else "") + f"at most tier {item.cap}"
        quote = f" \u201c{item.evidence.quote}\u201d" if item.evidence else ""
        out += wrap(f"{effect}: {item.label}{quote}", 2, "- ")
    capped = f", capped by {breakdown.capped_by}" if breakdown.capped_by else ""
    out.append(f"  = tier {breakdown.tier:.1f}{capped}")
    if breakdown.best_change_tiers > 0:
        out += wrap(
            f"Biggest lift: {breakdown.best_change} (+{breakdown.best_change_tiers:.1f} tier)",
            2,
            "↑ ",
        )
    return out
