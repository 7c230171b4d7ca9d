"""SVG geometry for a 0-10 score across visits: the intake's pain score, the PEG score.

Pure: labels and scores in, coordinates out; the templates draw them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .peg import change, shown

CHART_WIDTH = 560
CHART_HEIGHT = 220
MARGIN = 36


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    score: int | Fraction
    label: str

    @property
    def shown(self) -> str:
        """The score as written beside the point: whole numbers as they are, else "6.7"."""
        return str(self.score) if isinstance(self.score, int) else shown(self.score)


def score_chart(scores: list[tuple[str, int | Fraction]]) -> dict | None:
    """SVG geometry for scores (0-10) in visit order; None with fewer than two visits."""
    if len(scores) < 2:
        return None
    inner_width = CHART_WIDTH - 2 * MARGIN
    inner_height = CHART_HEIGHT - 2 * MARGIN
    step = inner_width / (len(scores) - 1)
    points = [
        ChartPoint(
            x=round(MARGIN + i * step, 1),
            y=round(MARGIN + inner_height * float(1 - Fraction(score) / 10), 1),
            score=score,
            label=label,
        )
        for i, (label, score) in enumerate(scores)
    ]
    gridlines = [
        {"value": value, "y": round(MARGIN + inner_height * (1 - value / 10), 1)}
        for value in (0, 5, 10)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "gridlines": gridlines,
        "left": MARGIN,
        "right": CHART_WIDTH - MARGIN,
        "first": points[0].shown,
        "last": points[-1].shown,
    }


def peg_summary(history: list) -> dict:
    """What a page shows of a PEG history (``selectors.peg_history``): the chart, the change
    from the first answers to the latest, each score, and which visits have answers."""
    scores = [(f"{a.local_starts_at:%b %-d}", peg.score) for a, peg in history]
    return {
        "peg_scores": [(a, shown(peg.score)) for a, peg in history],
        "peg_chart": score_chart(scores),
        "peg_change": change([score for _, score in scores]),
        "peg_answered": {a.public_id for a, _ in history},
    }
