"""Comments on proofs: threads, versions and regions, edits and deletes by their author, mentions emailed (once,
respecting preferences), and tenant isolation."""

import json
from typing import Any

import boto3
from fastapi.testclient import TestClient

from atrium_local.mailbox import sent_mail
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.invitations import event_types, table_items
from tests.support.outbox import outbox_items
from tests.support.people import Member, add_member
from tests.support.proofs import upload_version

REGION = {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.15}


def _proof(client: TestClient, tenant: Tenant, title: str = "Spring poster") -> str:
    response = client.post("/v1/proofs", json={"title": title}, headers=tenant.auth)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _comments(proof_id: str) -> str:
    return f"/v1/proofs/{proof_id}/comments"


def _comment(client: TestClient, auth: dict[str, str], proof_id: str, **body: Any) -> dict[str, Any]:
    response = client.post(_comments(proof_id), json=body, headers=auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _mention(member: Member | Tenant) -> str:
    return f"@[{member.user_id}]"


def _mails_to(email: str) -> list[dict[str, Any]]:
    return [mail for mail in sent_mail() if mail["to"] == email]


def test_a_comment_and_a_reply_on_its_version(client: TestClient, tenant_a: Tenant) -> None:
    proof_id = _proof(client, tenant_a)
    upload_version(client, tenant_a, proof_id)
    response = client.post(_comments(proof_id), json={"body": "  Logo too close to the edge. ", "version": 1,
                                                      "region": REGION}, headers=tenant_a.auth)
    assert response.status_code == 201, response.text
    top = response.json()
    assert response.headers["Location"] == f"{_comments(proof_id)}/{top['id']}" and response.headers["ETag"] == '"1"'
    assert top["id"].startswith("cmt_") and top["body"] == "Logo too close to the edge."
    assert (top["author_id"], top["version"], top["region"], top["parent_id"]) == (tenant_a.user_id, 1, REGION, None)
    assert (top["deleted"], top["edited_at"], top["mentions"]) == (False, None, [])
    member = add_member(tenant_a.id, "member")
    reply = _comment(client, member.auth, proof_id, body="Moved it.", parent_id=top["id"])
    assert (reply["parent_id"], reply["version"], reply["region"]) == (top["id"], 1, None)  # the parent's version
    listed = client.get(_comments(proof_id), headers=add_member(tenant_a.id, "viewer").auth).json()
    assert [c["id"] for c in listed["data"]] == [top["id"], reply["id"]] and listed["next_cursor"] is None
    assert event_types().count("proof.commented") == 2
    commented = [json.loads(i["envelope"]["S"]) for i in outbox_items() if i["event_type"]["S"] ==
                 "proof.commented"]
    assert {e["data"]["body"] for e in commented} == {"Logo too close to the edge.", "Moved it."}
    assert all(e["subject"] == {"type": "proof", "id": proof_id, "name": "Spring poster"} for e in commented)
    assert len([i for i in table_items("Audit") if i["action"]["S"] == "proof.commented"]) == 2


def test_versions_regions_and_parents_are_checked(client: TestClient, tenant_a: Tenant) -> None:
    proof_id, other_proof = _proof(client, tenant_a), _proof(client, tenant_a, "Other")
    upload_version(client, tenant_a, proof_id)
    elsewhere = _comment(client, tenant_a.auth, other_proof, body="On the other proof")
    cases = [
        {"body": "x", "version": 1, "region": REGION | {"x": 1.2}},  # out of range
        {"body": "x", "version": 1, "region": REGION | {"w": -0.1}},
        {"body": "x", "version": 1, "region": REGION | {"x": 0.8, "w": 0.3}},  # past the right edge
        {"body": "x", "version": 1, "region": REGION | {"y": 0.9}},  # past the bottom edge
        {"body": "x", "version": 1, "region": REGION | {"h": "0.1"}},
        {"body": "x", "region": REGION},  # a region needs a version
        {"body": "x", "version": 2},  # no such version
        {"body": "x", "version": 0},
        {"body": ""}, {"body": "   "}, {"body": "x" * 5001},
        {"body": "x", "parent_id": elsewhere["id"]},  # a comment on another proof
        {"body": "x", "parent_id": "cmt_01JDQ3Z8M4W6N0B2C4E6G8J0K2"},
        {"body": "x", "unknown": 1},
    ]
    for body in cases:
        response = client.post(_comments(proof_id), json=body, headers=tenant_a.auth)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    top = _comment(client, tenant_a.auth, proof_id, body="Edge to edge", version=1,
                   region={"x": 0.7, "y": 0, "w": 0.3, "h": 1})
    for reply in ({"version": 1}, {"region": REGION}):  # a reply is on its parent's version and region
        response = client.post(_comments(proof_id), json={"body": "x", "parent_id": top["id"], **reply},
                               headers=tenant_a.auth)
        assert response.status_code == 422, response.text
    assert len(table_items("ProofComment")) == 2


def test_comments_are_paged_oldest_first_and_filtered_by_version(client: TestClient, tenant_a: Tenant) -> None:
    proof_id = _proof(client, tenant_a)
    upload_version(client, tenant_a, proof_id)
    upload_version(client, tenant_a, proof_id)
    made = [_comment(client, tenant_a.auth, proof_id, body=f"c{n}", **({"version": n % 3} if n % 3 else {}))["id"]
            for n in range(5)]  # versions: none, 1, 2, none, 1
    first = client.get(_comments(proof_id) + "?limit=2", headers=tenant_a.auth).json()
    second = client.get(_comments(proof_id), params={"limit": 2, "cursor": first["next_cursor"]},
                        headers=tenant_a.auth).json()
    third = client.get(_comments(proof_id), params={"limit": 2, "cursor": second["next_cursor"]},
                       headers=tenant_a.auth).json()
    assert [c["id"] for page in (first, second, third) for c in page["data"]] == made
    on_one = client.get(_comments(proof_id) + "?version=1", headers=tenant_a.auth).json()
    assert [c["id"] for c in on_one["data"]] == [made[1], made[4]]
    assert client.get(_comments(proof_id) + "?version=3", headers=tenant_a.auth).json()["data"] == []
    assert client.get(_comments(proof_id) + "?version=0", headers=tenant_a.auth).status_code == 422
    # A cursor is bound to its list.
    assert client.get(_comments(proof_id), params={"version": 1, "cursor": first["next_cursor"]},
                      headers=tenant_a.auth).status_code == 400


def test_only_the_author_edits_and_the_author_or_an_admin_deletes(client: TestClient, tenant_a: Tenant) -> None:
    proof_id = _proof(client, tenant_a)
    author, other = add_member(tenant_a.id, "member"), add_member(tenant_a.id, "member")
    comment = _comment(client, author.auth, proof_id, body="First take")
    path = f"{_comments(proof_id)}/{comment['id']}"
    edit = {"body": "Second take"}
    assert client.patch(path, json=edit, headers=other.auth | {"If-Match": '"1"'}).status_code == 403
    assert client.delete(path, headers=other.auth).status_code == 403
    assert client.patch(path, json=edit, headers=tenant_a.auth | {"If-Match": '"1"'}).status_code == 403  # not even
    assert client.patch(path, json=edit, headers=author.auth).status_code == 428
    assert client.patch(path, json=edit, headers=author.auth | {"If-Match": '"7"'}).status_code == 412
    response = client.patch(path, json=edit, headers=author.auth | {"If-Match": '"1"'})
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'
    assert response.json()["body"] == "Second take" and response.json()["edited_at"] is not None
    reply = _comment(client, other.auth, proof_id, body="Agreed", parent_id=comment["id"])
    assert client.delete(path, headers=author.auth).status_code == 204
    listed = {c["id"]: c for c in client.get(_comments(proof_id), headers=author.auth).json()["data"]}
    assert listed[comment["id"]] | {"edited_at": None} == comment | {"body": "", "deleted": True, "edited_at": None}
    assert listed[reply["id"]]["parent_id"] == comment["id"]  # the thread stays
    assert client.patch(path, json=edit, headers=author.auth | {"If-Match": '"3"'}).status_code == 409
    assert client.delete(path, headers=author.auth).status_code == 409
    # An admin (who may delete the proof) may delete anyone's comment.
    assert client.delete(f"{_comments(proof_id)}/{reply['id']}", headers=tenant_a.auth).status_code == 204
    assert event_types().count("proof.comment_edited") == 1 and event_types().count("proof.comment_deleted") == 2
    assert client.patch(f"{_comments(proof_id)}/cmt_01JDQ3Z8M4W6N0B2C4E6G8J0K2", json=edit,
                        headers=author.auth | {"If-Match": '"1"'}).status_code == 404


def test_a_mention_must_name_a_member(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    proof_id = _proof(client, tenant_a)
    for body in (f"Hi {_mention(tenant_b)}", "Hi @[usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2]",
                 " ".join(_mention(add_member(tenant_a.id, "viewer")) for _ in range(21))):
        response = client.post(_comments(proof_id), json={"body": body}, headers=tenant_a.auth)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "body.body"
    comment = _comment(client, tenant_a.auth, proof_id, body="Plain")
    response = client.patch(f"{_comments(proof_id)}/{comment['id']}", json={"body": f"Hi {_mention(tenant_b)}"},
                            headers=tenant_a.auth | {"If-Match": '"1"'})
    assert response.status_code == 422
    assert len(table_items("ProofComment")) == 1


def test_mentioned_members_are_emailed_unless_they_opted_out(client: TestClient, worker: Worker,
                                                             tenant_a: Tenant) -> None:
    proof_id = _proof(client, tenant_a)
    author, reader, quiet, later = (add_member(tenant_a.id, "member") for _ in range(4))
    assert client.put("/v1/me/email-preferences", json={"categories": {"mentions": False}},
                      headers=quiet.auth).status_code == 200
    comment = _comment(client, author.auth, proof_id,
                       body=f"{_mention(reader)} {_mention(quiet)} {_mention(author)} please check the logo")
    assert comment["mentions"] == [reader.user_id, quiet.user_id, author.user_id]
    worker.drain()
    (mail,) = _mails_to(reader.email)
    assert mail["subject"] == f"{author.email} mentioned you on Spring poster"
    assert "please check the logo" in mail["text"] and f"/proofs/{proof_id}?comment={comment['id']}" in mail["text"]
    assert mail["list_unsubscribe"] and mail["list_unsubscribe_post"] == "List-Unsubscribe=One-Click"
    assert _mails_to(quiet.email) == [] and _mails_to(author.email) == []
    # An edit emails only those it mentions for the first time.
    response = client.patch(f"{_comments(proof_id)}/{comment['id']}", headers=author.auth | {"If-Match": '"1"'},
                            json={"body": f"{_mention(reader)} {_mention(later)} please check the logo again"})
    assert response.status_code == 200, response.text
    worker.drain()
    assert len(_mails_to(reader.email)) == 1 and len(_mails_to(later.email)) == 1


def test_a_redelivered_event_emails_once(client: TestClient, worker: Worker, aws: Provisioned,
                                         tenant_a: Tenant) -> None:
    proof_id = _proof(client, tenant_a)
    reader = add_member(tenant_a.id, "viewer")
    _comment(client, tenant_a.auth, proof_id, body=f"{_mention(reader)} look")
    worker.drain()
    outbox = next(i for i in outbox_items() if i["event_type"]["S"] == "proof.commented")
    queue = next(q for q in aws.consumers if q.spec.name == "proofs.email_mentions")
    boto3.client("sqs", region_name="us-east-1").send_message(
        QueueUrl=queue.queue_url, MessageBody=json.dumps({"detail": json.loads(outbox["envelope"]["S"])}))
    worker.drain()
    assert len(_mails_to(reader.email)) == 1


def test_tenant_b_cannot_reach_tenant_a_comments(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    proof_id = _proof(client, tenant_a)
    comment = _comment(client, tenant_a.auth, proof_id, body="Mine")
    path = f"{_comments(proof_id)}/{comment['id']}"
    before = table_items("ProofComment")
    assert client.get(_comments(proof_id), headers=tenant_b.auth).status_code == 404
    assert client.post(_comments(proof_id), json={"body": "Theirs"}, headers=tenant_b.auth).status_code == 404
    assert client.patch(path, json={"body": "Theirs"}, headers=tenant_b.auth | {"If-Match": '"1"'}).status_code == 404
    assert client.delete(path, headers=tenant_b.auth).status_code == 404
    # Nor through a proof of its own.
    own = f"{_comments(_proof(client, tenant_b))}/{comment['id']}"
    assert client.patch(own, json={"body": "Theirs"}, headers=tenant_b.auth | {"If-Match": '"1"'}).status_code == 404
    assert client.delete(own, headers=tenant_b.auth).status_code == 404
    assert table_items("ProofComment") == before
