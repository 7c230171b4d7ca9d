"""The site's icon as ``/favicon.ico``, drawn here with Pillow.

Browsers and feed readers ask for ``/favicon.ico`` whatever the page links to; the pages
themselves link the SVG (``static/img/favicon.svg``), which draws the same mark: a cedar
on a green disc. The shapes below are that file's, in its 32-unit grid.
"""

import io
from functools import cache

from PIL import Image, ImageDraw

GRID = 32
DISC = (16, 16, 15)  # centre x, centre y, radius
DISC_COLOUR = "#1f5750"
CEDAR = [
    (16, 5.5),
    (22.5, 14),
    (19.5, 14),
    (24.5, 21),
    (17.6, 21),
    (17.6, 26.5),
    (14.4, 26.5),
    (14.4, 21),
    (7.5, 21),
    (12.5, 14),
    (9.5, 14),
]
CEDAR_COLOUR = "#fbfaf7"
ICO_SIZES = [(16, 16), (32, 32), (48, 48)]


@cache
def favicon_ico() -> bytes:
    """The mark as an ICO file with 16, 32 and 48 pixel images."""
    scale = 8  # drawn large, then scaled down, for smooth edges
    image = Image.new("RGBA", (GRID * scale, GRID * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    x, y, radius = (value * scale for value in DISC)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=DISC_COLOUR)
    draw.polygon([(px * scale, py * scale) for px, py in CEDAR], fill=CEDAR_COLOUR)
    buffer = io.BytesIO()
    image.save(buffer, format="ICO", sizes=ICO_SIZES)
    return buffer.getvalue()
