"""A proof template, versioned, in the tenant's library and in the public gallery."""

from typing import Any

from atrium_local.demo.api import DemoError, Stack
from atrium_local.demo.people import Cast

NAME = "Demo Studio print poster"
TEMPLATES = "/v1/templates"


def template(stack: Stack, cast: Cast) -> dict[str, Any]:
    """The template, each step to the gallery taken unless already taken."""
    owner = cast.owner.session
    found = stack.find(TEMPLATES, owner, lambda item: item["name"] == NAME)
    if found is None:
        found = stack.json("POST", TEMPLATES, auth=owner, expect=(201,), key="template", json={
            "name": NAME, "description": "Posters for print campaigns", "tags": ["print", "demo"],
            "fields": [{"name": "size", "label": "Print size", "type": "text", "required": True},
                       {"name": "copies", "label": "Copies", "type": "number"}],
            "default_reviewers": [{"user_id": cast.reviewer.id}, {"user_id": cast.admin.id, "required": False}],
            "checklist": ["Bleed is 3 mm", "Colours are CMYK", "Fonts are embedded"]})
        stack.made(f"template {NAME}")
    path = f"{TEMPLATES}/{found['id']}"
    latest = found["latest_version"]
    if latest is None:
        latest = stack.json("POST", f"{path}/versions", auth=owner, expect=(201,), key="template-version")["version"]
        stack.made(f"template {NAME} version {latest}")
    if found["published_version"] is None:
        stack.call("POST", f"{path}/versions/{latest}/publish", auth=owner)
        stack.made(f"template {NAME} in the library")
    if found["gallery_listing_id"] is None:
        stack.call("POST", f"{path}/gallery", auth=owner, json={})
        stack.made(f"template {NAME} in the gallery")
    published: dict[str, Any] = stack.json("GET", path, auth=owner)
    if stack.find("/v1/gallery/templates", owner, lambda item: item["id"] == published["gallery_listing_id"],
                  q=NAME) is None:
        raise DemoError(f"the gallery does not list {NAME}")
    return published
