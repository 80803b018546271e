#!/usr/bin/env bash
# Builds the Lambda layers into build/layers/ (no Docker):
#   deps   - the runtime dependencies from uv.lock, as wheels for the Lambda platform (every function)
#   domain - the atrium package (shared/atrium) but its testing.py modules (every function)
#   <group> - each single-function dependency group (pyproject.toml), for the functions that declare it
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/layers
# python3.12 Lambda runs on Amazon Linux 2023 (glibc 2.34)
platform=x86_64-manylinux_2_34
python_version=3.12
function_groups=(pdf plugins)

rm -rf "$out/deps" "$out/domain" "${function_groups[@]/#/$out/}" "$out"/requirements*.txt
mkdir -p "$out/domain/python"

# install_layer <name> <uv export selection...>
install_layer() {
  local name=$1
  shift
  mkdir -p "$out/$name/python"
  "${UV:-uv}" export --frozen --no-emit-project --no-hashes --quiet "$@" -o "$out/requirements-$name.txt"
  "${UV:-uv}" pip install --quiet --target "$out/$name/python" --python-platform "$platform" \
    --python-version "$python_version" --only-binary :all: --no-deps -r "$out/requirements-$name.txt"
  find "$out/$name/python" -name '__pycache__' -prune -exec rm -rf {} +
}
install_layer deps --no-default-groups
for group in "${function_groups[@]}"; do
  install_layer "$group" --only-group "$group"
done

cp -r shared/atrium "$out/domain/python/atrium"
find "$out/domain/python" -name '__pycache__' -prune -exec rm -rf {} +
# Each context's testing.py (sample resources and requests for the tests and the bench) never runs in Lambda.
find "$out/domain/python" -name testing.py -delete
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
  "$lambda_python" -m compileall -q -j 0 --invalidation-mode unchecked-hash "$out"/*/python \
    >/dev/null || echo "layers: some modules did not compile (they load from source)" >&2
  echo "$lambda_python" > "$out/lambda-python"  # the bench runs the layers with it
  bytecode="with bytecode from $lambda_python"
else
  bytecode="without bytecode: no Python $python_version on this machine (set LAMBDA_PYTHON)"
fi
echo "layers ($bytecode): $(du -sh "$out"/*/ | awk '{sub(".*/layers/", "", $2); printf "%s%s %s", sep, $2, $1; sep=", "}')"
