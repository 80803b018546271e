"""Creating operators: only through the CLI (``atrium operators create``), never over the API."""

from pydantic import EmailStr, TypeAdapter, ValidationError

from atrium.identity.operator.models import OperatorItem
from atrium.identity.operator.roles import OPERATOR_ROLES
from atrium.identity.passwords import check_strength, hash_password
from atrium.kernel import ids
from atrium.kernel.errors import Conflict, Unprocessable
from atrium.kernel.store.writes import unless_raced


def create_operator(email: str, role: str, password: str) -> OperatorItem:
    """One conditional put. Not a unit of work: an operator belongs to no tenant, so there is no tenant log
    for an audit entry; whoever ran the CLI is answerable for it (docs/operator.md)."""
    if role not in OPERATOR_ROLES:
        raise Unprocessable(f"unknown operator role {role!r}; one of {', '.join(sorted(OPERATOR_ROLES))}")
    try:
        email = TypeAdapter(EmailStr).validate_python(email.strip()).lower()
    except ValidationError:
        raise Unprocessable(f"{email!r} is not an email address") from None
    check_strength(password, email=email)
    operator = OperatorItem.of(email, id=ids.new_id("opr"), password_hash=hash_password(password), roles=[role])
    if not unless_raced(lambda: operator.save(condition=OperatorItem.pk.does_not_exist())):
        raise Conflict(f"an operator with the email {email} already exists")
    return operator
