"""Artwork for the demo's proof versions: small solid PNGs, a colour per name, so each version looks different."""

import hashlib
import struct
import zlib

SIZE = 64


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(name: str) -> bytes:
    colour = hashlib.sha256(name.encode()).digest()[:3]
    rows = b"".join(b"\x00" + colour * SIZE for _ in range(SIZE))  # filter type 0 (none) before each row
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")
