"""Lambda layer sizes, unzipped, against Lambda's limit (function code and all its layers together)."""

from pathlib import Path

from bench.report import Table
from bench.spawn import REPO

LAYERS = REPO / "build" / "layers"
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def table() -> Table:
    sizes = {name: _size(LAYERS / name) for name in ("deps", "domain")}
    sizes["functions (code asset)"] = _size(REPO / "functions")
    total = sum(sizes.values())
    rows = [(name, f"{size / 1024 / 1024:.2f}", f"{100 * size / LAMBDA_UNZIPPED_LIMIT:.1f}%")
            for name, size in [*sizes.items(), ("total", total)]]
    return Table("Layer sizes, unzipped (Lambda's limit: 250 MB for code and layers together)",
                 ("part", "MB", "of limit"), rows,
                 notes=("Built by layers/build.sh (make layers); the deps layer is the runtime dependencies "
                        "from uv.lock for the Lambda platform, the domain layer is shared/atrium.",))
