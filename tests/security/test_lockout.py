"""Brute force is bounded, and the bound is no denial of service: an attempt is counted before its secret is
checked, MFA failures count across challenges, and guessing from one place locks out only that place."""

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from atrium.identity import lockout, passwords
from atrium.identity.mfa_challenge import start_mfa_challenge
from atrium.kernel import clock
from tests.api.account_helpers import enable_mfa
from tests.api.conftest import PASSWORD, Tenant

LOGIN, MFA = "/v1/auth/login", "/v1/auth/mfa"


@pytest.fixture
def elsewhere(local_api: FastAPI) -> Iterator[TestClient]:
    """The same API reached from another address."""
    with TestClient(local_api, raise_server_exceptions=False, client=("203.0.113.9", 50000)) as other:
        yield other


def test_concurrent_wrong_passwords_are_checked_at_most_the_threshold(client: TestClient, tenant_a: Tenant,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    verify = passwords.verify_password

    def slow_verify(password_hash: str | None, password: str) -> bool:
        checked.append(password)
        time.sleep(0.2)  # every request is in flight before the first answer
        return verify(password_hash, password)

    monkeypatch.setattr("atrium.identity.login.verify_password", slow_verify)
    with ThreadPoolExecutor(15) as pool:
        answers = list(pool.map(lambda n: client.post(LOGIN, json={"email": tenant_a.email,
                                                                   "password": f"wrong {n}"}).status_code, range(15)))

    assert len(checked) <= lockout.PAIR.threshold
    assert answers.count(401) == len(checked) and answers.count(429) == 15 - len(checked)


def test_mfa_failures_count_across_challenges_and_a_password_does_not_clear_them(client: TestClient,
                                                                                   tenant_a: Tenant) -> None:
    _, codes = enable_mfa(client, tenant_a.auth)
    with clock.frozen(clock.now()):
        answers = []
        for _ in range(5):  # four guesses per challenge, so no challenge runs out: 20 in all
            token = start_mfa_challenge(tenant_a.user_id, tenant_a.id)
            answers += [client.post(MFA, json={"mfa_token": token, "code": f"000{n}00"}).status_code for n in range(4)]
        assert answers.count(401) == lockout.MFA.threshold and answers.count(429) == 20 - lockout.MFA.threshold

        signed_in = client.post(LOGIN, json={"email": tenant_a.email, "password": PASSWORD})  # a correct password
        assert signed_in.status_code == 200, signed_in.text
        locked = client.post(MFA, json={"mfa_token": signed_in.json()["mfa_token"], "code": codes[0]})
        assert locked.status_code == 429 and "retry-after" in locked.headers


def test_failures_from_one_source_do_not_lock_the_account_elsewhere(client: TestClient, elsewhere: TestClient,
                                                                    tenant_a: Tenant) -> None:
    for n in range(20):
        client.post(LOGIN, json={"email": tenant_a.email, "password": f"guess {n}"})
    assert client.post(LOGIN, json={"email": tenant_a.email, "password": PASSWORD}).status_code == 429

    assert elsewhere.post(LOGIN, json={"email": tenant_a.email, "password": PASSWORD}).status_code == 200


def test_failures_on_many_accounts_do_not_lock_others_behind_the_same_address(client: TestClient,
                                                                              tenant_a: Tenant) -> None:
    for n in range(20):
        client.post(LOGIN, json={"email": f"guess{n}@example.com", "password": "wrong password"})
    assert client.post(LOGIN, json={"email": tenant_a.email, "password": PASSWORD}).status_code == 200


def test_over_the_accounts_ceiling_failed_sources_wait_and_fresh_ones_sign_in(local_api: FastAPI,
                                                                             tenant_a: Tenant) -> None:
    sources = [TestClient(local_api, raise_server_exceptions=False, client=(f"198.51.100.{n}", 50000))
               for n in range(lockout.ACCOUNT.threshold // 2)]
    with clock.frozen(clock.now()):
        for source in sources:  # two wrong guesses from each of many places
            for n in range(2):
                assert source.post(LOGIN, json={"email": tenant_a.email, "password": f"w {n}"}).status_code == 401

        refused = sources[0].post(LOGIN, json={"email": tenant_a.email, "password": PASSWORD})
        assert refused.status_code == 429
        fresh = TestClient(local_api, raise_server_exceptions=False, client=("192.0.2.1", 50000))
        assert fresh.post(LOGIN, json={"email": tenant_a.email, "password": PASSWORD}).status_code == 200
