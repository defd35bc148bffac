"""The district map's label glyphs come from the dashboard, not from another host: the map's
style points at the committed glyph file, which holds every character a label can show."""

from __future__ import annotations

import pandas as pd
import pytest

from config import PROJECT_ROOT, get_catalogue
from present import glyphs, maps


def _fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """The top-level fields of a protocol buffer message: (number, varint or bytes)."""
    found, at = [], 0
    while at < len(data):
        key, at = _varint(data, at)
        if key & 7 == 2:
            size, at = _varint(data, at)
            found.append((key >> 3, data[at : at + size]))
            at += size
        else:
            value, at = _varint(data, at)
            found.append((key >> 3, value))
    return found


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        value, shift, at = value | (byte & 0x7F) << shift, shift + 7, at + 1
        if not byte & 0x80:
            return value, at


@pytest.fixture(scope="module")
def stored() -> dict[int, dict[int, int | bytes]]:
    """The committed range file, read back: code point -> its glyph's fields."""
    ((number, stack),) = _fields(glyphs.range_file().read_bytes())
    assert number == 1
    fields = _fields(stack)
    assert fields[:2] == [(1, glyphs.FONT_STACK.encode()), (2, b"0-255")]
    return {g[1]: g for g in (dict(_fields(body)) for n, body in fields[2:] if n == 3)}


def test_every_character_of_a_district_label_has_a_glyph(stored):
    names = [d.name for d in get_catalogue().geography.district]
    wanted = set("".join(names)) | set("0123456789.,%£ -")  # names and figures
    assert sorted(c for c in wanted if ord(c) not in stored) == []
    for code, glyph in stored.items():
        width, height = glyph[3], glyph[4]
        bitmap = glyph.get(2, b"")
        assert len(bitmap) == ((width + 6) * (height + 6) if width else 0), chr(code)
    assert all(stored[ord(c)][7] > 0 for c in wanted)  # each moves the pen on


def test_the_map_asks_the_dashboard_for_its_glyphs():
    frame = pd.DataFrame(
        {"area": ["Burnley"], "ons_code": ["E07000117"], "label": ["Burnley<br>1.0"],
         "centre": [(53.79, -2.24)], "rate": [1.0]}
    )  # fmt: skip
    boundaries = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"code": "E07000117"}, "geometry": {
            "type": "Polygon", "coordinates": [[[-2.3, 53.7], [-2.2, 53.7], [-2.2, 53.8],
                                                [-2.3, 53.7]]]}}],
    }  # fmt: skip
    figure = maps.district_map(frame, "rate", "t", boundaries, {}, (53.8, -2.3), 8)
    style = figure.layout.map.style
    assert style["glyphs"] == "app/static/glyphs/{fontstack}/{range}.pbf"
    served = PROJECT_ROOT / style["glyphs"].removeprefix("app/").format(
        fontstack=glyphs.FONT_STACK, range="0-255"
    )
    assert served == glyphs.range_file() and served.exists()
    assert not [s for s in style.get("sources", {}).values() if "url" in s or "tiles" in s]
