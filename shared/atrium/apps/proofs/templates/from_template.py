"""A proof made from a template version: the values must fit the version's fields; its default reviewers (still
active members) and checklist are copied into the proof, which keeps them even if the template changes."""

import datetime as dt
from typing import Any

from atrium.apps.proofs.proofs import service as proofs
from atrium.apps.proofs.proofs.schemas import ProofCreate, ProofOut, ReviewerIn
from atrium.apps.proofs.templates import store as template_store
from atrium.apps.proofs.templates.models import TemplateSnapshot
from atrium.apps.proofs.templates.schemas import FieldType, ProofFromTemplate, TemplateField
from atrium.kernel.errors import Conflict, Unprocessable
from atrium.kernel.store.unit_of_work import RequestInfo
from atrium.kernel.tenancy import Principal


def _snapshot(tenant_id: str, template_id: str, number: int | None) -> TemplateSnapshot:
    """The named version, or the library's (read from the template itself: one GetItem either way)."""
    if number is not None:
        return template_store.load_version(tenant_id, template_id, number).snapshot()
    template = template_store.load(tenant_id, template_id)
    if template.published is None:
        raise Conflict("the template has no version in the library; publish one or name a version")
    published: TemplateSnapshot = template.published
    return published


def _fits(kind: FieldType, value: object) -> bool:
    if kind is FieldType.CHECKBOX:
        return isinstance(value, bool)
    if kind is FieldType.NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if not isinstance(value, str):
        return False
    if kind is FieldType.DATE:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == len("YYYY-MM-DD")
    return True


def check_values(fields: list[TemplateField], values: dict[str, Any]) -> None:
    """Every value names a field and has its type; every required field has a value (text: not blank)."""
    by_name = {f.name: f for f in fields}
    errors = [{"field": f"body.values.{name}", "message": "the template has no such field", "code": "unknown_field"}
              for name in values if name not in by_name]
    for field in fields:
        value = values.get(field.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field.required:
                errors.append({"field": f"body.values.{field.name}", "message": f"{field.label} is required",
                               "code": "required"})
        elif not _fits(field.type, value):
            errors.append({"field": f"body.values.{field.name}", "message": f"expected a {field.type.value} value",
                           "code": "type"})
    if errors:
        raise Unprocessable("the values do not fit the template's fields", errors=errors)


def create_from_template(principal: Principal, template_id: str, body: ProofFromTemplate,
                         info: RequestInfo) -> tuple[ProofOut, int]:
    snapshot = _snapshot(principal.tenant_id, template_id, body.version)
    template_body = snapshot["body"]
    check_values([TemplateField.model_validate(f) for f in template_body.get("fields", [])], body.values)
    create = ProofCreate(title=body.title, description=body.description, due_date=body.due_date,
                         tags=snapshot["tags"],
                         reviewers=[ReviewerIn.model_validate(r) for r in template_body.get("default_reviewers", [])])
    try:
        proof = proofs.new_proof(principal, create)
    except Unprocessable as error:  # a default reviewer left the tenant since the version was made
        raise Unprocessable("a default reviewer of the template is no longer an active member; update the template "
                            "and publish a new version", errors=[
                                e | {"field": e["field"].replace("body.reviewers", "template.default_reviewers")}
                                for e in error.errors]) from error
    proof.template = {"template_id": template_id, "version": snapshot["version"],
                      "fields": {name: value for name, value in body.values.items() if value is not None},
                      "checklist": list(template_body.get("checklist", []))}
    return proofs.create_proof(principal, create, info, proof=proof)
