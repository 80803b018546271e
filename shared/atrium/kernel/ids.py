"""Prefixed, sortable identifiers: ``<prefix>_<26-char ULID>``.

ULIDs sort by creation time, so ids double as sort keys for "newest first" lists.
"""

import os
import re
import time
from datetime import datetime

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIXES = frozenset({"ten", "usr", "mem", "evt", "aud", "ses", "key", "req", "inv", "tok", "opr", "job", "ihk", "ep",
                      "msg", "att", "prf", "dec", "upl", "cmt", "tpl", "gal", "cus", "sit", "dst", "asm", "crt", "gau",
                      "rpt", "sbm", "wo", "invc", "pmt", "bkp", "era", "plg", "dev", "dky", "lst"})
_ID_PATTERN = re.compile(r"^(?P<prefix>[a-z]{2,5})_[0-9A-HJKMNP-TV-Z]{26}$")


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def ulid(now_ms: int | None = None) -> str:
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    return _encode(ms, 10) + _encode(int.from_bytes(os.urandom(10), "big"), 16)


def new_id(prefix: str) -> str:
    if prefix not in PREFIXES:
        raise ValueError(f"unknown id prefix {prefix!r}")
    return f"{prefix}_{ulid()}"


def first_id_at(prefix: str, at: datetime) -> str:
    """The least id of ``prefix`` made at ``at`` or later: every id made before it sorts below."""
    return f"{prefix}_{_encode(int(at.timestamp() * 1000), 10)}{_ALPHABET[0] * 16}"


def is_valid_id(value: str, prefix: str) -> bool:
    match = _ID_PATTERN.match(value)
    return bool(match) and match.group("prefix") == prefix  # type: ignore[union-attr]
