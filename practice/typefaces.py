"""The typefaces a practice may choose in its settings, self-hosted from static/fonts/.

Each is the Latin subset, regular and bold, copied from its Fontsource package
(``make fonts``; the versions are pinned in package.json) under the SIL Open Font
Licence, whose text sits beside the files. Nothing is fetched from another site.

While a face loads, text is set in a local fallback (Arial's or Times New Roman's metric
twins) scaled to the face's measurements, so the page does not move when it arrives.
The measurements are the face's and the fallback's own (units per em, ascent, descent,
line gap, average lowercase width), as published in @capsizecss/metrics 4.3.0.
"""

from __future__ import annotations

from dataclasses import dataclass

SYSTEM = "system"


@dataclass(frozen=True)
class Metrics:
    units_per_em: int
    ascent: int
    descent: int  # negative, below the baseline
    line_gap: int
    x_width_avg: float


@dataclass(frozen=True)
class Fallback:
    local_names: tuple[str, ...]
    metrics: Metrics
    generic: str


ARIAL = Fallback(
    ("Arial", "Liberation Sans", "Arimo"), Metrics(2048, 1854, -434, 67, 913), "sans-serif"
)
TIMES = Fallback(
    ("Times New Roman", "Liberation Serif", "Tinos"), Metrics(2048, 1825, -443, 87, 832), "serif"
)


@dataclass(frozen=True)
class Typeface:
    key: str
    family: str
    label: str
    metrics: Metrics
    fallback: Fallback

    def file(self, weight: int) -> str:
        """The face's file for ``weight``, under the static files."""
        return f"fonts/{self.key}-latin-{weight}-normal.woff2"

    def overrides(self) -> dict[str, str]:
        """The fallback's descriptors that make it take the face's room."""
        own, other = self.metrics, self.fallback.metrics
        scale = (own.x_width_avg / own.units_per_em) / (other.x_width_avg / other.units_per_em)

        def share(value: int) -> str:
            return f"{abs(value) / own.units_per_em / scale * 100:.2f}%"

        return {
            "size-adjust": f"{scale * 100:.2f}%",
            "ascent-override": share(own.ascent),
            "descent-override": share(own.descent),
            "line-gap-override": share(own.line_gap),
        }


TYPEFACES = {
    face.key: face
    for face in (
        Typeface(
            "atkinson-hyperlegible",
            "Atkinson Hyperlegible",
            "Atkinson Hyperlegible (sans-serif, made for low vision)",
            Metrics(1000, 950, -290, 0, 443),
            ARIAL,
        ),
        Typeface(
            "nunito-sans",
            "Nunito Sans",
            "Nunito Sans (rounded sans-serif)",
            Metrics(1000, 1011, -353, 0, 452),
            ARIAL,
        ),
        Typeface("lora", "Lora", "Lora (serif)", Metrics(1000, 1006, -274, 0, 468), TIMES),
    )
}

CHOICES = [(SYSTEM, "The device's own (no font to load)")] + [
    (face.key, face.label) for face in TYPEFACES.values()
]
