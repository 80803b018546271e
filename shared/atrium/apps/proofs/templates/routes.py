"""Templates routes: versioned proof templates, the tenant library, and proofs made from a template."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response

from atrium.apps.proofs.proofs.schemas import ProofOut
from atrium.apps.proofs.routing import (
    NO_LIBRARY_VERSION,
    PROOFS_PATH,
    TEMPLATE_NOT_FOUND,
    TEMPLATE_PATH,
    TEMPLATES_PATH,
)
from atrium.apps.proofs.templates.schemas import (
    ProofFromTemplate,
    TemplateCreate,
    TemplateList,
    TemplateOut,
    TemplateUpdate,
    TemplateVersionList,
    TemplateVersionOut,
)
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, LOCATION_HEADER, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.proofs.templates import from_template, store
    from atrium.apps.proofs.templates import service as templates
else:
    from_template, store, templates = lazy_modules("atrium.apps.proofs.templates", "from_template", "store", "service")

router = ContextRouter("proofs")


@router.post(TEMPLATES_PATH, name="create_template", permission="templates:create", status_code=201,
             idempotent=True, grants=WRITE, responses={201: {"headers": LOCATION_HEADER | ETAG_HEADER},
                                                       422: {"description": "A default reviewer who is not an active "
                                                                            "member; a field named twice"}})
def create_template(body: TemplateCreate, principal: CurrentPrincipal, info: CurrentRequest,
                    response: Response) -> TemplateOut:
    """A template with a draft (fields, default reviewers, checklist). Make a version of it, then publish that
    version to the tenant's library."""
    template, version = templates.create_template(principal, body, info)
    response.headers["Location"] = f"{TEMPLATES_PATH}/{template.id}"
    response.headers["ETag"] = etag(version)
    return template


@router.get(TEMPLATES_PATH, name="list_templates", permission="templates:read", grants={*READ, Grant.CURSOR_KEY_READ})
def list_templates(principal: CurrentPrincipal, paging: Paging,
                   published: Annotated[bool, Query(description="Only the library: templates with a published "
                                                                "version, by name")] = False) -> TemplateList:
    """The tenant's templates, oldest first; or its library."""
    return templates.list_templates(principal, published=published, limit=paging.limit, cursor=paging.cursor)


@router.get(TEMPLATE_PATH, name="get_template", permission="templates:read", grants=READ,
            responses={200: {"headers": ETAG_HEADER}, **TEMPLATE_NOT_FOUND})
def get_template(template_id: str, principal: CurrentPrincipal, response: Response) -> TemplateOut:
    """A template and its draft. The ETag header is the version to send in If-Match."""
    template, version = templates.get_template(principal, template_id)
    response.headers["ETag"] = etag(version)
    return template


@router.patch(TEMPLATE_PATH, name="update_template", permission="templates:update", grants=WRITE,
              responses={200: {"headers": ETAG_HEADER}, **TEMPLATE_NOT_FOUND,
                         412: {"description": "If-Match does not match"}, 428: {"description": "If-Match missing"},
                         422: {"description": "A default reviewer who is not an active member"}})
def update_template(template_id: str, body: TemplateUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                    info: CurrentRequest, response: Response) -> TemplateOut:
    """Change the name, description, tags or draft. Versions already made do not change. Requires If-Match."""
    template, new_version = templates.update_template(principal, template_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return template


@router.delete(TEMPLATE_PATH, name="delete_template", permission="templates:delete", status_code=204, grants=WRITE,
               responses={**TEMPLATE_NOT_FOUND, 409: {"description": "The template is in the public gallery"}})
def delete_template(template_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """The template and its versions; proofs made from it keep their copy."""
    templates.delete_template(principal, template_id, info)


@router.post(f"{TEMPLATE_PATH}/versions", name="create_template_version", permission="templates:update",
             status_code=201, idempotent=True, grants=WRITE,
             responses={**TEMPLATE_NOT_FOUND, 409: {"description": "The template has as many versions as allowed"}})
def create_template_version(template_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> TemplateVersionOut:
    """Save the draft as the next immutable version."""
    return templates.create_version(principal, template_id, info)


@router.get(f"{TEMPLATE_PATH}/versions", name="list_template_versions", permission="templates:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=TEMPLATE_NOT_FOUND)
def list_template_versions(template_id: str, principal: CurrentPrincipal, paging: Paging) -> TemplateVersionList:
    """The template's versions, oldest first."""
    return templates.list_versions(principal, template_id, limit=paging.limit, cursor=paging.cursor)


@router.post(f"{TEMPLATE_PATH}/versions/{{template_version}}/publish", name="publish_template_version",
             permission="templates:publish", grants=WRITE, responses=TEMPLATE_NOT_FOUND)
def publish_template_version(template_id: str, template_version: str, principal: CurrentPrincipal,
                             info: CurrentRequest) -> TemplateOut:
    """Make this version the one in the tenant's library: proofs are made from it unless they name another."""
    number = store.version_number(template_version)
    return templates.publish_version(principal, template_id, number, info)


@router.post(f"{TEMPLATE_PATH}/proofs", name="create_proof_from_template", permission="templates:use",
             status_code=201, idempotent=True, grants=WRITE,
             responses={201: {"headers": LOCATION_HEADER | ETAG_HEADER}, **TEMPLATE_NOT_FOUND, **NO_LIBRARY_VERSION,
                        422: {"description": "Values that do not fit the fields; a default reviewer who left"}})
def create_proof_from_template(template_id: str, body: ProofFromTemplate, principal: CurrentPrincipal,
                               info: CurrentRequest, response: Response) -> ProofOut:
    """A draft proof from the library version (or ``version``): the values are checked against its fields, and its
    default reviewers and checklist are copied into the proof."""
    proof, version = from_template.create_from_template(principal, template_id, body, info)
    response.headers["Location"] = f"{PROOFS_PATH}/{proof.id}"
    response.headers["ETag"] = etag(version)
    return proof

