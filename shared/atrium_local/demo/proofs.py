"""Proofs in every state of the review workflow, each with its versions and a comment thread, and the approved one's
certificate.

Each proof follows a plan of workflow steps. Where a proof stands (status, current version) says which step comes
next, so a run picks up wherever an earlier one stopped and a finished proof is left alone.
"""

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from atrium_local.demo.api import DemoError, Stack
from atrium_local.demo.images import png
from atrium_local.demo.people import Cast

PROOFS = "/v1/proofs"
Action = Literal["upload", "submit", "approve", "request-changes", "reject"]
State = tuple[str, int]  # status, current version (0 before the first upload)
_DECIDED = {"approve": "approved", "request-changes": "changes_requested", "reject": "rejected"}


@dataclass(frozen=True)
class Step:
    action: Action
    note: str = ""  # a reviewer's note on their decision

    def after(self, state: State) -> State:
        status, version = state
        if self.action == "upload":
            return status, version + 1
        if self.action == "submit":
            return "in_review", version
        return _DECIDED[self.action], version  # the reviewer is the one required reviewer


@dataclass(frozen=True)
class Plan:
    title: str
    steps: tuple[Step, ...]
    remark: str  # the owner's comment on version 1, which the admin answers
    answer: str
    from_template: bool = False

    def next_step(self, state: State) -> Step | None:
        """The step to take from ``state``; None once the plan is done. Refuses a state off the plan."""
        at: State = ("draft", 0)
        for step in self.steps:
            if at == state:
                return step
            at = step.after(at)
        if at != state:
            raise DemoError(f"proof {self.title!r} is {state[0]} at version {state[1]}, off the demo's plan")
        return None


UPLOAD, SUBMIT = Step("upload"), Step("submit")
# The approved one first: its certificate renders (a job) while the others are made.
PLANS = (
    Plan("Spring poster", (UPLOAD, SUBMIT, Step("request-changes", "Logo too small"), UPLOAD, SUBMIT,
                           Step("approve", "Much better")), "First cut.", "Version 2 fixes the logo."),
    Plan("Holiday card", (UPLOAD,), "Draft for the team to look at before review.", "Warm colours, nice.",
         from_template=True),
    Plan("Winter catalogue cover", (UPLOAD, SUBMIT), "Ready for review.", "Looking at it today."),
    Plan("Summer banner", (UPLOAD, SUBMIT, Step("request-changes", "The headline is cut off on mobile")),
         "Ready for review.", "Agreed on the headline."),
    Plan("Autumn flyer", (UPLOAD, SUBMIT, Step("reject", "Off brief: the campaign moved to winter")),
         "Ready for review.", "We will start over."),
    # A second proof in each state: a list with one of each shows no ordering, filtering or paging.
    Plan("Shop window decal", (UPLOAD, SUBMIT, Step("approve", "Print it")), "Final size, ready to print.",
         "Colours checked against the swatch."),
    Plan("Menu insert", (UPLOAD, UPLOAD), "Second draft, prices still to confirm.", "Prices confirmed Monday."),
    Plan("Trade fair banner", (UPLOAD, SUBMIT), "Ready for review.", "Booth number still to add."),
    Plan("Loyalty card", (UPLOAD, SUBMIT, Step("request-changes", "The barcode must stay clear of the fold")),
         "Ready for review.", "Moving the barcode."),
    Plan("Gift voucher", (UPLOAD, SUBMIT, Step("reject", "The offer ended last week")), "Ready for review.",
         "Dropping this one."),
)


def proofs(stack: Stack, cast: Cast, template: dict[str, Any]) -> list[dict[str, Any]]:
    """Every planned proof, done, as the API shows it."""
    existing = {proof["title"]: proof for proof in stack.each(PROOFS, cast.owner.session)}
    done = []
    for plan in PLANS:
        proof = existing.get(plan.title) or _create(stack, cast, plan, template)
        while (step := plan.next_step((proof["status"], proof["current_version"] or 0))) is not None:
            proof = _take(stack, cast, plan, proof, step)
        _comment(stack, cast, plan, proof)
        done.append(proof)
    return done


def certificate(stack: Stack, cast: Cast, proof: dict[str, Any]) -> dict[str, Any]:
    """The approved proof's certificate, once the job rendering it has run."""
    def issued() -> dict[str, Any] | None:
        response = stack.call("GET", f"{PROOFS}/{proof['id']}/certificate", auth=cast.owner.session,
                              expect=(200, 404))
        return response.json() if response.status_code == 200 else None

    return stack.wait_for(f"the certificate of {proof['title']!r}", issued)


def _create(stack: Stack, cast: Cast, plan: Plan, template: dict[str, Any]) -> dict[str, Any]:
    """A draft; reviewed by the member (required) and the admin (optional), as the template's defaults say."""
    key = f"proof-{plan.title}"
    if plan.from_template:
        proof = stack.json("POST", f"/v1/templates/{template['id']}/proofs", auth=cast.owner.session, expect=(201,),
                           key=key, json={"title": plan.title, "values": {"size": "A6", "copies": 250}})
    else:
        proof = stack.json("POST", PROOFS, auth=cast.owner.session, expect=(201,), key=key, json={
            "title": plan.title, "tags": ["demo"],
            "reviewers": [{"user_id": cast.reviewer.id}, {"user_id": cast.admin.id, "required": False}]})
    stack.made(f"proof {plan.title}")
    return dict(proof)


def _take(stack: Stack, cast: Cast, plan: Plan, proof: dict[str, Any], step: Step) -> dict[str, Any]:
    path, version = f"{PROOFS}/{proof['id']}", proof["current_version"] or 0
    if step.action == "upload":
        _upload(stack, cast, path, f"{plan.title} v{version + 1}")
        changed = stack.json("GET", path, auth=cast.owner.session)
    elif step.action == "submit":
        changed = stack.json("POST", f"{path}/submit", auth=cast.owner.session)
    else:
        changed = stack.json("POST", f"{path}/{step.action}", auth=cast.reviewer.session,
                             json={"version": version, "note": step.note})
    stack.made(f"proof {plan.title}: {step.action} at version {changed['current_version']}")
    return dict(changed)


def _upload(stack: Stack, cast: Cast, path: str, name: str) -> None:
    """The next version, through the API's flow: a presigned form, the file sent to it, the version recorded."""
    content = png(name)
    upload = stack.json("POST", f"{path}/uploads", auth=cast.owner.session, expect=(201,), key=f"upload-{name}",
                        json={"filename": f"{name}.png", "content_type": "image/png", "size": len(content)})
    stack.upload(upload, content)
    stack.call("POST", f"{path}/versions", auth=cast.owner.session, expect=(201,), key=f"version-{name}",
               json={"upload_id": upload["upload_id"], "sha256": hashlib.sha256(content).hexdigest()})


def _comment(stack: Stack, cast: Cast, plan: Plan, proof: dict[str, Any]) -> None:
    """The owner's remark on a region of version 1 and the admin's answer, unless there already."""
    path = f"{PROOFS}/{proof['id']}/comments"
    thread = {comment["body"]: comment for comment in stack.each(path, cast.owner.session)}
    remark = thread.get(plan.remark)
    if remark is None:
        remark = stack.json("POST", path, auth=cast.owner.session, expect=(201,), key=f"remark-{plan.title}", json={
            "body": plan.remark, "version": 1, "region": {"x": 0.1, "y": 0.1, "w": 0.5, "h": 0.3}})
        stack.made(f"comment on {plan.title}")
    if plan.answer not in thread:
        stack.call("POST", path, auth=cast.admin.session, expect=(201,), key=f"answer-{plan.title}",
                   json={"body": plan.answer, "parent_id": remark["id"]})
        stack.made(f"answer on {plan.title}")
