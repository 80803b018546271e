"""A webhook endpoint delivering every event to the local receiver, whose signing secret the receiver is given so
that it can check signatures."""

from typing import Any

from atrium_local.demo.api import RECEIVER_NAME, Session, Stack
from atrium_local.demo.people import Cast

ENDPOINTS = "/v1/webhook-endpoints"


def endpoint(stack: Stack, cast: Cast) -> dict[str, Any]:
    owner = cast.owner.session
    found = stack.find(ENDPOINTS, owner, lambda item: item["url"] == stack.receiver_url)
    if found is None:
        found = stack.json("POST", ENDPOINTS, auth=owner, expect=(201,), key="endpoint", json={
            "url": stack.receiver_url, "description": "The local receiver (demo): every event type"})
        stack.made(f"webhook endpoint {stack.receiver_url}")
    # Read back as any client must (the secret is shown once at creation), and given again on every run: a
    # restarted receiver may have forgotten it.
    secret = stack.json("GET", f"{ENDPOINTS}/{found['id']}/secret", auth=_stepped_up(stack, owner))["secret"]
    stack.call("PUT", f"/_local/receiver/{RECEIVER_NAME}/secret", json={"secret": secret}, expect=(204,))
    return found


def _stepped_up(stack: Stack, session: Session) -> Session:
    """The session stepped up with its password, as the routes handling secrets require."""
    body = stack.json("POST", "/v1/auth/step-up", auth=session, json={"password": session.password})
    return Session(session.email, session.password, body["access_token"])
