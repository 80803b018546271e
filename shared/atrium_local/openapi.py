"""The committed OpenAPI document, generated from every router."""

import json

from atrium import manifest
from atrium.kernel.http.app import create_app


def render() -> str:
    return json.dumps(create_app(manifest.routes(), openapi=True).openapi(), indent=2, sort_keys=True) + "\n"
