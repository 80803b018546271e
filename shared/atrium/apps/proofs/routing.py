"""What the proofs app's routers share: its paths and the answers every feature documents."""

PROOFS_PATH = "/v1/proofs"
PROOF_PATH = "/v1/proofs/{proof_id}"
TEMPLATES_PATH = "/v1/templates"
TEMPLATE_PATH = "/v1/templates/{template_id}"
NOT_FOUND = {404: {"description": "Not found in the caller's tenant"}}
NOT_MEMBER = {422: {"description": "An owner or reviewer who is not an active member of the tenant"}}
TEMPLATE_NOT_FOUND = {404: {"description": "No such template (or version) in the caller's tenant"}}
NO_LIBRARY_VERSION = {409: {"description": "No version named and none published to the library"}}
