"""The local stack keeps its data: every write it answered with a 2xx survives a SIGKILL mid-burst, tokens issued
before it keep working, and ``--fresh`` starts empty."""

import threading
import time
from pathlib import Path

import httpx

from tests.e2e.local_stack import LocalStack

PASSWORD = "correct horse battery staple"
WRITERS = 4


def _write_until_killed(base: str, token: str, created: list[str], lock: threading.Lock) -> None:
    """Create proofs one after another; keep the ids the stack acknowledged, until it stops answering."""
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=10) as api:
        while True:
            try:
                response = api.post("/v1/proofs", json={"title": f"Burst {time.monotonic_ns()}"})
            except httpx.TransportError:
                return
            assert response.status_code == 201, response.text
            with lock:
                created.append(response.json()["id"])


def test_every_acknowledged_write_survives_a_kill_and_fresh_starts_empty(tmp_path: Path) -> None:
    first = LocalStack(data=tmp_path)
    try:
        first.wait_ready()
        signed_up = httpx.post(f"{first.base}/v1/signup", json={"tenant_name": "Kept", "email": "kept@example.com",
                                                                "password": PASSWORD})
        assert signed_up.status_code == 201, signed_up.text
        token = signed_up.json()["access_token"]
        created: list[str] = []
        lock = threading.Lock()
        writers = [threading.Thread(target=_write_until_killed, args=(first.base, token, created, lock))
                   for _ in range(WRITERS)]
        for writer in writers:
            writer.start()
        while len(created) < 40:
            time.sleep(0.05)
    finally:
        first.kill()  # mid-burst: the writers are still sending
    for writer in writers:
        writer.join(timeout=30)

    second = LocalStack(data=tmp_path)
    try:
        second.wait_ready()
        auth = {"Authorization": f"Bearer {token}"}  # issued before the kill
        tenant = httpx.get(f"{second.base}/v1/tenant", headers=auth)
        assert tenant.status_code == 200 and tenant.json()["name"] == "Kept", tenant.text
        with httpx.Client(base_url=second.base, headers=auth, timeout=10) as api:
            missing = [id_ for id_ in created if api.get(f"/v1/proofs/{id_}").status_code != 200]
        assert not missing, f"{len(missing)} of {len(created)} acknowledged writes were lost"
    finally:
        code, output = second.stop()
    assert code == 0, output

    fresh = LocalStack(data=tmp_path, args=("--fresh",))
    try:
        fresh.wait_ready()
        assert httpx.get(f"{fresh.base}/v1/tenant", headers=auth).status_code == 401
        again = httpx.post(f"{fresh.base}/v1/signup", json={"tenant_name": "Kept", "email": "kept@example.com",
                                                            "password": PASSWORD})
        assert again.status_code == 201, again.text
    finally:
        fresh.stop()
