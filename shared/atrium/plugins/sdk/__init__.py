"""The plugin SDKs, shipped with the domain code so the API serves them (``GET /v1/plugins/sdk``,
``GET /v1/developer/sdk``): each language's guest library and example plugin, as source."""

from pathlib import Path

from atrium.plugins.schemas import SdkFile, SdkOut

HERE = Path(__file__).parent
LANGUAGES = ("assemblyscript",)
ABI_DOC = "docs/plugins.md#the-abi"


def sdk(language: str) -> SdkOut:
    root = HERE / language
    files = sorted(path for path in root.rglob("*") if path.is_file() and path.suffix in {".ts", ".md", ".json"})
    return SdkOut(language=language, abi=ABI_DOC, build=(
        "npm install assemblyscript@0.28.20, then: asc assembly/index.ts --runtime stub --use abort= -O3 "
        "--outFile plugin.wasm"),
        files=[SdkFile(path=str(path.relative_to(root)), content=path.read_text()) for path in files])
