"""Calm abstract illustrations for the demo content, drawn with Pillow (never downloaded)."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTES = [
    ((223, 236, 232), (31, 87, 80), (164, 196, 186)),
    ((238, 234, 224), (138, 59, 18), (214, 186, 160)),
    ((228, 234, 242), (44, 74, 120), (170, 190, 214)),
    ((236, 240, 228), (78, 104, 52), (190, 206, 168)),
    ((242, 232, 236), (120, 52, 84), (214, 178, 194)),
]


def draw_abstract(seed: str, size: tuple[int, int] = (1600, 900)) -> bytes:
    """Soft overlapping shapes on a gentle gradient; the same seed always draws the same image."""
    rng = random.Random(seed)
    background, ink, soft = PALETTES[rng.randrange(len(PALETTES))]
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


def draw_portrait(seed: str, size: int = 800) -> bytes:
    """A simple illustrated head-and-shoulders figure, for a demo practitioner profile."""
    rng = random.Random(seed)
    background, ink, soft = PALETTES[rng.randrange(len(PALETTES))]
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    centre = size // 2
    draw.ellipse((centre - 140, 170, centre + 140, 470), fill=soft)  # head
    draw.pieslice((centre - 300, 500, centre + 300, 1100), 180, 360, fill=ink)  # shoulders
    draw.rectangle((centre - 60, 440, centre + 60, 560), fill=soft)  # neck
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88, optimize=True)
    return buffer.getvalue()
