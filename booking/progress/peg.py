"""The PEG: pain, enjoyment of life, general activity. Pure: no database, no clock.

Krebs EE, Lorenz KA, Bair MJ, et al. Development and initial validation of the PEG, a
three-item scale assessing pain intensity and interference. J Gen Intern Med.
2009;24(6):733-738. doi:10.1007/s11606-009-0981-1

Three items from the Brief Pain Inventory, each answered 0 to 10 about the past week:
average pain (0 "no pain", 10 "pain as bad as you can imagine"), and how pain has
interfered with enjoyment of life and with general activity (0 "does not interfere", 10
"completely interferes"). The PEG score is the mean of the three, 0 to 10; all three are
needed (the paper gives no score for a partly answered scale).

No band of "meaningful change" is drawn. IMMPACT (Dworkin RH et al. J Pain 2008;9(2):
105-121) rates a fall of at least 30% as moderately important for pain intensity on a 0-10
rating scale, and a fall of 1 point as minimally important for the Brief Pain Inventory's
interference scale; neither is a figure for the PEG as a whole, and the PEG paper gives
none. So the change is shown as it is (points and per cent), never judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

LOWEST, HIGHEST = 0, 10

ITEMS = {
    "pain": "What number best describes your pain on average in the past week?",
    "enjoyment": (
        "What number best describes how, during the past week, pain has interfered with "
        "your enjoyment of life?"
    ),
    "activity": (
        "What number best describes how, during the past week, pain has interfered with "
        "your general activity?"
    ),
}
ANCHORS = {
    "pain": ("No pain", "Pain as bad as you can imagine"),
    "enjoyment": ("Does not interfere", "Completely interferes"),
    "activity": ("Does not interfere", "Completely interferes"),
}


@dataclass(frozen=True, slots=True)
class PegAnswers:
    """One patient's three answers, each a whole number 0-10."""

    pain: int
    enjoyment: int
    activity: int

    def __post_init__(self):
        for name in ITEMS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"The PEG's {name} answer must be a whole number.")
            if not LOWEST <= value <= HIGHEST:
                raise ValueError(f"The PEG's {name} answer must be 0 to 10.")

    @classmethod
    def from_dict(cls, data: dict) -> PegAnswers:
        return cls(**{name: data[name] for name in ITEMS})

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in ITEMS}

    @property
    def score(self) -> Fraction:
        """The PEG score: the mean of the three answers, exact (e.g. 20/3)."""
        return Fraction(self.pain + self.enjoyment + self.activity, 3)


def shown(score: Fraction) -> str:
    """A score as people read it: one decimal place ("6.7"), halves rounded up."""
    tenths = (score * 10 + Fraction(1, 2)).__floor__()
    return f"{tenths // 10}.{tenths % 10}"


@dataclass(frozen=True, slots=True)
class Change:
    """From the first score to the latest: points (negative is better) and per cent of the
    first (None when the first was 0, of which no per cent can be taken)."""

    first: Fraction
    latest: Fraction

    @property
    def points(self) -> Fraction:
        return self.latest - self.first

    @property
    def percent(self) -> int | None:
        if self.first == 0:
            return None
        return round(self.points / self.first * 100)

    @property
    def text(self) -> str:
        """ "down 2.0 points (30% lower) since the first answers", said plainly."""
        if self.points == 0:
            return "the same as the first answers"
        direction = "down" if self.points < 0 else "up"
        said = f"{direction} {shown(abs(self.points))} points"
        if self.percent is not None:
            said += f" ({abs(self.percent)}% {'lower' if self.points < 0 else 'higher'})"
        return f"{said} since the first answers"


def change(scores: list[Fraction]) -> Change | None:
    """The change across ``scores`` in visit order; None with fewer than two."""
    if len(scores) < 2:
        return None
    return Change(first=scores[0], latest=scores[-1])
