#!/usr/bin/env bash
# Builds the two Lambda layers into build/layers/ (no Docker):
#   deps   - the runtime dependencies from uv.lock, as wheels for the Lambda platform
#   domain - the atrium package (shared/atrium)
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/layers
# python3.12 Lambda runs on Amazon Linux 2023 (glibc 2.34)
platform=x86_64-manylinux_2_34
python_version=3.12

rm -rf "$out/deps" "$out/domain"
mkdir -p "$out/deps/python" "$out/domain/python"

"${UV:-uv}" export --frozen --no-default-groups --no-emit-project --no-hashes --quiet -o "$out/requirements.txt"
"${UV:-uv}" pip install --quiet --target "$out/deps/python" --python-platform "$platform" \
  --python-version "$python_version" --only-binary :all: --no-deps -r "$out/requirements.txt"
find "$out/deps/python" -name '__pycache__' -prune -exec rm -rf {} +

cp -r shared/atrium "$out/domain/python/atrium"
find "$out/domain/python" -name '__pycache__' -prune -exec rm -rf {} +
echo "layers: deps $(du -sh "$out/deps" | cut -f1), domain $(du -sh "$out/domain" | cut -f1)"
