"""What a newcomer sees of ``atrium dev --demo``: the banner with the demo users' passwords (and ``atrium demo``
against it again makes nothing new); in a browser, the API docs work offline, the console shows the demo's mail
and deliveries, and a redrive from the console moves a DLQ message back. Screenshots of every page land in
``build/screenshots/`` (the README links them). The tests share one stack: starting it with the demo is most of
their time."""

import os
import subprocess

import boto3
import httpx
import pytest

from atrium.identity.access.roles import BUILT_IN_ROLES, ROLE_SCOPES
from atrium_local.demo.people import email_of, password_of
from atrium_local.demo.proofs import PLANS
from tests.browser.conftest import OfflinePage
from tests.e2e.local_stack import ATRIUM, LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CONSOLE_PAGES = {"console": "/_local", "mailbox": "/_local/mailbox", "webhooks": "/_local/webhooks",
                 "events": "/_local/events", "queues": "/_local/queues", "jobs": "/_local/jobs"}


def _operations(stack: LocalStack) -> int:
    spec = httpx.get(f"{stack.base}/openapi.json").json()
    return sum(1 for methods in spec["paths"].values() for method in methods
               if method in {"get", "post", "put", "patch", "delete"})


# The demo makes a user of every built-in role but the scoped ones (their grants name app records it does not make).
DEMO_ROLES = set(BUILT_IN_ROLES) - set(ROLE_SCOPES)


def test_dev_with_the_demo_prints_the_passwords_and_a_second_run_makes_nothing_new(demo_stack: LocalStack) -> None:
    assert "objects created" in demo_stack.printed, demo_stack.printed
    for role in DEMO_ROLES:
        assert email_of(role) in demo_stack.printed and password_of(role) in demo_stack.printed
    env = os.environ | {"ATRIUM_PORT": str(demo_stack.api_port)}
    again = subprocess.run([str(ATRIUM), "demo"], env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "nothing new" in again.stdout, again.stdout + again.stderr
    signed_in = httpx.post(f"{demo_stack.base}/v1/auth/login",
                           json={"email": email_of("viewer"), "password": password_of("viewer")})
    auth = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    assert len(httpx.get(f"{demo_stack.base}/v1/users", headers=auth).json()["data"]) == len(DEMO_ROLES)
    assert len(httpx.get(f"{demo_stack.base}/v1/proofs", headers=auth).json()["data"]) == len(PLANS)


def test_the_api_docs_show_every_operation_offline(demo_stack: LocalStack, page: OfflinePage) -> None:
    page.page.goto(f"{demo_stack.base}/docs")
    page.page.wait_for_selector(".opblock-summary", timeout=30_000)
    assert page.page.locator(".opblock").count() == _operations(demo_stack) > 50
    page.screenshot("docs", full_page=False)  # the whole page is every operation: its top shows what it is
    page.page.goto(f"{demo_stack.base}/redoc")
    page.page.wait_for_selector("[data-section-id^='tag/']", timeout=30_000)
    page.screenshot("redoc", full_page=False)


def test_the_console_shows_the_demos_mail_and_webhook_deliveries(demo_stack: LocalStack, page: OfflinePage) -> None:
    for name, path in CONSOLE_PAGES.items():
        page.page.goto(f"{demo_stack.base}{path}")
        assert page.page.locator("nav").count() == 1, name
        page.screenshot(f"console-{name}")
    page.page.goto(f"{demo_stack.base}/_local/mailbox")
    assert page.page.get_by_text("Welcome to", exact=False).count() > 0
    page.page.goto(f"{demo_stack.base}/_local/webhooks")
    assert page.page.locator(".badge.valid").count() > 0  # a delivery whose signature checked out


def test_a_redrive_from_the_console_moves_a_dlq_message_back(demo_stack: LocalStack, page: OfflinePage) -> None:
    sqs = boto3.client("sqs", endpoint_url=f"http://127.0.0.1:{demo_stack.moto_port}", region_name="us-east-1",
                       aws_access_key_id="local", aws_secret_access_key="local")
    dlq_url = next(url for url in sqs.list_queues()["QueueUrls"] if url.endswith("-dlq"))
    sqs.send_message(QueueUrl=dlq_url, MessageBody='{"parked": "by the browser test"}')
    page.page.goto(f"{demo_stack.base}/_local/queues")
    row = page.page.locator("tr.attention")
    assert row.count() == 1
    row.get_by_role("button", name="Redrive").click()
    page.page.wait_for_url("**/_local/queues?redriven=*")
    assert page.page.get_by_text("Moved 1 messages from the DLQ of", exact=False).count() == 1
    page.screenshot("console-queues-redriven")
