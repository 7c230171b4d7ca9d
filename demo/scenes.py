"""Flat illustrations of a practice for the demo content, drawn with Pillow from shapes
written here (never downloaded or copied): a treatment room, a first conversation, a
stretch at a desk, a walk, a calendar, a tray of supplies, the path of a signal.

One style for all of them: a pale wall and a floor line, flat shapes without outlines in
a palette's colours (demo/artwork.py), people as rounded figures with skin and
hair in a few tones. Drawn twice as large and scaled down, since Pillow draws without
smoothing. Each scene's alt text says what is in it.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from .artwork import PALETTES, _shade

SIZE = (1600, 900)
SCALE = 2
SKIN = ["#8d5524", "#c68642", "#e0ac69", "#f1c27d", "#ffdbac"]
HAIR = ["#2b1b12", "#4a3121", "#1c1c1c", "#8a6a4a", "#b8b0a6"]

DESCRIPTIONS = {
    "treatment-room": "Illustration: a calm treatment room with a window; a patient lies on "
    "a padded couch while the practitioner stands beside them, a plant and a small supply "
    "trolley nearby",
    "first-visit": "Illustration: a practitioner with a clipboard and a patient sit facing "
    "each other in armchairs, talking, with two cups on a low table between them",
    "desk-stretch": "Illustration: a person at a desk with a raised computer screen stretches "
    "both arms above their head",
    "walking": "Illustration: a person walks briskly along a path between trees and low hills",
    "calendar": "Illustration: a wall calendar with a few days circled above a desk with a "
    "notebook, a payment card and a mug",
    "tray": "Illustration: a tray of treatment supplies: sealed packets of thin single-use "
    "needles, cotton pads, a glass cup and a small timer",
    "signal": "Illustration: a person seen from behind, with a dotted line running from a "
    "point on the lower back up the spine to the head",
}


class Canvas:
    """A picture drawn on a 160 x 90 grid, whatever its size in pixels."""

    def __init__(self, palette: str):
        self.colours = PALETTES[palette]
        width, height = SIZE[0] * SCALE, SIZE[1] * SCALE
        self.unit = width / 160
        self.image = Image.new("RGB", (width, height), self.colours.background)
        self.draw = ImageDraw.Draw(self.image)

    def xy(self, *points: float) -> list[float]:
        return [p * self.unit for p in points]

    def rect(self, x0, y0, x1, y1, fill, radius: float = 0) -> None:
        box = self.xy(x0, y0, x1, y1)
        if radius:
            self.draw.rounded_rectangle(box, radius=radius * self.unit, fill=fill)
        else:
            self.draw.rectangle(box, fill=fill)

    def oval(self, x0, y0, x1, y1, fill) -> None:
        self.draw.ellipse(self.xy(x0, y0, x1, y1), fill=fill)

    def line(self, points, fill, width: float) -> None:
        self.draw.line(
            [(x * self.unit, y * self.unit) for x, y in points],
            fill=fill,
            width=round(width * self.unit),
            joint="curve",
        )
        for x, y in (points[0], points[-1]):  # rounded ends, like a limb
            r = width / 2
            self.oval(x - r, y - r, x + r, y + r, fill)

    def polygon(self, points, fill) -> None:
        self.draw.polygon([(x * self.unit, y * self.unit) for x, y in points], fill=fill)

    def room(self, floor: float = 70) -> None:
        c = self.colours
        self.rect(0, floor, 160, 90, _shade(_hex(c.soft), 1.05))
        self.rect(0, floor - 1, 160, floor, _shade(_hex(c.soft), 0.85))

    def window(self, x0, y0, x1, y1) -> None:
        light = _shade(_hex(self.colours.background), 1.06)
        self.rect(x0 - 1, y0 - 1, x1 + 1, y1 + 1, _hex(self.colours.soft), 1)
        self.rect(x0, y0, x1, y1, light, 0.5)
        self.rect((x0 + x1) / 2 - 0.4, y0, (x0 + x1) / 2 + 0.4, y1, _hex(self.colours.soft))
        self.rect(x0, (y0 + y1) / 2 - 0.4, x1, (y0 + y1) / 2 + 0.4, _hex(self.colours.soft))

    def plant(self, x, floor) -> None:
        leaf = _shade(_hex(PALETTES["moss"].ink), 1.1)
        for dx, top in ((-4, floor - 20), (0, floor - 24), (4, floor - 19), (-2, floor - 15)):
            self.oval(x + dx - 3, top, x + dx + 3, top + 12, leaf)
        self.rect(x - 4, floor - 9, x + 4, floor, _hex(PALETTES["terracotta"].ink), 1)

    def head(self, x, y, r, skin, hair, *, long_hair=False, facing=0) -> None:
        if long_hair:  # falling behind the ears to the shoulders, on both sides
            self.rect(x - r * 1.2, y - r * 0.4, x - r * 0.55, y + r * 1.5, hair, r * 0.3)
            self.rect(x + r * 0.55, y - r * 0.4, x + r * 1.2, y + r * 1.5, hair, r * 0.3)
        self.oval(x - r * 0.9, y - r, x + r * 0.9, y + r * 1.05, skin)
        self.oval(x - r * 1.02 + facing, y - r * 1.2, x + r * 1.02 + facing, y - r * 0.05, hair)
        self.oval(x - r * 0.8 + facing * 1.5, y - r * 0.45, x + r * 0.8 + facing * 1.5, y + r, skin)

    def picture(self) -> bytes:
        image = self.image.resize(SIZE, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=84, optimize=True, progressive=True)
        return buffer.getvalue()


def _hex(rgb) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def _treatment_room(c: Canvas) -> None:
    ink, soft = _hex(c.colours.ink), _hex(c.colours.soft)
    c.room(72)
    c.window(18, 12, 52, 46)
    c.plant(12, 72)
    # The couch: a padded top on two legs, a face cradle at its end.
    c.rect(46, 50, 118, 56, _shade(ink, 1.25), 2)
    c.rect(50, 56, 53, 72, _shade(ink, 0.8))
    c.rect(110, 56, 113, 72, _shade(ink, 0.8))
    c.rect(118, 51, 126, 55, _shade(ink, 1.25), 2)
    # The patient, lying face down under a pale sheet, head in the cradle.
    c.oval(116, 42, 127, 52, HAIR[1])
    c.rect(62, 43, 118, 51, "#f4f1ea", 4)
    c.rect(56, 44, 68, 50, SKIN[3], 3)  # feet and calves
    c.rect(84, 42, 114, 47, SKIN[3], 3)  # shoulders and back, uncovered
    # The practitioner, standing behind the couch.
    c.rect(88, 26, 104, 62, _shade(soft, 0.7), 6)
    c.line([(90, 34), (92, 46)], SKIN[1], 3)
    c.line([(102, 34), (104, 45)], SKIN[1], 3)
    c.rect(90, 60, 94, 72, _shade(ink, 0.6))
    c.rect(98, 60, 102, 72, _shade(ink, 0.6))
    c.head(96, 18, 6, SKIN[1], HAIR[0], long_hair=True)
    # A trolley with a tray.
    c.rect(132, 48, 150, 50, _shade(ink, 0.9), 1)
    c.rect(133, 50, 135, 72, _shade(ink, 0.9))
    c.rect(147, 50, 149, 72, _shade(ink, 0.9))
    c.rect(132, 62, 150, 63.5, _shade(ink, 0.9))
    c.rect(135, 45, 147, 48, "#ffffff", 1)
    c.oval(137, 44, 141, 47, "#fafafa")


def _first_visit(c: Canvas) -> None:
    ink, soft = _hex(c.colours.ink), _hex(c.colours.soft)
    c.room(70)
    c.window(62, 10, 98, 40)
    c.plant(150, 70)
    for x, flip in ((22, 1), (138, -1)):  # two armchairs facing each other
        c.rect(x - 14, 46, x + 14, 64, _shade(ink, 1.3), 4)
        c.rect(x - 14 * flip - 3, 30, x - 14 * flip + 3, 62, _shade(ink, 1.15), 3)
        c.rect(x - 12, 64, x - 10, 70, _shade(ink, 0.7))
        c.rect(x + 10, 64, x + 12, 70, _shade(ink, 0.7))
    # The patient on the left, leaning in a little.
    c.rect(18, 30, 34, 54, "#d97a4a", 6)
    c.line([(28, 52), (44, 52), (46, 68)], "#3e4a5c", 5)
    c.line([(30, 36), (40, 46)], SKIN[4], 3)
    c.head(27, 23, 6, SKIN[4], HAIR[3], facing=1)
    # The practitioner on the right, a clipboard on the knee.
    c.rect(126, 30, 142, 54, _shade(soft, 0.7), 6)
    c.line([(132, 52), (116, 52), (114, 68)], _shade(ink, 0.6), 5)
    c.rect(112, 40, 122, 52, "#fbf7ee", 1)
    c.rect(115, 39, 119, 41, _shade(ink, 0.6), 0.5)
    c.line([(130, 36), (120, 46)], SKIN[0], 3)
    c.head(133, 23, 6, SKIN[0], HAIR[2], facing=-1)
    # A low table with two cups.
    c.rect(68, 58, 92, 60, _shade(ink, 0.8), 1)
    c.rect(70, 60, 72, 70, _shade(ink, 0.8))
    c.rect(88, 60, 90, 70, _shade(ink, 0.8))
    c.rect(73, 53, 77, 58, "#ffffff", 1)
    c.rect(83, 53, 87, 58, "#ffffff", 1)


def _desk_stretch(c: Canvas) -> None:
    ink, soft = _hex(c.colours.ink), _hex(c.colours.soft)
    c.room(74)
    c.window(112, 10, 146, 42)
    c.plant(150, 74)
    # Desk, a screen raised to eye level on a stand, a keyboard.
    c.rect(30, 50, 110, 53, _shade(ink, 0.85), 1)
    c.rect(34, 53, 37, 74, _shade(ink, 0.7))
    c.rect(103, 53, 106, 74, _shade(ink, 0.7))
    c.rect(78, 44, 98, 50, _shade(soft, 0.7), 1)
    c.rect(74, 20, 102, 40, "#2d3440", 1.5)
    c.rect(75.5, 21.5, 100.5, 38.5, _shade(soft, 1.15), 1)
    c.rect(86, 40, 90, 44, "#2d3440")
    c.rect(54, 48, 72, 50, "#e9e6df", 0.5)
    # A chair and the person on it, arms stretched overhead.
    c.rect(36, 48, 54, 52, _shade(ink, 0.6), 2)
    c.rect(44, 52, 46, 70, _shade(ink, 0.6))
    c.rect(38, 70, 52, 72, _shade(ink, 0.6), 1)
    c.rect(30, 26, 36, 50, _shade(ink, 0.6), 2)
    c.rect(38, 26, 52, 48, "#5b7fa8", 6)
    c.line([(48, 47), (60, 47), (60, 70)], "#394150", 5)
    c.line([(41, 30), (38, 14), (43, 6)], SKIN[2], 3)
    c.line([(49, 30), (52, 14), (47, 6)], SKIN[2], 3)
    c.head(45, 21, 5.5, SKIN[2], HAIR[1], long_hair=True)


def _walking(c: Canvas) -> None:
    ink, soft = _hex(c.colours.ink), _hex(c.colours.soft)
    c.oval(-20, 50, 80, 110, _shade(soft, 0.95))
    c.oval(60, 46, 190, 120, _shade(soft, 0.85))
    c.rect(0, 70, 160, 90, _shade(soft, 1.05))
    c.polygon([(60, 90), (100, 90), (84, 70), (78, 70)], "#e8e1d2")
    leaf = _hex(PALETTES["moss"].ink)
    for x, h in ((20, 34), (34, 26), (128, 36), (146, 28)):
        c.rect(x - 1.5, 70 - h * 0.5, x + 1.5, 72, "#6b4a2f")
        c.oval(x - h * 0.3, 70 - h, x + h * 0.3, 70 - h * 0.35, leaf)
    # A person mid-stride, arms swinging.
    c.line([(80, 50), (74, 66), (70, 74)], "#2f3a4d", 4.5)
    c.line([(80, 50), (88, 64), (94, 72)], "#2f3a4d", 4.5)
    c.rect(74, 28, 88, 52, ink, 6)
    c.line([(77, 33), (70, 44), (72, 50)], SKIN[0], 3)
    c.line([(86, 33), (92, 42), (96, 46)], SKIN[0], 3)
    c.head(81, 21, 5.5, SKIN[0], HAIR[2], facing=1)


def _calendar(c: Canvas) -> None:
    ink, soft = _hex(c.colours.ink), _hex(c.colours.soft)
    c.room(76)
    # A wall calendar: a month of days, three of them circled.
    c.rect(46, 6, 114, 50, "#ffffff", 2)
    c.rect(46, 6, 114, 14, ink, 2)
    c.rect(46, 11, 114, 14, ink)
    for row in range(5):
        for col in range(7):
            x, y = 50 + col * 9, 17 + row * 6.4
            c.rect(x, y, x + 6, y + 4, _shade(soft, 1.1), 0.5)
    for row, col in ((1, 1), (2, 1), (3, 3)):
        x, y = 50 + col * 9, 17 + row * 6.4
        c.oval(x - 1.2, y - 1.2, x + 7.2, y + 5.2, _hex(PALETTES["terracotta"].ink))
        c.oval(x - 0.2, y - 0.2, x + 6.2, y + 4.2, "#ffffff")
    # The desk: a notebook, a payment card, a mug and a pen.
    c.rect(20, 58, 140, 62, _shade(ink, 0.85), 1)
    c.rect(24, 62, 27, 76, _shade(ink, 0.7))
    c.rect(133, 62, 136, 76, _shade(ink, 0.7))
    c.rect(40, 52, 66, 58, "#fbf7ee", 1)
    c.rect(52, 52, 53, 58, _shade(soft, 0.7))
    c.rect(76, 53, 92, 58, _hex(PALETTES["blue"].ink), 1)
    c.rect(76, 54.5, 92, 55.5, "#d8b24a")
    c.rect(104, 48, 112, 58, "#ffffff", 1.5)
    c.oval(110, 50, 116, 56, _shade(soft, 0.7))
    c.oval(111.5, 51.5, 114.5, 54.5, _hex(c.colours.background))
    c.line([(120, 57), (130, 55)], "#2d3440", 1)
    c.plant(150, 76)


def _tray(c: Canvas) -> None:
    ink, soft = _hex(c.colours.ink), _hex(c.colours.soft)
    c.rect(0, 0, 160, 90, _shade(soft, 1.1))
    c.rect(22, 16, 138, 76, "#ffffff", 6)
    c.rect(26, 20, 134, 72, _shade(soft, 1.2), 5)
    # Sealed packets of needles: paper strips with a fine line each.
    for i in range(5):
        x = 34 + i * 9
        c.rect(x, 26, x + 6, 62, "#fbfbf8", 1)
        c.rect(x + 2.7, 30, x + 3.3, 58, "#9aa3a8")
        c.rect(x + 2, 28, x + 4, 33, _shade(ink, 1.1), 0.5)
    # Cotton pads, a glass cup and a small timer.
    for x, y in ((90, 56), (98, 60), (94, 50)):
        c.oval(x - 4, y - 3, x + 4, y + 3, "#ffffff")
        c.oval(x - 3.5, y - 2.5, x + 3.5, y + 2.5, "#f3f3f0")
    c.oval(100, 26, 122, 46, _shade(soft, 0.9))
    c.oval(103, 29, 119, 43, _shade(soft, 1.15))
    c.oval(106, 31, 111, 35, "#ffffff")
    c.oval(112, 54, 126, 68, ink)
    c.oval(114, 56, 124, 66, "#ffffff")
    c.line([(119, 61), (119, 58)], ink, 0.8)
    c.line([(119, 61), (121.5, 61)], ink, 0.8)


def _signal(c: Canvas) -> None:
    ink, soft = _hex(c.colours.ink), _hex(c.colours.soft)
    c.oval(30, 8, 130, 108, _shade(soft, 1.08))
    # A person from behind: shoulders, back and head.
    c.rect(52, 36, 108, 96, SKIN[2], 18)
    c.oval(70, 10, 90, 34, SKIN[2])
    c.oval(69, 8, 91, 26, HAIR[0])
    c.rect(76, 30, 84, 40, _shade(SKIN[2], 0.92))
    # The spine, a dotted path up from a point low on the back, and the point itself.
    for i in range(11):
        y = 44 + i * 4
        c.oval(78.8, y, 81.2, y + 2, _shade(SKIN[2], 0.85))
    for i in range(18):
        y = 78 - i * 3.6
        c.oval(86 - 1, y - 1, 86 + 1, y + 1, ink)
    c.oval(84, 78, 92, 86, ink)
    c.oval(86, 80, 90, 84, "#ffffff")
    c.oval(76, 12, 90, 22, _shade(ink, 1.4))


SCENES = {
    "treatment-room": _treatment_room,
    "first-visit": _first_visit,
    "desk-stretch": _desk_stretch,
    "walking": _walking,
    "calendar": _calendar,
    "tray": _tray,
    "signal": _signal,
}


def describe_scene(scene: str) -> str:
    return DESCRIPTIONS[scene]


def draw_scene(scene: str, palette: str) -> bytes:
    canvas = Canvas(palette)
    SCENES[scene](canvas)
    return canvas.picture()
