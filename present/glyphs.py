"""The district map's label glyphs, served by the dashboard itself (static/glyphs/).

Plotly draws the district map with MapLibre, which draws text labels from signed-distance-field
glyphs fetched by URL; plotly's own map styles fetch them from fonts.openmaptiles.org. So that
no page fetches anything from another host, `present.maps` gives MapLibre a style whose glyphs
come from the dashboard (Streamlit's static file serving), and this module makes that file
from a font Debian installs: Liberation Sans (SIL Open Font License 1.1, the package
fonts-liberation), rendered once and committed (`python -m present.glyphs`).

MapLibre asks for glyphs by font name and a range of 256 code points; plotly only lets a map
label use a font of its own list, and asks for "Open Sans Regular", so the file is stored
under that name. Only the first range (Basic Latin and Latin-1: every character of the
district labels) is made; a character outside it is left out of a label, never fetched.

The file format is MapLibre's (and Mapbox's) glyph protocol buffer: per glyph a bitmap of
signed distances (a 3-pixel border, 8-pixel radius, the edge at 192 of 255) at 24 px, with
its size, offsets and advance, written here with a few lines of protobuf encoding."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np

from config import PROJECT_ROOT

FONT_FILE = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
FONT_STACK = "Open Sans Regular"  # the name plotly asks MapLibre for (see the docstring)
GLYPH_DIR = PROJECT_ROOT / "static" / "glyphs"
GLYPH_URL = "app/static/glyphs/{fontstack}/{range}.pbf"  # relative: works under a base path
FIRST_RANGE = range(32, 256)  # Basic Latin and Latin-1 after the C0 controls
SIZE = 24  # pixels: MapLibre's glyph size
BORDER = 3  # pixels of distance field around each glyph
RADIUS = 8.0  # pixels of distance the field covers
CUTOFF = 0.25  # where the edge sits in the field (value 192 of 255)
OVERSAMPLE = 4  # the glyph is rendered this much larger, for smooth distances


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, value: int | bytes, *, signed: bool = False) -> bytes:
    """One protobuf field: a varint (zig-zag when `signed`) or a length-delimited value."""
    if isinstance(value, bytes):
        return _varint(number << 3 | 2) + _varint(len(value)) + value
    if signed:
        value = (value << 1) ^ (value >> 31)
    return _varint(number << 3) + _varint(value)


def _distance_field(font, char: str, box: tuple[int, int, int, int]) -> bytes:
    """The glyph's signed distances, (width + 2 border) x (height + 2 border) bytes."""
    from PIL import Image, ImageDraw
    from scipy.ndimage import distance_transform_edt

    left, top, right, bottom = box  # pixels, from the pen position on the baseline
    width, height = right - left + 2 * BORDER, bottom - top + 2 * BORDER
    image = Image.new("L", (width * OVERSAMPLE, height * OVERSAMPLE), 0)
    origin = ((BORDER - left) * OVERSAMPLE, (BORDER - top) * OVERSAMPLE)
    ImageDraw.Draw(image).text(origin, char, font=font, fill=255, anchor="ls")
    inside = np.asarray(image) >= 128
    distance = distance_transform_edt(~inside) - distance_transform_edt(inside)
    # sample at each output pixel's centre, in output pixels
    centre = OVERSAMPLE // 2
    sampled = distance[centre::OVERSAMPLE, centre::OVERSAMPLE][:height, :width] / OVERSAMPLE
    values = 255 - 255 * (sampled / RADIUS + CUTOFF)
    return np.clip(np.round(values), 0, 255).astype(np.uint8).tobytes()


def _glyph(small, large, char: str, ascender: int) -> bytes:
    left, top, right, bottom = small.getbbox(char, anchor="ls")
    advance = round(small.getlength(char))
    fields = [_field(1, ord(char))]
    if right > left and bottom > top:
        fields.append(_field(2, _distance_field(large, char, (left, top, right, bottom))))
    else:  # a space: no bitmap, only an advance
        left = top = right = bottom = 0
    fields += [
        _field(3, right - left),
        _field(4, bottom - top),
        _field(5, left, signed=True),
        _field(6, -top - ascender, signed=True),  # from the line's top, as fontnik writes it
        _field(7, advance),
    ]
    return b"".join(fields)


def glyph_range(codes: range = FIRST_RANGE) -> bytes:
    """The protocol buffer of one range of glyphs of FONT_FILE, named FONT_STACK."""
    from PIL import ImageFont

    small = ImageFont.truetype(str(FONT_FILE), SIZE)
    large = ImageFont.truetype(str(FONT_FILE), SIZE * OVERSAMPLE)
    ascender = small.getmetrics()[0]
    start = codes.start - codes.start % 256
    stack = _field(1, FONT_STACK.encode()) + _field(2, f"{start}-{start + 255}".encode())
    for code in codes:
        if unicodedata.category(chr(code)) != "Cc":  # controls (DEL, C1) have no glyph
            stack += _field(3, _glyph(small, large, chr(code), ascender))
    return _field(1, stack)


def range_file(start: int = 0) -> Path:
    return GLYPH_DIR / FONT_STACK / f"{start}-{start + 255}.pbf"


def main() -> None:
    path = range_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(glyph_range())
    print(f"Wrote {path.relative_to(PROJECT_ROOT)} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
