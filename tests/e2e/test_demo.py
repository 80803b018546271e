"""`atrium dev --demo` fills the stack it starts and prints the demo users' passwords; `atrium demo` against it
again makes nothing new."""

import os
import subprocess

import httpx

from atrium.identity.access.roles import BUILT_IN_ROLES
from atrium_local.demo.people import email_of, password_of
from atrium_local.demo.proofs import PLANS
from tests.e2e.local_stack import ATRIUM, LocalStack


def test_dev_with_the_demo_prints_the_passwords_and_a_second_run_makes_nothing_new() -> None:
    stack = LocalStack(args=("--demo",))
    try:
        stack.wait_ready()
        printed = stack.read_until("Audit ", timeout=120)  # the demo's last line
        assert "objects created" in printed, printed
        for role in BUILT_IN_ROLES:
            assert email_of(role) in printed and password_of(role) in printed
        env = os.environ | {"ATRIUM_PORT": str(stack.api_port)}
        again = subprocess.run([str(ATRIUM), "demo"], env=env, capture_output=True, text=True, timeout=60)
        assert again.returncode == 0 and "nothing new" in again.stdout, again.stdout + again.stderr
        signed_in = httpx.post(f"{stack.base}/v1/auth/login",
                               json={"email": email_of("viewer"), "password": password_of("viewer")})
        auth = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        assert len(httpx.get(f"{stack.base}/v1/users", headers=auth).json()["data"]) == len(BUILT_IN_ROLES)
        assert len(httpx.get(f"{stack.base}/v1/proofs", headers=auth).json()["data"]) == len(PLANS)
    finally:
        stack.kill()
