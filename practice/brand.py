"""The practice's own look, from its settings: two colours and a typeface, served as one small
stylesheet at an address that changes with them (``/brand/<version>.css``).

Why a stylesheet of its own and not a ``<style>`` in each page: the public pages' Content
Security Policy allows inline styles only with a per-response nonce, and a page with a nonce
is never kept by the page cache (practice/page_cache.py). The stylesheet's address names a
digest of what it says, so browsers keep it for a year; saving the settings empties the page
cache (practice/signals.py), and the next page names the new address. The admin loads the
same colours (``admin=True``) in its own variables.
"""

from __future__ import annotations

import colorsys
import hashlib
import re

from django.core.exceptions import ValidationError
from django.templatetags.static import static

from .typefaces import SYSTEM, TYPEFACES

DEFAULT_MAIN = "#1f5750"
DEFAULT_DARK = "#153e39"
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
# Where the brand colours meet text: white text on buttons and the footer, and the colours
# as link text on white and on the site's palest tint (site.css, --tint).
BACKGROUNDS = {"white": "#ffffff", "the pale green-grey of the tinted sections": "#eef3f1"}
MINIMUM_CONTRAST = 4.5  # WCAG 2.2 AA, normal text


def _channel(value: int) -> float:
    value = value / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two colours written ``#rrggbb``."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def validate_brand_colour(value: str) -> None:
    """A colour written ``#rrggbb`` that white text can sit on and that reads as text on the
    site's light backgrounds."""
    if not HEX.match(value or ""):
        raise ValidationError(
            "Write the colour as # and six hexadecimal digits, for example #1f5750."
        )
    for name, background in BACKGROUNDS.items():
        ratio = contrast(value, background)
        if ratio < MINIMUM_CONTRAST:
            raise ValidationError(
                f"This colour is too light: against {name} its contrast is {ratio:.1f}:1, and "
                f"text needs at least {MINIMUM_CONTRAST}:1 to be read (WCAG 2.2 AA). Choose a "
                "darker shade."
            )


def version(practice) -> str:
    """A digest of everything the stylesheet says."""
    said = "|".join((practice.brand_colour, practice.brand_colour_dark, practice.typeface))
    return hashlib.sha256(said.encode()).hexdigest()[:12]


def font_faces(typeface) -> list[str]:
    """The typeface's two weights, and its fallback shaped to its measures. ``optional``:
    a weight that is not there by the first paint (not preloaded, a slow line) is not
    swapped in later on that page, so nothing moves as it arrives (Lighthouse measured a
    small shift with ``swap`` even beside the shaped fallback); the next page has it."""
    rules = [
        f'@font-face {{ font-family: "{typeface.family}"; '
        f'src: url("{static(typeface.file(weight))}") format("woff2"); '
        f"font-weight: {weight}; font-style: normal; font-display: optional; }}"
        for weight in (400, 700)
    ]
    local = ", ".join(f'local("{name}")' for name in typeface.fallback.local_names)
    overrides = "; ".join(f"{name}: {value}" for name, value in typeface.overrides().items())
    rules.append(
        f'@font-face {{ font-family: "{typeface.family} fallback"; src: {local}; {overrides}; }}'
    )
    return rules


def stylesheet(practice, *, admin: bool = False) -> str:
    main, dark = practice.brand_colour, practice.brand_colour_dark
    if admin:
        return _admin_stylesheet(main, dark)
    rules = []
    variables = [f"--brand: {main};", f"--brand-dark: {dark};"]
    typeface = TYPEFACES.get(practice.typeface)
    if typeface is not None:
        rules += font_faces(typeface)
        stack = f'"{typeface.family}", "{typeface.family} fallback", {typeface.fallback.generic}'
        variables.append(f"--font-body: {stack};")
    rules.append(":root { " + " ".join(variables) + " }")
    return "\n".join(rules) + "\n"


def _hsl(colour: str) -> tuple[float, float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    return hue * 360, saturation * 100, lightness * 100


def _admin_stylesheet(main: str, dark: str) -> str:
    """Wagtail's admin colours (its ``--w-color-primary`` and ``--w-color-secondary`` families,
    each derived from a hue, saturation and lightness) set to the practice's."""
    lines = []
    for name, colour in (("primary", main), ("secondary", dark)):
        hue, saturation, lightness = _hsl(colour)
        lines += [
            f"--w-color-{name}-hue: {hue:.1f};",
            f"--w-color-{name}-saturation: {saturation:.1f}%;",
            f"--w-color-{name}-lightness: {lightness:.1f}%;",
        ]
    return (
        ":root, .w-theme-light, .w-theme-dark { " + " ".join(lines) + " }\n"
        ".practice-admin-logo { width: 100%; height: auto; max-height: 5rem; "
        "object-fit: contain; }\n"
    )


def preload(practice) -> str | None:
    """The address of the chosen face's regular weight, to fetch before the stylesheet asks."""
    typeface = TYPEFACES.get(practice.typeface)
    return static(typeface.file(400)) if typeface and practice.typeface != SYSTEM else None
