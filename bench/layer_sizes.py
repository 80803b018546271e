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
    every_function = sum(sizes.values())
    groups = {f"{path.name} (its functions only)": _size(path) for path in sorted(LAYERS.iterdir())
              if path.is_dir() and path.name not in ("deps", "domain")}
    largest = every_function + max(groups.values(), default=0)
    rows = [(name, f"{size / 1024 / 1024:.2f}", f"{100 * size / LAMBDA_UNZIPPED_LIMIT:.1f}%")
            for name, size in [*sizes.items(), ("every function", every_function), *groups.items(),
                               ("largest function", largest)]]
    return Table("Layer sizes, unzipped (Lambda's limit: 250 MB for code and layers together)",
                 ("part", "MB", "of limit"), rows,
                 notes=("Built by layers/build.sh (make layers), with the bytecode of the Lambda's Python when this "
                        "machine has it; the deps layer is the runtime dependencies from uv.lock for the Lambda "
                        "platform, the domain layer is shared/atrium; every function carries both. A dependency "
                        "group of one function's (pyproject.toml) is a layer of its own, on that function only.",))
