"""The demo's palettes (shared by its scenes, demo/scenes.py) and its practitioner
portraits, drawn with Pillow (never downloaded). A portrait's alt text names it as an
illustration of the person."""

import io
from dataclasses import dataclass

from PIL import Image, ImageColor, ImageDraw


@dataclass(frozen=True)
class Palette:
    background: tuple[int, int, int]
    ink: tuple[int, int, int]
    soft: tuple[int, int, int]
    # The colours as a person would name them, for the picture's alt text.
    described: str


PALETTES = {
    "sage": Palette((223, 236, 232), (31, 87, 80), (164, 196, 186), "sage green and teal"),
    "terracotta": Palette((238, 234, 224), (138, 59, 18), (214, 186, 160), "sand and terracotta"),
    "blue": Palette((228, 234, 242), (44, 74, 120), (170, 190, 214), "pale blue and navy"),
    "moss": Palette((236, 240, 228), (78, 104, 52), (190, 206, 168), "moss green and cream"),
    "rose": Palette((242, 232, 236), (120, 52, 84), (214, 178, 194), "rose pink and plum"),
}


@dataclass(frozen=True)
class Portrait:
    """How a drawn practitioner looks: colours as "#rrggbb", hair "long" or "short"."""

    skin: str
    hair: str
    hair_style: str
    clothing: str
    background: str


def draw_portrait(look: Portrait, size: int = 800) -> bytes:
    """A flat, friendly head-and-shoulders illustration standing in for a photograph.

    Drawn four times larger and scaled down, since Pillow draws without smoothing. All
    sizes are fractions of the picture, so the figure sits the same at any ``size``.
    """
    big = size * 4
    unit = big / 100  # drawing in a 100 x 100 grid
    image = Image.new("RGB", (big, big), _shade(look.background, 1.04))
    draw = ImageDraw.Draw(image)

    def box(x0, y0, x1, y1):
        return (x0 * unit, y0 * unit, x1 * unit, y1 * unit)

    draw.ellipse(box(8, 8, 92, 92), fill=look.background)
    # Hair behind the head: to the shoulders when long, a rounded crown when short.
    if look.hair_style == "long":
        draw.rounded_rectangle(box(29, 20, 71, 74), radius=17 * unit, fill=look.hair)
    else:
        draw.ellipse(box(32, 15, 68, 46), fill=look.hair)
    # Shoulders in a tunic with a V neck (running off the bottom edge), the neck in shadow.
    draw.ellipse(box(12, 66, 88, 140), fill=look.clothing)
    neck = _shade(look.skin, 0.88)
    draw.rectangle(box(43, 52, 57, 68), fill=neck)
    draw.polygon(
        [(43 * unit, 67 * unit), (57 * unit, 67 * unit), (50 * unit, 78 * unit)], fill=neck
    )
    collar = _shade(look.clothing, 1.35)
    draw.line(
        [(40 * unit, 67.5 * unit), (50 * unit, 80 * unit), (60 * unit, 67.5 * unit)],
        fill=collar,
        width=round(1.6 * unit),
        joint="curve",
    )
    # Ears and face, then the hair that falls over the forehead, parted to one side.
    draw.ellipse(box(31.5, 38, 37.5, 47), fill=_shade(look.skin, 0.94))
    draw.ellipse(box(62.5, 38, 68.5, 47), fill=_shade(look.skin, 0.94))
    draw.ellipse(box(34, 22, 66, 58), fill=look.skin)
    draw.ellipse(box(33, 18, 57, 34), fill=look.hair)
    draw.ellipse(box(45, 17, 67, 31), fill=look.hair)
    if look.hair_style == "long":
        draw.ellipse(box(31, 24, 38, 50), fill=look.hair)
        draw.ellipse(box(62, 24, 69, 50), fill=look.hair)
    # A face with its features: eyes with whites and irises under brows, a nose drawn by
    # its shadow, cheeks, lips with a little colour, and a soft light on the hair.
    features = _shade(look.hair, 0.8)
    for x in (43, 57):
        draw.ellipse(box(x - 2.6, 38.6, x + 2.6, 42.6), fill=(250, 248, 244))
        draw.ellipse(box(x - 1.5, 39, x + 1.5, 42.4), fill=_shade(look.hair, 1.2))
        draw.ellipse(box(x - 0.7, 39.9, x + 0.7, 41.4), fill=(20, 16, 14))
        draw.arc(
            box(x - 2.8, 38.2, x + 2.8, 42.4), 190, 350, fill=features, width=round(0.6 * unit)
        )
        draw.arc(
            box(x - 3.8, 34.4, x + 3.8, 38.6), 200, 340, fill=features, width=round(1.1 * unit)
        )
    nose = _shade(look.skin, 0.8)
    draw.arc(box(47.5, 40, 52.5, 48.5), 30, 150, fill=nose, width=round(0.8 * unit))
    draw.line(
        [(49.2 * unit, 41 * unit), (48.6 * unit, 46 * unit)],
        fill=_shade(look.skin, 0.9),
        width=round(0.6 * unit),
    )
    for x in (39.5, 60.5):
        draw.ellipse(box(x - 3, 44.5, x + 3, 48), fill=_blend(look.skin, "#e07a6a", 0.18))
    lips = _blend(look.skin, "#a8454a", 0.45)
    draw.chord(box(45.2, 48.6, 54.8, 53.2), 0, 180, fill=lips)
    draw.line(
        [(45.6 * unit, 50.6 * unit), (54.4 * unit, 50.6 * unit)],
        fill=_shade(lips, 0.75),
        width=round(0.5 * unit),
    )
    draw.arc(box(38, 19, 54, 29), 200, 300, fill=_shade(look.hair, 1.6), width=round(1.2 * unit))
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88, optimize=True)
    return buffer.getvalue()


def _blend(colour: str, other: str, share: float) -> tuple[int, int, int]:
    """``colour`` with ``share`` of ``other`` mixed in."""
    one, two = ImageColor.getrgb(colour)[:3], ImageColor.getrgb(other)[:3]
    return tuple(round(a * (1 - share) + b * share) for a, b in zip(one, two, strict=True))


def _shade(colour, factor: float) -> tuple[int, int, int]:
    """``colour`` lighter (factor above 1) or darker (below 1)."""
    rgb = colour if isinstance(colour, tuple) else ImageColor.getrgb(colour)
    return tuple(max(0, min(255, round(c * factor))) for c in rgb[:3])
