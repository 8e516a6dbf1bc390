"""The series cover for the portal and podcast apps: square, 1400-3000 px.

Apple Podcasts needs a square JPEG or PNG of 1400 to 3000 pixels.  A configured
cover ([production] cover) is checked and refused outside that; without one, the
generated cover is drawn at 3000 px (kept in the cache: it takes seconds).
"""
from __future__ import annotations

import hashlib
import struct

from ..config import Production
from ..errors import UserError
from ..fsio import write_bytes
from ..i18n import _l

MIN_PX, MAX_PX, GENERATED_PX = 1400, 3000, 3000


def image_size(data: bytes) -> tuple[str, int, int] | None:
    """(kind, width, height) of a PNG or JPEG, read from its header; else None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    frame = _jpeg_frame(data)
    return ("jpg", frame[0], frame[1]) if frame else None


def _jpeg_frame(data: bytes) -> tuple[int, int, int] | None:
    """(width, height, colour components) from a JPEG's frame header; else None."""
    if data[:2] != b"\xff\xd8":
        return None
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            index += 2
            continue
        (length,) = struct.unpack(">H", data[index + 2:index + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):   # a frame header
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height, data[index + 9]
        index += 2 + length
    return None


def series_cover(production: Production) -> tuple[str, bytes]:
    """(file name in the site, bytes) of the cover; a bad configured one is refused."""
    configured = production.settings.production.cover
    if configured:
        return _configured(production, configured)
    from ..targets.cover import generated_cover

    title = production.settings.production.title
    key = hashlib.sha256(f"cover:{GENERATED_PX}:{title}".encode()).hexdigest()[:16]
    cached = production.cache_dir / "web" / f"cover-{key}.png"
    try:
        return "cover.png", cached.read_bytes()
    except OSError:
        data = generated_cover(title, GENERATED_PX)
        write_bytes(cached, data)
        return "cover.png", data


def _configured(production: Production, configured: str) -> tuple[str, bytes]:
    path = production.root / configured
    try:
        data = path.read_bytes()
    except OSError:
        raise UserError(_l("the cover {path} cannot be read", path=configured),
                        path="radio.toml", hint=_l("check [production] cover")) from None
    found = image_size(data)
    if found is None:
        raise UserError(_l("the cover {path} is not a PNG or JPEG picture", path=configured),
                        path="radio.toml",
                        hint=_l("podcast apps need a square PNG or JPEG of 1400 to 3000 pixels"))
    kind, width, height = found
    if width != height or not MIN_PX <= width <= MAX_PX:
        raise UserError(_l("the cover {path} is {width}x{height} pixels; podcast apps need a "
                           "square picture of 1400 to 3000 pixels",
                           path=configured, width=width, height=height),
                        path="radio.toml",
                        hint=_l("resize it (e.g. to 3000x3000), or remove [production] cover "
                                "to use the generated one"))
    frame = _jpeg_frame(data) if kind == "jpg" else None
    if frame and frame[2] == 4:   # CMYK, as made for print: Apple Podcasts takes RGB only
        raise UserError(_l("the cover {path} is a CMYK picture (made for print); podcast apps "
                           "need an RGB one", path=configured),
                        path="radio.toml",
                        hint=_l("export it again as an RGB (sRGB) JPEG or PNG"))
    return f"cover.{kind}", data
