"""Code as Lambda loads it, and symlink mirrors of it with no bytecode at all.

Lambda's code and layers are read-only, so a cold start there compiles each module it imports that ships no
.pyc for the runtime's Python (layers/build.sh compiles them when it finds that Python). A mirror holds
symlinks to everything but bytecode: Python looks for a .pyc beside the path it imports from, finds none, and
with PYTHONDONTWRITEBYTECODE writes none.
"""

import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path, PurePath

from bench.spawn import REPO
from bench.subjects import Runtime

LAYER_REQUIREMENTS = REPO / "build" / "layers" / "requirements-deps.txt"
LAMBDA_PYTHON = REPO / "build" / "layers" / "lambda-python"


def _is_bytecode(path: PurePath) -> bool:
    return path.suffix == ".pyc" or "__pycache__" in path.parts


def _link_all(files: Iterable[tuple[PurePath, Path]], root: Path) -> None:
    """``(path in the mirror, source)`` pairs; bytecode stays out."""
    for relative, source in files:
        target = root / relative
        if _is_bytecode(relative) or target.exists():  # namespace packages: distributions may share a file
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(source.resolve())


@contextmanager
def domain_code() -> Iterator[Path]:
    """``atrium`` and the function entries, as the domain layer and the function code ship them (with the contexts'
    ``testing.py`` too, which the AWS-calls section sets its requests up with; no function imports them).

    Mirrored even though the repo's sources have no bytecode of their own: a ``__pycache__`` left by any
    process run without PYTHONDONTWRITEBYTECODE would otherwise quietly speed the route functions up.
    """
    shared = REPO / "shared"
    package = [path for path in (shared / "atrium").rglob("*") if path.is_file()]
    files = [(PurePath(path.relative_to(shared)), path) for path in package]
    files += [(PurePath(path.name), path) for path in (REPO / "functions").glob("*.py")]
    with tempfile.TemporaryDirectory(prefix="atrium-bench-code-") as directory:
        _link_all(files, Path(directory))
        yield Path(directory)


def layer_distributions(requirements: Path) -> list[str]:
    """Names from the pip requirements file the layer was installed from (``name==version ; marker``)."""
    lines = requirements.read_text().splitlines()
    return [re.split(r"[=<>!~;\[ ]", line, maxsplit=1)[0] for line in lines if line[:1].isalnum()]


def _distribution_files(name: str) -> list[tuple[PurePath, Path]]:
    distribution = metadata.distribution(name)
    # Files installed outside site-packages (scripts in bin/) are not part of a layer.
    return [(PurePath(file), Path(str(file.locate()))) for file in distribution.files or ()
            if ".." not in file.parts and not file.is_absolute()]


@contextmanager
def layer_runtimes() -> Iterator[list[Runtime]]:
    """The runtimes that load the dependencies as a Lambda layer does (python -S: nothing from the venv).

    With the Lambda's Python on this machine (layers/build.sh names it in build/layers/lambda-python), the
    layers as built, with their bytecode, and the same layers without it. Otherwise the deps layer's
    distributions from the venv without bytecode, run by this Python. None when the layers are not built.
    """
    if not LAYER_REQUIREMENTS.exists():
        yield []
        return
    layers = LAYER_REQUIREMENTS.parent
    with tempfile.TemporaryDirectory(prefix="atrium-bench-layer-") as directory:
        if LAMBDA_PYTHON.exists():
            python = LAMBDA_PYTHON.read_text().strip()
            built = tuple(str(layers / part / "python") for part in ("deps", "domain"))
            stripped = []
            for part in built:
                root = Path(directory) / Path(part).parent.name
                _link_all(((PurePath(path.relative_to(part)), path) for path in Path(part).rglob("*")
                           if path.is_file()), root)
                stripped.append(str(root))
            version = Path(python).name
            yield [Runtime(f"layers as built, .pyc ({version})", ("-S",), built, python),
                   Runtime(f"layers, no .pyc ({version})", ("-S",), tuple(stripped), python)]
            return
        for name in layer_distributions(LAYER_REQUIREMENTS):
            _link_all(_distribution_files(name), Path(directory))
        yield [Runtime("layer (no .pyc)", python_flags=("-S",), path=(directory,))]
