"""Known-bad patterns a plugin module is refused for, beyond its imports (``scan.py``): bytes that only a module
reaching for what is not its own would carry (the cloud metadata service's address, credential variable names,
system paths). Its imports already keep such a module from reaching them; the scan refuses the intent, with a
finding naming what was found and why."""

MARKERS: dict[bytes, str] = {
    b"169.254.169.254": "the cloud metadata service's address",
    b"fd00:ec2::254": "the cloud metadata service's address",
    b"AWS_SECRET_ACCESS_KEY": "the name of a credential variable",
    b"AWS_SESSION_TOKEN": "the name of a credential variable",
    b"/proc/self/": "a system path",
    b"/etc/passwd": "a system path",
}


def known_bad(body: bytes) -> list[str]:
    return [f"contains {marker.decode()!r} ({why})" for marker, why in MARKERS.items() if marker in body]
