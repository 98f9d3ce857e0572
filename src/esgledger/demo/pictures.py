"""Pictures for the demo's safety register: a site plan and rectification photos.

The demo group has no real drawings or photos, so these are drawn here, plainly as
illustrations: the plan lays out one block per plant area around the risk points of
``data/safety/register.yaml`` (so the points sit on their workshops), with roads, tanks
and a north arrow; a "photo" is a simple picture of the fault or its repair with the
hazard's key written on it. Drawn with Pillow, no text but ASCII (Pillow's own font), so
the bytes are the same on every machine and the demo's files are content-addressed once.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from PIL import Image, ImageDraw

PLAN_SIZE = (1200, 800)
GROUND, ROAD, BOUNDARY = "#eef0e6", "#c9c9c4", "#5b6b5b"
BLOCK_COLOURS = {"罐区": "#d9e4ef", "库": "#efe6d2", "配电": "#f2e2c8", "污水": "#d7ecdf"}
WORKSHOP = "#dcdde3"
PAD = 0.045  # around an area's points, as a share of the plan


def site_plan_png(points: Iterable[tuple[str, float, float]]) -> bytes:
    """A plan with one block per area around its points (``area, x, y``, fractions)."""
    width, height = PLAN_SIZE
    image = Image.new("RGB", PLAN_SIZE, GROUND)
    draw = ImageDraw.Draw(image)
    for y in (0.30, 0.66):  # east-west roads
        draw.rectangle([0, y * height - 9, width, y * height + 9], fill=ROAD)
    for x in (0.25, 0.58, 0.80):  # north-south roads
        draw.rectangle([x * width - 9, 0, x * width + 9, height], fill=ROAD)
    areas: dict[str, list[tuple[float, float]]] = {}
    for area, x, y in points:
        areas.setdefault(area, []).append((x, y))
    for area, spots in sorted(areas.items()):
        _block(draw, area, spots, width, height)
    draw.rectangle([6, 6, width - 7, height - 7], outline=BOUNDARY, width=6)
    _north_arrow(draw, width - 60, 70)
    draw.text((24, height - 34), "DEMO SITE PLAN (illustrative)", fill=BOUNDARY)
    return _png(image)


def _block(draw: ImageDraw.ImageDraw, area: str, spots: list[tuple[float, float]],
           width: int, height: int) -> None:  # fmt: skip
    xs, ys = [x for x, _ in spots], [y for _, y in spots]
    box = [
        max(0.02, min(xs) - PAD) * width,
        max(0.02, min(ys) - PAD) * height,
        min(0.98, max(xs) + PAD) * width,
        min(0.98, max(ys) + PAD) * height,
    ]
    colour = next((c for word, c in BLOCK_COLOURS.items() if word in area), WORKSHOP)
    draw.rectangle(box, fill=colour, outline="#7a7f8a", width=2)
    if "罐区" in area:  # two tanks inside the yard, along its longer side
        w, h = box[2] - box[0], box[3] - box[1]
        r = min(w, h) / 3
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        for step in (-1.2 * r, 1.2 * r):
            x, y = (cx + step, cy) if w >= h else (cx, cy + step)
            draw.ellipse([x - r, y - r, x + r, y + r], outline="#5d7a99", width=3)


def _north_arrow(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    draw.polygon([(x, y - 40), (x - 14, y), (x + 14, y)], fill=BOUNDARY)
    draw.text((x - 4, y + 6), "N", fill=BOUNDARY)


def hazard_photo_png(key: str, subject: str, stage: str) -> bytes:
    """A picture of a fault (``stage`` "before") or of its repair ("after"): ``subject``
    "pump_seal" (a leaking pump seal) or "crane_limit" (a crane's hoist limit switch)."""
    image = Image.new("RGB", (640, 480), "#d8d4cc")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 380, 640, 480], fill="#9a958c")  # floor
    _SUBJECTS[subject](draw, stage == "before")
    draw.rectangle([0, 0, 640, 36], fill="#222222")
    draw.text((12, 12), f"DEMO PHOTO {key} {stage.upper()} (illustrative)", fill="#ffffff")
    return _png(image)


def _pump_seal(draw: ImageDraw.ImageDraw, faulty: bool) -> None:
    draw.rectangle([170, 220, 470, 380], fill="#4f6d8f", outline="#2f3f52", width=4)  # pump
    draw.ellipse([250, 150, 390, 290], fill="#6d8aa8", outline="#2f3f52", width=4)  # casing
    draw.rectangle([470, 270, 600, 300], fill="#7f7f7f")  # outlet pipe
    if faulty:
        for n in range(5):  # drops under the seal and a puddle
            draw.ellipse([318, 300 + n * 16, 330, 312 + n * 16], fill="#c7b23a")
        draw.ellipse([240, 385, 420, 420], fill="#b9a437")
    else:
        draw.rectangle([300, 285, 350, 300], fill="#3c8d4e")  # new seal


def _crane_limit(draw: ImageDraw.ImageDraw, faulty: bool) -> None:
    draw.rectangle([40, 60, 600, 100], fill="#e0a526", outline="#5a4a1a", width=3)  # girder
    draw.rectangle([280, 100, 360, 150], fill="#6b6b6b")  # hoist
    draw.line([320, 150, 320, 300], fill="#333333", width=4)  # rope
    draw.arc([295, 290, 345, 340], 0, 270, fill="#333333", width=6)  # hook
    draw.rectangle([380, 105, 440, 160], fill="#3d5a80", outline="#1f2f45", width=3)  # switch
    if faulty:  # the lever broken off and hanging
        draw.line([410, 160, 450, 230], fill="#b03030", width=6)
    else:
        draw.line([410, 160, 410, 210], fill="#3c8d4e", width=6)
        draw.ellipse([400, 205, 420, 225], fill="#3c8d4e")


_SUBJECTS = {"pump_seal": _pump_seal, "crane_limit": _crane_limit}


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
