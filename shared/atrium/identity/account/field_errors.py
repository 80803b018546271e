"""The 422 answers of account routes that name the field at fault."""

from atrium.kernel.errors import Unprocessable


def field_error(field: str, message: str, code: str) -> Unprocessable:
    return Unprocessable(f"{field} {message}", errors=[{"field": f"body.{field}", "message": message, "code": code}])


def wrong_password(field: str) -> Unprocessable:
    return field_error(field, "is incorrect", "wrong_password")
