from fastapi.testclient import TestClient

from atrium.local.mail import sent_mail
from atrium.local.worker import Worker
from tests.api.conftest import Tenant


def test_signup_reaches_the_welcome_email(client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    worker.drain()
    mails = sent_mail()
    assert [m["to"] for m in mails] == [tenant_a.email]
    assert "Tenant A" in mails[0]["subject"]
    assert tenant_a.id in mails[0]["text"]
