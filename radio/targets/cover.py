"""A generated cover picture (PNG) for productions that have none of their own."""
from __future__ import annotations

import hashlib
import struct
import zlib

import numpy as np


def _png(rgb: np.ndarray) -> bytes:
    height, width, _ = rgb.shape
    raw = b"".join(b"\0" + rgb[y].tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + \
        chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def generated_cover(title: str, size: int = 500) -> bytes:
    """An orange sun over green hills, tinted by the title: the same title, the same PNG."""
    seed = int.from_bytes(hashlib.sha256(title.encode()).digest()[:2], "big")
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    sky = np.stack([0.98 - 0.2 * y, 0.75 - 0.3 * y, 0.35 + 0.2 * y], axis=-1)
    sun = ((x - 0.5) ** 2 + (y - 0.42) ** 2) < 0.05
    sky[sun] = [0.96, 0.52, 0.1]
    hills = y > 0.68 + 0.06 * np.sin(x * 9 + seed % 7)
    sky[hills] = np.stack([0.2 + 0 * y, 0.45 + 0.2 * (1 - y), 0.2 + 0 * y], axis=-1)[hills]
    return _png((np.clip(sky, 0, 1) * 255).astype(np.uint8))
