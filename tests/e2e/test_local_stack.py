"""Start the local stack as `make dev` does, use it over real HTTP, stop it, start it again."""

import os
import subprocess
import time

import httpx
from standardwebhooks import Webhook

from tests.e2e.local_stack import ATRIUM, LocalStack, wait_for_mail
from tests.support.webhook_receiver import listening


def test_sign_up_see_the_welcome_email_and_stop_cleanly(stack: LocalStack) -> None:
    assert "Swagger UI" in httpx.get(f"{stack.base}/docs").text
    assert "/v1/signup" in httpx.get(f"{stack.base}/openapi.json").json()["paths"]
    response = httpx.post(f"{stack.base}/v1/signup", json={"tenant_name": "E2E", "email": "e2e@example.com",
                                                           "password": "correct horse battery staple"})
    assert response.status_code == 201
    token = response.json()["access_token"]
    tenant = httpx.get(f"{stack.base}/v1/tenant", headers={"Authorization": f"Bearer {token}"})
    assert tenant.json()["name"] == "E2E"
    mails = wait_for_mail(stack.base)
    assert mails[0]["to"] == "e2e@example.com" and "E2E" in mails[0]["subject"]

    env = os.environ | {"ATRIUM_PORT": str(stack.api_port), "ATRIUM_MOTO_PORT": str(stack.moto_port)}
    job = subprocess.run([str(ATRIUM), "schedules", "run", "identity.rotate_signing_keys"], env=env,
                         capture_output=True, text=True, check=True)
    assert '"kid": "key_' in job.stdout
    printed = subprocess.run([str(ATRIUM), "mail"], env=env, capture_output=True, text=True, check=True)
    assert "e2e@example.com" in printed.stdout
    dlqs = subprocess.run([str(ATRIUM), "dlq", "list"], env=env, capture_output=True, text=True, check=True)
    assert "0\tidentity.send_welcome_email\tatrium-identity-send-welcome-email-dlq" in dlqs.stdout.splitlines()

    code, output = stack.stop()
    assert code == 0, output
    assert "stopped" in output, output
    assert "Traceback" not in output, output[output.index("Traceback") - 500:][:4000]


def test_a_webhook_reaches_a_receiver_on_this_machine_and_verifies(stack: LocalStack) -> None:
    """The local stack lets webhooks reach loopback (it says so when it starts); the receiver verifies the
    delivery with the Standard Webhooks reference library."""
    signed_up = httpx.post(f"{stack.base}/v1/signup", json={"tenant_name": "Hooks", "email": "hooks@example.com",
                                                            "password": "correct horse battery staple"})
    auth = {"Authorization": f"Bearer {signed_up.json()['access_token']}"}
    with listening() as receiver:
        created = httpx.post(f"{stack.base}/v1/webhook-endpoints", headers=auth, json={
            "url": receiver.url, "event_types": ["webhook_endpoint.updated"]})
        assert created.status_code == 201, created.text
        endpoint = created.json()
        changed = httpx.patch(f"{stack.base}/v1/webhook-endpoints/{endpoint['id']}", json={"description": "e2e"},
                              headers=auth | {"If-Match": created.headers["etag"]})
        assert changed.status_code == 200, changed.text
        deadline = time.monotonic() + 30
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.2)
        (request,) = receiver.received
    payload = Webhook(endpoint["secret"]).verify(request.body, request.headers)
    assert payload["type"] == "webhook_endpoint.updated" and payload["data"]["description"] == "e2e"
    log = httpx.get(f"{stack.base}/v1/webhook-endpoints/{endpoint['id']}/deliveries", headers=auth).json()["data"]
    assert [(a["status_code"], a["succeeded"]) for a in log] == [(200, True)]


def test_a_second_start_on_the_same_ports_works_and_neither_start_warns() -> None:
    ports: tuple[int | None, int | None] = (None, None)
    for _ in range(2):
        stack = LocalStack(*ports)
        ports = (stack.api_port, stack.moto_port)
        try:
            stack.wait_ready()
        finally:
            code, output = stack.stop()
        assert code == 0, output
        assert "Warning" not in output, output
