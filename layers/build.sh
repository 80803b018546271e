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
# Lambda cannot write bytecode into a layer, so a layer without it compiles every module a cold start imports
# (docs/benchmarks.md measures the cost). Only the runtime's own Python can compile it: LAMBDA_PYTHON, else a
# python3.12 on PATH or under pyenv. unchecked-hash .pyc stay valid whatever mtimes the asset zip gives.
lambda_python=""
for candidate in "${LAMBDA_PYTHON:-}" "python$python_version" "$(pyenv root 2>/dev/null)"/versions/"$python_version".*/bin/python"$python_version"; do
  if [ -n "$candidate" ] && "$candidate" -c "import sys; assert '%d.%d' % sys.version_info[:2] == '$python_version'" 2>/dev/null; then
    lambda_python=$(command -v "$candidate")
    break
  fi
done
rm -f "$out/lambda-python"
if [ -n "$lambda_python" ]; then
  "$lambda_python" -m compileall -q -j 0 --invalidation-mode unchecked-hash "$out/deps/python" "$out/domain/python" \
    >/dev/null || echo "layers: some modules did not compile (they load from source)" >&2
  echo "$lambda_python" > "$out/lambda-python"  # the bench runs the layers with it
  bytecode="with bytecode from $lambda_python"
else
  bytecode="without bytecode: no Python $python_version on this machine (set LAMBDA_PYTHON)"
fi
echo "layers ($bytecode): deps $(du -sh "$out/deps" | cut -f1), domain $(du -sh "$out/domain" | cut -f1)"
