"""Calm abstract illustrations and practitioner portraits for the demo content, drawn with
Pillow (never downloaded). Each picture's alt text says what it shows: the colours named
by its palette, the portrait as an illustration of the person."""

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageColor, ImageDraw, ImageFilter


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


def describe_abstract(palette: str) -> str:
    """The alt text of a picture ``draw_abstract`` draws in ``palette``: what is in it."""
    return (
        f"Abstract illustration: soft, blurred circles in {PALETTES[palette].described}, "
        "crossed by fine lines"
    )


def draw_abstract(seed: str, palette: str, size: tuple[int, int] = (1600, 900)) -> bytes:
    """Soft overlapping circles on a gentle gradient, crossed by three fine lines, in the
    colours of ``palette``; the same seed always draws the same shapes."""
    rng = random.Random(seed)
    colours = PALETTES[palette]
    background, ink, soft = colours.background, colours.ink, colours.soft
    width, height = size

    image = Image.new("RGB", size, background)
    gradient = Image.linear_gradient("L").rotate(rng.choice([0, 90, 180, 270])).resize(size)
    image = Image.composite(image, Image.new("RGB", size, soft), gradient)

    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(7):
        radius = rng.randint(height // 6, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        colour = (*rng.choice([ink, soft, background]), rng.randint(40, 110))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    layer = layer.filter(ImageFilter.GaussianBlur(radius=height // 30))
    image.paste(layer, (0, 0), layer)

    # A few fine lines, like meridians drawn across the page.
    lines = ImageDraw.Draw(image)
    for i in range(3):
        y = height * (i + 1) // 4 + rng.randint(-40, 40)
        points = [(x, y + rng.randint(-30, 30)) for x in range(0, width + 200, 200)]
        lines.line(points, fill=ink, width=3, joint="curve")
        for px, py in points[1:-1:2]:
            lines.ellipse((px - 7, py - 7, px + 7, py + 7), fill=ink)

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


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
    # A calm face: eyes, brows and a small smile.
    features = _shade(look.hair, 0.8)
    for x in (43, 57):
        draw.ellipse(box(x - 1.6, 39, x + 1.6, 42.4), fill=features)
        draw.arc(
            box(x - 3.5, 34.5, x + 3.5, 38.5), 200, 340, fill=features, width=round(0.9 * unit)
        )
    draw.arc(box(44, 44, 56, 52), 20, 160, fill=_shade(look.skin, 0.6), width=round(1.1 * unit))
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88, optimize=True)
    return buffer.getvalue()


def _shade(colour: str, factor: float) -> tuple[int, int, int]:
    """``colour`` lighter (factor above 1) or darker (below 1)."""
    rgb = ImageColor.getrgb(colour)
    return tuple(max(0, min(255, round(c * factor))) for c in rgb[:3])
