"""What every PDF the apps render shares: text a core font can show.

The core fonts (no font files to ship) encode Latin-1 only, while names, notes and titles are user input."""

_ENCODABLE = frozenset(chr(code) for code in range(0x20, 0x100) if not 0x7F <= code <= 0x9F)
_REPLACEMENT = "?"


def latin1_safe(text: str) -> str:
    """``text`` with every character a core font cannot show (and every control but newline) as "?"."""
    return "".join(char if char in _ENCODABLE or char == "\n" else _REPLACEMENT for char in text)
