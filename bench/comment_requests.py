"""Set-up for the proofs app's comment operations in bench/aws_calls.py: a proof of the fixture tenant with one
comment by the fixture's owner."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from atrium.kernel.http.routing import RouteSpec
    from bench.aws_calls import Fixture, Request

NEW_COMMENT = {"body": "Bench comment"}


def _comments_path(fixture: "Fixture") -> str:
    return f"/v1/proofs/{fixture.post('/v1/proofs', {'title': 'Bench proof'})['id']}/comments"


def _comment_path(fixture: "Fixture") -> str:
    comments = _comments_path(fixture)
    return f"{comments}/{fixture.post(comments, NEW_COMMENT)['id']}"


def new_comment(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from bench.aws_calls import Request

    return Request(path=_comments_path(fixture), body=NEW_COMMENT)


def comments(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from bench.aws_calls import Request

    return Request(path=_comment_path(fixture).rsplit("/", 1)[0])


def comment_edit(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from bench.aws_calls import Request

    return Request(path=_comment_path(fixture), body={"body": "Bench comment, edited"}, headers={"If-Match": '"1"'})


def comment(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from bench.aws_calls import Request

    return Request(path=_comment_path(fixture))
