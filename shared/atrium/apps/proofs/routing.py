"""What the proofs app's routers share: the proof's path, grants and the answers every feature documents."""

from atrium.kernel.grants import Grant

PROOFS_PATH = "/v1/proofs"
PROOF_PATH = "/v1/proofs/{proof_id}"
TEMPLATES_PATH = "/v1/templates"
TEMPLATE_PATH = "/v1/templates/{template_id}"
READ = {Grant.TABLE_READ}
WRITE = {Grant.TABLE_READ, Grant.TABLE_WRITE}
ETAG = {"ETag": {"description": "The version to send in If-Match", "schema": {"type": "string"}}}
LOCATION = {"Location": {"description": "The new resource", "schema": {"type": "string"}}}
NOT_FOUND = {404: {"description": "Not found in the caller's tenant"}}
NOT_MEMBER = {422: {"description": "An owner or reviewer who is not an active member of the tenant"}}
TEMPLATE_NOT_FOUND = {404: {"description": "No such template (or version) in the caller's tenant"}}
NO_LIBRARY_VERSION = {409: {"description": "No version named and none published to the library"}}
