"""Just enough of PNG (RFC 2083) to tell a blank screenshot from a drawn one, with the standard library only."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}
"""Samples per pixel of each colour type (greyscale, RGB, greyscale + alpha, RGBA); palettes are not needed."""


@dataclass(frozen=True)
class Png:
    width: int
    height: int
    channels: int
    data: bytes
    """The concatenated IDAT chunks: the zlib stream of filtered scanlines."""

    def rows(self) -> Iterator[bytes]:
        """The unfiltered scanlines, top to bottom, decompressed as they are needed."""
        stride = self.width * self.channels
        stream = zlib.decompressobj()
        pending = b""
        chunks = (self.data[i : i + 65536] for i in range(0, len(self.data), 65536))
        previous = bytearray(stride)
        for _ in range(self.height):
            while len(pending) < stride + 1:
                chunk = next(chunks, None)
                if chunk is None:
                    raise ValueError("the PNG's image data ends early")
                pending += stream.decompress(chunk)
            kind, line = pending[0], bytearray(pending[1 : stride + 1])
            pending = pending[stride + 1 :]
            _unfilter(kind, line, previous, self.channels)
            yield bytes(line)
            previous = line


def read_png(path: Path) -> Png:
    """An 8-bit, non-interlaced PNG's header and image data."""
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a PNG")
    pos = len(SIGNATURE)
    header = b""
    idat = []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or color not in CHANNELS or interlace != 0:
        raise ValueError(f"{path}: bit depth {depth}, colour type {color}, interlace {interlace} are not supported")
    return Png(width, height, CHANNELS[color], b"".join(idat))


def _unfilter(kind: int, line: bytearray, prior: bytearray, bpp: int) -> None:
    n = len(line)
    if kind == 0:
        return
    if kind == 1:
        for i in range(bpp, n):
            line[i] = (line[i] + line[i - bpp]) & 0xFF
    elif kind == 2:
        for i in range(n):
            line[i] = (line[i] + prior[i]) & 0xFF
    elif kind == 3:
        for i in range(n):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prior[i]) >> 1)) & 0xFF
    elif kind == 4:
        for i in range(n):
            a = line[i - bpp] if i >= bpp else 0
            b = prior[i]
            c = prior[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
            line[i] = (line[i] + predictor) & 0xFF
    else:
        raise ValueError(f"unknown PNG filter {kind}")


def distinct_colours(image: Png, enough: int | None = None) -> int:
    """How many different pixel values the image holds; stops counting once `enough` are seen."""
    seen: set[bytes] = set()
    step = image.channels
    for line in image.rows():
        seen.update(line[i : i + step] for i in range(0, len(line), step))
        if enough is not None and len(seen) >= enough:
            break
    return len(seen)
