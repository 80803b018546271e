"""How every function is sized, as plain values (no CDK import) so the bench's cost model
reads the same numbers the stack deploys."""

MEMORY_MB = 512
PYTHON_VERSION = "3.12"  # the Lambda runtime; layers/build.sh builds the layers and their bytecode for it
ARCHITECTURE = "x86_64"  # the deps layer is built for manylinux x86_64 (layers/build.sh)
# ARCHITECTURE §7: a revoked credential stops working within 60 s: this cache in API Gateway
# plus the authorizer's own cache of live access (ATRIUM_ACCESS_CACHE_SECONDS, 30 s).
AUTHORIZER_CACHE_TTL_SECONDS = 30
