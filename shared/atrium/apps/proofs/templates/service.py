"""Proof templates: create, read, list (all, or the tenant's library), change the draft, delete; make immutable
versions of the draft and publish one to the tenant's library. Default reviewers must be active members."""

from atrium.apps.proofs.events import (
    TEMPLATE_CREATED,
    TEMPLATE_DELETED,
    TEMPLATE_PUBLISHED,
    TEMPLATE_UPDATED,
    TEMPLATE_VERSION_CREATED,
    TemplateVersioned,
)
from atrium.apps.proofs.proofs.service import check_members
from atrium.apps.proofs.templates import store as template_store
from atrium.apps.proofs.templates.models import LIBRARY, VERSION, TemplateItem, TemplateVersionItem
from atrium.apps.proofs.templates.presenters import template_changed, template_out, version_out
from atrium.apps.proofs.templates.schemas import (
    TemplateBody,
    TemplateCreate,
    TemplateList,
    TemplateOut,
    TemplateUpdate,
    TemplateVersionList,
    TemplateVersionOut,
)
from atrium.kernel import ids
from atrium.kernel.errors import Conflict, PreconditionFailed, Unprocessable
from atrium.kernel.store import keys
from atrium.kernel.store.pages import collection_page, fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

# A template is deleted with its versions in one transaction (at most 100 items).
MAX_VERSIONS = 50


def check_body(tenant_id: str, body: TemplateBody) -> None:
    """Field names are unique; default reviewers are named once and are active members."""
    names = [f.name for f in body.fields]
    reviewers = [r.user_id for r in body.default_reviewers]
    errors = [{"field": f"body.{name}", "message": "name each one once", "code": "duplicate"}
              for name, values in (("fields", names), ("default_reviewers", reviewers))
              if len(set(values)) != len(values)]
    if errors:
        raise Unprocessable("a field or a default reviewer is named twice", errors=errors)
    check_members(tenant_id, [(f"body.default_reviewers[{i}].user_id", r.user_id)
                              for i, r in enumerate(body.default_reviewers)])


def _versioned(template: TemplateItem, number: int) -> TemplateVersioned:
    return TemplateVersioned(**template_changed(template).model_dump(), version=number)


def new_template(tenant_id: str, *, name: str, description: str, tags: list[str], body: TemplateBody,
                 imported_from: str | None = None) -> TemplateItem:
    return TemplateItem(tenant_id=tenant_id, id=ids.new_id("tpl"), name=name, description=description,
                        tags=list(dict.fromkeys(tags)), body=body.model_dump(mode="json"),
                        imported_from=imported_from)


def create_template(principal: Principal, body: TemplateCreate, info: RequestInfo) -> tuple[TemplateOut, int]:
    draft = TemplateBody.model_validate(body.model_dump(include=set(TemplateBody.model_fields)))
    check_body(principal.tenant_id, draft)
    template = new_template(principal.tenant_id, name=body.name, description=body.description, tags=body.tags,
                            body=draft)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    template_store.commit(uow, template, TEMPLATE_CREATED, template_changed(template).model_dump(), new=True)
    return template_out(template), template.version or 0


def get_template(principal: Principal, template_id: str) -> tuple[TemplateOut, int]:
    template = template_store.load(principal.tenant_id, template_id)
    return template_out(template), template.version or 0


def list_templates(principal: Principal, *, published: bool, limit: int, cursor: str | None) -> TemplateList:
    """Every template, oldest first; or the library (templates with a published version), by name."""
    if not published:
        page = collection_page(TemplateItem, principal.tenant_id, limit=limit, cursor=cursor, query="templates")
        return TemplateList(data=[template_out(t) for t in page.items], next_cursor=page.next_cursor)
    library = keys.collection_pk(principal.tenant_id, LIBRARY)
    found = fetch_page(lambda start: TemplateItem.gsi2.query(library, limit=limit, page_size=limit,
                                                             last_evaluated_key=start),
                       cursor=cursor, tenant_id=principal.tenant_id, query="templates:library")
    return TemplateList(data=[template_out(t) for t in found.items if isinstance(t, TemplateItem)],
                        next_cursor=found.next_cursor)


def update_template(principal: Principal, template_id: str, change: TemplateUpdate, expected_version: int,
                    info: RequestInfo) -> tuple[TemplateOut, int]:
    template = template_store.load(principal.tenant_id, template_id, consistent=True)
    if template.version != expected_version:
        raise PreconditionFailed("the template has changed since you read it; read it again")
    draft = TemplateBody.model_validate(template.body | change.model_dump(
        include=set(TemplateBody.model_fields), exclude_none=True, mode="json"))
    if change.fields is not None or change.default_reviewers is not None:
        check_body(principal.tenant_id, draft)
    template.body = draft.model_dump(mode="json")
    if change.name is not None:
        template.name = change.name
    if change.description is not None:
        template.description = change.description
    if change.tags is not None:
        template.tags = list(dict.fromkeys(change.tags))
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    template_store.commit(uow, template, TEMPLATE_UPDATED, template_changed(template).model_dump())
    return template_out(template), template.version or 0


def delete_template(principal: Principal, template_id: str, info: RequestInfo) -> None:
    """The template and its versions. Proofs made from it keep their copy; a gallery listing must go first."""
    template, versions = template_store.load_all(principal.tenant_id, template_id)
    if template.in_gallery:
        raise Conflict("the template is in the public gallery; unpublish it there first")
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    for item in [template, *versions]:
        uow.delete(item)
    uow.record(TEMPLATE_DELETED.name, subject=template_store.subject(template),
               data=template_changed(template).model_dump())
    uow.commit()


def create_version(principal: Principal, template_id: str, info: RequestInfo) -> TemplateVersionOut:
    """Snapshot the draft as the next version."""
    template = template_store.load(principal.tenant_id, template_id, consistent=True)
    if template.latest_version >= MAX_VERSIONS:
        raise Conflict(f"a template has at most {MAX_VERSIONS} versions; copy it into a new template")
    number = int(template.latest_version) + 1
    version = TemplateVersionItem(tenant_id=template.tenant_id, template_id=template.id, number=number,
                                  name=template.name, description=template.description, tags=list(template.tags),
                                  body=template.body, created_by=principal.id)
    template.latest_version = number
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.create(version, conflict=PreconditionFailed("another version was made at the same time; retry"))
    template_store.commit(uow, template, TEMPLATE_VERSION_CREATED, _versioned(template, number).model_dump())
    return version_out(version)


def list_versions(principal: Principal, template_id: str, *, limit: int, cursor: str | None) -> TemplateVersionList:
    """Oldest first. The template is read first, so a template of another tenant is a 404, not an empty list."""
    template = template_store.load(principal.tenant_id, template_id)
    found = fetch_page(lambda start: TemplateVersionItem.query(
        template.pk, TemplateVersionItem.sk.startswith(f"{VERSION}#"), limit=limit, page_size=limit,
        last_evaluated_key=start), cursor=cursor, tenant_id=principal.tenant_id,
        query=f"template_versions:{template_id}")
    return TemplateVersionList(data=[version_out(v) for v in found.items if isinstance(v, TemplateVersionItem)],
                               next_cursor=found.next_cursor)


def publish_version(principal: Principal, template_id: str, number: int, info: RequestInfo) -> TemplateOut:
    """Make ``number`` the version in the tenant's library (the one proofs are made from by default)."""
    template, version = template_store.load_with_version(principal.tenant_id, template_id, number)
    template.published_version = number
    template.published = version.snapshot()
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    template_store.commit(uow, template, TEMPLATE_PUBLISHED, _versioned(template, number).model_dump())
    return template_out(template)
